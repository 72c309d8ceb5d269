/**
 * Speed and loop edits. Both change the clip's length (through the time map), so by
 * default later clips on the track ripple along; without ripple the new length must fit.
 */
import { z } from 'zod';
import { invalidEdit } from '../errors.js';
import type { Clip, ProjectState } from '../model/types.js';
import { isIdentitySpeed } from '../timing/curve.js';
import { loopSchema, speedSchema } from '../timing/schema.js';
import { DEFAULT_LOOP, type LoopEffect, type SpeedEffect } from '../model/timing.js';
import { defineCommand } from './define.js';
import { PatchBuilder } from './patch.js';
import { commitResized, requireClip, requireGrid } from './recut.js';
import { flicks, id } from './schemas.js';

function requireMoving(state: ProjectState, clip: Clip, what: string): void {
  const asset = state.assets[clip.assetId];
  if (asset?.kind === 'image') throw invalidEdit(`A still has no time to ${what}.`, 'Change its length by trimming it.');
}

function withEffects(clip: Clip, speed: SpeedEffect | undefined | null, loop: LoopEffect | undefined | null): Clip {
  const effects = { ...clip.effects };
  if (speed !== undefined) {
    if (speed === null || isIdentitySpeed(speed)) delete effects.speed;
    else effects.speed = speed;
  }
  if (loop !== undefined) {
    if (loop === null) delete effects.loop;
    else effects.loop = loop;
  }
  return { ...clip, effects };
}

export const clipSetSpeed = defineCommand({
  label: 'Change speed',
  /** `speed: null` (or 1×, forwards, no curve) removes the effect. */
  args: z.object({ clipId: id, speed: speedSchema.nullable(), ripple: z.boolean().default(true) }),
  run(state, args) {
    const clip = requireClip(state, args.clipId);
    if (args.speed) requireMoving(state, clip, 'speed up or slow down');
    const next = withEffects(clip, args.speed as SpeedEffect | null, undefined);
    const b = new PatchBuilder();
    commitResized(state, clip, next, args.ripple, b);
    return b.patch;
  },
});

export const clipSetLoop = defineCommand({
  label: 'Change loop',
  /** `loop: null` plays the clip once. */
  args: z.object({ clipId: id, loop: loopSchema.nullable(), ripple: z.boolean().default(true) }),
  run(state, args) {
    const clip = requireClip(state, args.clipId);
    if (args.loop) requireMoving(state, clip, 'loop');
    const next = withEffects(clip, undefined, args.loop as LoopEffect | null);
    const b = new PatchBuilder();
    commitResized(state, clip, next, args.ripple, b);
    return b.patch;
  },
});

export const clipApplyLoopPoint = defineCommand({
  label: 'Apply loop point',
  /**
   * Make the clip the seamless loop [startFrame, endFrame) of its source (frames at the
   * asset's rate, as the loop-point analysis reports them), looping it (its loop settings
   * kept, or 2 repeats), with an optional crossfade at the seam.
   */
  args: z.object({
    clipId: id,
    startFrame: z.number().int().min(0).max(100_000_000),
    endFrame: z.number().int().min(1).max(100_000_000),
    crossfadeFlicks: flicks.optional(),
    ripple: z.boolean().default(true),
  }),
  run(state, args) {
    const clip = requireClip(state, args.clipId);
    requireMoving(state, clip, 'loop');
    const grid = requireGrid(state, clip);
    if (args.endFrame <= args.startFrame) throw invalidEdit('The loop must end after it starts.');
    const loop: LoopEffect = { ...(clip.effects.loop ?? DEFAULT_LOOP), ...(args.crossfadeFlicks !== undefined ? { crossfadeFlicks: args.crossfadeFlicks } : {}) };
    const next = withEffects({ ...clip, inFlicks: Math.round(args.startFrame * grid), outFlicks: Math.round(args.endFrame * grid) }, undefined, loop);
    const b = new PatchBuilder();
    commitResized(state, clip, next, args.ripple, b);
    return b.patch;
  },
});
