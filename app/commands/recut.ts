/**
 * Recut: slip, roll, "keep only this range", and frame-exact source trims. Source points
 * land on the SOURCE frame grid (the asset's own rate); nothing is re-encoded (a clip is
 * only in/out points until export). Clips with speed or loop go through the time map.
 */
import { z } from 'zod';
import { invalidEdit } from '../errors.js';
import type { Clip, ProjectState } from '../model/types.js';
import { assetSourceDuration, clipDuration, clipEnd, clipsOnTrack } from '../timeline/query.js';
import { keepRange, snapToGrid, snapTrimToSource, sourceGrid, trimTimed } from '../timing/edit.js';
import { hasTimeEffects } from '../timing/timemap.js';
import { timingProblems } from '../timing/validate.js';
import { defineCommand } from './define.js';
import { PatchBuilder } from './patch.js';
import { flicks, id, signedFlicks } from './schemas.js';

export function requireClip(state: ProjectState, clipId: string): Clip {
  const c = state.clips[clipId];
  if (!c) throw invalidEdit(`Clip ${clipId} does not exist.`);
  return c;
}

export function requireGrid(state: ProjectState, clip: Clip): number {
  const grid = sourceGrid(state.assets[clip.assetId]);
  if (!grid) throw invalidEdit('This clip has no source frames to count (a still or sound only).');
  return grid;
}

/** Source span and effect checks every recut and timing edit ends with. */
export function checkClip(state: ProjectState, c: Clip): void {
  if (c.inFlicks < 0) throw invalidEdit('The clip cannot start before the beginning of its source.');
  if (c.outFlicks > assetSourceDuration(state, c.assetId)) throw invalidEdit('The clip cannot run past the end of its source.');
  if (c.outFlicks <= c.inFlicks) throw invalidEdit('A clip cannot be trimmed to nothing.', 'Delete it instead.');
  if (c.startFlicks < 0) throw invalidEdit('The clip would start before the beginning of the timeline.');
  const problems = timingProblems(c);
  if (problems.length) throw invalidEdit(problems[0]!.replace(/^clip \S+: /, '').replace(/^./, (x) => x.toUpperCase()) + '.');
}

/**
 * Put a clip whose length changed back on its track. With ripple, clips after its old end
 * move by the change (so slowing a clip pushes the rest of the track along); without, the
 * new extent must be free. Fades that no longer fit are shortened.
 */
export function commitResized(state: ProjectState, before: Clip, after: Clip, ripple: boolean, b: PatchBuilder): void {
  checkClip(state, after);
  const len = clipDuration(after);
  const { fadeInFlicks: fi, fadeOutFlicks: fo } = after.effects;
  if (fi + fo > len) {
    const k = len / (fi + fo);
    after = { ...after, effects: { ...after.effects, fadeInFlicks: Math.floor(fi * k), fadeOutFlicks: Math.floor(fo * k) } };
  }
  const oldEnd = clipEnd(before);
  const delta = clipEnd(after) - oldEnd;
  for (const other of clipsOnTrack(state, before.trackId)) {
    if (other.id === before.id) continue;
    if (ripple && other.startFlicks >= oldEnd) {
      if (delta !== 0) b.set('clips', { ...other, startFlicks: other.startFlicks + delta });
      continue;
    }
    if (other.startFlicks < clipEnd(after) && clipEnd(other) > after.startFlicks)
      throw invalidEdit(ripple ? 'That would overlap another clip on the track.' : 'There is no room on the track for the new length.', ripple ? undefined : 'Turn on ripple, or make room after the clip.');
  }
  b.set('clips', after);
}

export const clipSlip = defineCommand({
  label: 'Slip clip',
  /** Moves the source span under the clip by whole source frames (or by flicks for sound-only clips). */
  args: z.object({ clipId: id, frames: z.number().int().min(-10_000_000).max(10_000_000).optional(), deltaFlicks: signedFlicks.optional() }),
  run(state, args) {
    const clip = requireClip(state, args.clipId);
    const grid = sourceGrid(state.assets[clip.assetId]);
    if ((args.frames === undefined) === (args.deltaFlicks === undefined)) throw invalidEdit('Slip by frames or by time, one of the two.');
    const delta = args.frames !== undefined ? args.frames * (grid ?? requireGrid(state, clip)) : args.deltaFlicks!;
    const span = clip.outFlicks - clip.inFlicks;
    const inF = snapToGrid(clip.inFlicks + delta, grid);
    const next: Clip = { ...clip, inFlicks: inF, outFlicks: inF + span };
    if (next.inFlicks < 0) throw invalidEdit('The source has no earlier frames to slip to.');
    if (next.outFlicks > assetSourceDuration(state, clip.assetId)) throw invalidEdit('The source has no later frames to slip to.');
    if (next.inFlicks === clip.inFlicks) return {};
    checkClip(state, next);
    return new PatchBuilder().set('clips', next).patch;
  },
});

/** The clip that starts exactly where `clip` ends on its track. */
function rightNeighbour(state: ProjectState, clip: Clip): Clip | undefined {
  const end = clipEnd(clip);
  return clipsOnTrack(state, clip.trackId).find((c) => c.id !== clip.id && c.startFlicks === end);
}

function trimEdge(state: ProjectState, clip: Clip, edge: 'in' | 'out', to: number): Clip {
  const grid = sourceGrid(state.assets[clip.assetId]);
  if (hasTimeEffects(clip)) return trimTimed(clip, edge, to, grid);
  if (edge === 'out') return snapTrimToSource({ ...clip, outFlicks: clip.inFlicks + (to - clip.startFlicks) }, 'out', grid);
  return snapTrimToSource({ ...clip, startFlicks: to, inFlicks: clip.inFlicks + (to - clip.startFlicks) }, 'in', grid);
}

export const clipRoll = defineCommand({
  label: 'Roll edit',
  /** Moves the cut between `clipId` and the clip right after it to timeline time `toFlicks`. */
  args: z.object({ clipId: id, toFlicks: flicks }),
  run(state, args) {
    const left = requireClip(state, args.clipId);
    const right = rightNeighbour(state, left);
    if (!right) throw invalidEdit('A roll edit needs a clip right after this one, touching it.');
    if (left.effects.loop || right.effects.loop) throw invalidEdit('A roll edit cannot move the end of a loop.', 'Trim the looped clip instead.');
    if (args.toFlicks <= left.startFlicks || args.toFlicks >= clipEnd(right)) throw invalidEdit('The cut must stay inside the two clips.');
    const l = trimEdge(state, left, 'out', args.toFlicks);
    const cut = clipEnd(l);
    // The right clip's source point snaps to its own grid; if that would overlap, take the next frame.
    let r = trimEdge(state, right, 'in', cut);
    for (let i = 0; r.startFlicks < cut && i < 3; i++) r = trimEdge(state, right, 'in', cut + (cut - r.startFlicks) + 1);
    if (r.startFlicks < cut) throw invalidEdit('The cut cannot land there on both clips’ frames.');
    checkClip(state, l);
    checkClip(state, r);
    if (clipEnd(r) > clipEnd(right)) throw invalidEdit('The cut cannot land there on both clips’ frames.');
    return new PatchBuilder().set('clips', l).set('clips', r).patch;
  },
});

export const clipKeepRange = defineCommand({
  label: 'Keep only range',
  /** Keeps the part of the clip inside timeline [fromFlicks, toFlicks) (the I/O marks); it stays where that part was. */
  args: z.object({ clipId: id, fromFlicks: flicks, toFlicks: flicks }),
  run(state, args) {
    const clip = requireClip(state, args.clipId);
    if (clip.effects.loop) throw invalidEdit('Turn the loop off before keeping a range of this clip.');
    if (args.toFlicks <= args.fromFlicks) throw invalidEdit('Mark an in point before the out point.');
    if (args.toFlicks <= clip.startFlicks || args.fromFlicks >= clipEnd(clip)) throw invalidEdit('The marked range does not cover this clip.', 'Set I and O over the clip.');
    const next = keepRange(clip, args.fromFlicks, args.toFlicks, sourceGrid(state.assets[clip.assetId]));
    checkClip(state, next);
    const b = new PatchBuilder();
    // Keeping a range only shortens the clip, so it never collides; no ripple.
    commitResized(state, clip, next, false, b);
    return b.patch;
  },
});

export const clipTrimSource = defineCommand({
  label: 'Trim source',
  /** Sets the source in/out as source frame numbers (asset rate). The start stays; the end follows. */
  args: z.object({
    clipId: id,
    inFrame: z.number().int().min(0).max(100_000_000).optional(),
    outFrame: z.number().int().min(1).max(100_000_000).optional(),
    ripple: z.boolean().default(false),
  }),
  run(state, args) {
    const clip = requireClip(state, args.clipId);
    const grid = requireGrid(state, clip);
    const next: Clip = {
      ...clip,
      inFlicks: args.inFrame !== undefined ? Math.round(args.inFrame * grid) : clip.inFlicks,
      outFlicks: args.outFrame !== undefined ? Math.round(args.outFrame * grid) : clip.outFlicks,
    };
    if (next.inFlicks === clip.inFlicks && next.outFlicks === clip.outFlicks) return {};
    const b = new PatchBuilder();
    commitResized(state, clip, next, args.ripple, b);
    return b.patch;
  },
});
