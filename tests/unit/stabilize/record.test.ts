/** Analysis records on assets: merged per key, clips and previews accumulated, capped, no-op when unchanged. */
import { describe, expect, it } from 'vitest';
import { applyPatch, type Patch } from '../../../app/commands/patch.js';
import type { ProjectState } from '../../../app/model/types.js';
import { recordAnalysis, type AnalysisFacts } from '../../../main/stabilize/record.js';
import { stateWithAssets, videoAsset } from '../../helpers/state.js';

function sink(state: ProjectState) {
  const s = { state, patches: [] as Patch[], systemPatch: (p: Patch) => (s.patches.push(p), (s.state = applyPatch(s.state, p))) };
  return s;
}

const facts = (key: string, extra: Partial<AnalysisFacts> = {}): AnalysisFacts => ({
  key,
  method: 'vidstab',
  transformsPath: `media/derived/stab/${key}.trf`,
  inFlicks: 0,
  outFlicks: 100,
  shakiness: 5,
  accuracy: 15,
  ...extra,
});

describe('recordAnalysis', () => {
  it('records, merges clips and previews, skips unchanged, caps the number kept', () => {
    const s = sink(stateWithAssets(videoAsset('a', 2)));
    recordAnalysis(s, 'a', facts('k1', { clipId: 'c1' }), 't0');
    recordAnalysis(s, 'a', facts('k1', { clipId: 'c2', preview: { key: 'p1', path: 'media/derived/stab/p1.preview.mp4' } }), 't1');
    const rec = s.state.assets.a!.derivatives.stabilize!.k1!;
    expect(rec).toMatchObject({ clipIds: ['c1', 'c2'], previews: { p1: 'media/derived/stab/p1.preview.mp4' }, analysedAt: 't0' });
    const n = s.patches.length;
    recordAnalysis(s, 'a', facts('k1', { clipId: 'c2' }), 't2');
    expect(s.patches.length).toBe(n); // nothing new: no patch, no broadcast
    for (let i = 0; i < 30; i++) recordAnalysis(s, 'a', facts(`x${i}`), 't');
    const keys = Object.keys(s.state.assets.a!.derivatives.stabilize!);
    expect(keys).toHaveLength(24);
    expect(keys.at(-1)).toBe('x29');
    expect(keys).not.toContain('k1');
    recordAnalysis(s, 'missing', facts('k'), 't');
    expect(s.state.assets.missing).toBeUndefined();
  });
});
