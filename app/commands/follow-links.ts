/**
 * Linked partners follow the edits that were written before links existed (slip, roll, keep
 * range, source trims, speed, loop): a command changes the clip it names, then this pass
 * brings each untouched partner along, so picture and sound stay in sync:
 *  - a clip that only moved (a ripple shifted it): its partners shift by as much;
 *  - a partner that mirrored the clip (same media, start, in and out, the usual detached
 *    sound): it takes the clip's new span and its speed and loop (time effects), keeping its
 *    own level effects;
 *  - a slip (same start and length, source moved): partners slip by as much;
 *  - anything else on a J/L-cut pair is refused with the way out, rather than desyncing.
 */
import type { z } from 'zod';
import { invalidEdit } from '../errors.js';
import type { Clip, ProjectState } from '../model/types.js';
import { linkedPartners } from '../timeline/links.js';
import { clipDuration } from '../timeline/query.js';
import type { CommandDef } from './define.js';
import { applyPatch, PatchBuilder, type Patch } from './patch.js';
import { assertPlaceable, assertUnlocked } from './placement.js';

const sameTiming = (a: Clip, b: Clip) => JSON.stringify(a.effects.speed ?? null) === JSON.stringify(b.effects.speed ?? null) && JSON.stringify(a.effects.loop ?? null) === JSON.stringify(b.effects.loop ?? null);

function mirrors(p: Clip, c: Clip): boolean {
  return p.assetId === c.assetId && p.startFlicks === c.startFlicks && p.inFlicks === c.inFlicks && p.outFlicks === c.outFlicks && sameTiming(p, c);
}

function follow(before: Clip, after: Clip, p: Clip): Clip {
  const shift = after.startFlicks - before.startFlicks;
  const spanSame = after.inFlicks === before.inFlicks && after.outFlicks === before.outFlicks && sameTiming(after, before);
  if (spanSame) return { ...p, startFlicks: p.startFlicks + shift };
  if (mirrors(p, before)) {
    const effects = { ...p.effects };
    delete effects.speed;
    delete effects.loop;
    if (after.effects.speed) effects.speed = after.effects.speed;
    if (after.effects.loop) effects.loop = after.effects.loop;
    return { ...p, startFlicks: after.startFlicks, inFlicks: after.inFlicks, outFlicks: after.outFlicks, effects };
  }
  const slip = after.inFlicks - before.inFlicks;
  if (shift === 0 && sameTiming(after, before) && after.outFlicks - before.outFlicks === slip && clipDuration(after) === clipDuration(before))
    return { ...p, inFlicks: p.inFlicks + slip, outFlicks: p.outFlicks + slip };
  throw invalidEdit(
    'This clip’s linked sound is cut differently from its picture (a J or L cut), so it cannot follow this edit.',
    'Alt-click to edit one side only, or unlink the clips first.',
  );
}

/** The patch plus the partners' changes. */
export function followLinks(state: ProjectState, patch: Patch): Patch {
  const changed = patch.clips ?? {};
  const extra = new PatchBuilder();
  const moved: Clip[] = [];
  for (const [cid, after] of Object.entries(changed)) {
    const before = state.clips[cid];
    if (!before || !after || !before.linkId) continue;
    if (after.startFlicks === before.startFlicks && after.inFlicks === before.inFlicks && after.outFlicks === before.outFlicks && sameTiming(after, before)) continue;
    for (const p of linkedPartners(state, before)) {
      if (p.id in changed) continue;
      assertUnlocked(state, p.trackId);
      const next = follow(before, after, p);
      extra.set('clips', next);
      moved.push(next);
    }
  }
  if (moved.length === 0) return patch;
  const merged: Patch = { ...patch, clips: { ...changed, ...extra.patch.clips } };
  // Each partner must fit among the clips as they will be after the edit: `state`'s clips
  // less the ones the edit changes or deletes, plus their new versions. Checked against the
  // state's track index and the changes, not a copied state (that copied all 5,000 clips and
  // rebuilt the index for every edit of a linked clip).
  const changes = merged.clips!;
  const touched = new Set(Object.keys(changes));
  const after = Object.values(changes).filter((c): c is Clip => c !== null);
  // Tracks the edit adds or changes count as they will be (whether a crossfade may overlap).
  const view = merged.tracks ? applyPatch(state, { tracks: merged.tracks }) : state;
  for (const m of moved) assertPlaceable(view, m, touched, after, new Set([m.id]));
  return merged;
}

/** The command with partners following it (see the file comment). */
export function withLinkedFollow<S extends z.ZodType>(def: CommandDef<S>): CommandDef<S> {
  return { ...def, run: (state, args, ctx) => followLinks(state, def.run(state, args, ctx)) };
}
