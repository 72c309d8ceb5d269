/** isAppliedTo: the second copy of an edit (answer + event) is recognised, anything new is not. */
import { describe, expect, it } from 'vitest';
import { execute } from '../../../app/commands/engine.js';
import { applyPatch, isAppliedTo } from '../../../app/commands/patch.js';
import { counterIds, stateWithAssets, videoAsset } from '../../helpers/state.js';

describe('isAppliedTo', () => {
  it('is true for a patch already applied (a JSON copy, as the event brings it) and false before, or for a different value', () => {
    const st = stateWithAssets(videoAsset('a', 3));
    const add = execute(st, 'shot.add', { fields: { title: 'One' } }, counterIds()).entry.patch;
    expect(isAppliedTo(st, add)).toBe(false);
    const after = applyPatch(st, add);
    expect(isAppliedTo(after, JSON.parse(JSON.stringify(add)))).toBe(true);
    const shotId = Object.keys(after.shots)[0]!;
    const retitled = { shots: { [shotId]: { ...after.shots[shotId]!, title: 'Two' } } };
    expect(isAppliedTo(after, retitled)).toBe(false);
  });

  it('a deletion counts as applied only once the entity is gone; settings are compared by value', () => {
    const st = stateWithAssets(videoAsset('a', 3));
    expect(isAppliedTo(st, { assets: { a: null } })).toBe(false);
    expect(isAppliedTo(applyPatch(st, { assets: { a: null } }), { assets: { a: null } })).toBe(true);
    expect(isAppliedTo(st, { settings: { ...st.settings } })).toBe(true);
    expect(isAppliedTo(st, { settings: { ...st.settings, name: 'Other' } })).toBe(false);
  });
});
