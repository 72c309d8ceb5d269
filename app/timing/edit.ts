/**
 * Pure helpers for editing clips whose time is changed (speed, loop) and for keeping
 * source points on the source frame grid. Commands (app/commands/recut.ts,
 * effects-timing.ts, timeline.ts) build on these; nothing here validates against the track.
 */
import type { Asset, Clip } from '../model/types.js';
import { flicksPerFrame, type Flicks } from '../time/flicks.js';
import { clampSpeed, curveTimeFactor, speedAt } from './curve.js';
import { clipTiming, hasTimeEffects, positionAtTime } from './timemap.js';
import type { SpeedEffect, SpeedKeyframe } from '../model/timing.js';

/** Flicks per source frame of an asset (its own rate), or null when it has none (stills, sound). */
export function sourceGrid(asset: Asset | undefined): number | null {
  if (!asset || asset.kind !== 'video' || !asset.probe.hasVideo) return null;
  const f = asset.probe.fps;
  return f && f.num > 0 && f.den > 0 ? flicksPerFrame(f) : null;
}

/** Nearest source frame boundary (exact integer flicks at every supported rate). */
export function snapToGrid(f: Flicks, grid: number | null): Flicks {
  if (!grid) return Math.round(f);
  return Math.round(Math.round(f / grid) * grid);
}

/** Output flicks per source flick of one pass (1 / rate for a constant speed). */
export function timeFactor(speed: SpeedEffect | undefined): number {
  if (!speed) return 1;
  if (speed.keyframes.length < 2) return 1 / speed.rate;
  return curveTimeFactor(speed);
}

/**
 * The same speed effect over the sub-range [u0, u1] of the playback positions, re-normalised
 * to 0..1: what each piece keeps after a split or "keep only this range". Eased segments cut
 * in the middle continue linearly (a piece of a smoothstep is not a smoothstep).
 */
export function restrictSpeed(speed: SpeedEffect, u0: number, u1: number): SpeedEffect {
  const k = speed.keyframes;
  if (k.length < 2) return speed;
  const w = u1 - u0;
  if (!(w > 1e-9)) return { ...speed, rate: clampSpeed(speedAt(speed, u0)), keyframes: [] };
  const easeAt = (u: number): SpeedKeyframe['ease'] => {
    for (let i = 0; i < k.length - 1; i++) if (k[i]!.at === u) return k[i]!.ease;
    return 'linear';
  };
  // Points where the new curve needs a keyframe: the kept keyframes, and inside an eased
  // segment that is cut, 8 samples of its smoothstep (joined linearly: close, not exact).
  const points: { u: number; ease: SpeedKeyframe['ease'] }[] = [{ u: u0, ease: easeAt(u0) }];
  for (let i = 0; i < k.length - 1; i++) {
    const a = k[i]!;
    const b = k[i + 1]!;
    const lo = Math.max(a.at, u0);
    const hi = Math.min(b.at, u1);
    if (hi <= lo) continue;
    if (a.at > u0 + 1e-9) points.push({ u: a.at, ease: a.ease });
    const cut = a.at < u0 - 1e-9 || b.at > u1 + 1e-9;
    if (a.ease === 'ease' && cut && a.speed !== b.speed) {
      if (points.at(-1)!.u === lo) points.at(-1)!.ease = 'linear';
      for (let j = 1; j < 8; j++) points.push({ u: lo + ((hi - lo) * j) / 8, ease: 'linear' });
    }
  }
  const out: SpeedKeyframe[] = points
    .filter((p) => p.u >= u0 - 1e-9 && p.u < u1 - 1e-9)
    .map((p) => ({ at: Math.min(1, Math.max(0, (p.u - u0) / w)), speed: clampSpeed(speedAt(speed, p.u)), ease: p.ease }));
  out[0]!.at = 0;
  out.push({ at: 1, speed: clampSpeed(speedAt(speed, u1)), ease: 'linear' });
  if (out.every((kf) => kf.speed === out[0]!.speed)) return { ...speed, rate: out[0]!.speed, keyframes: [] };
  return { ...speed, keyframes: out };
}

/** Set a clip's source span by its playback extent [x0, x1] of the current span (0..L). */
function withPlaybackRange(clip: Clip, x0: number, x1: number, grid: number | null): Clip {
  const L = clip.outFlicks - clip.inFlicks;
  // The clip's own ends stay as they are; only new cut points go onto the grid.
  const at = (base: number, x: number, sign: 1 | -1) => (x <= 0 || x >= L ? base + sign * x : snapToGrid(base + sign * x, grid));
  let inF: number;
  let outF: number;
  if (clip.effects.speed?.reverse) {
    inF = at(clip.outFlicks, x1, -1);
    outF = at(clip.outFlicks, x0, -1);
  } else {
    inF = at(clip.inFlicks, x0, 1);
    outF = at(clip.inFlicks, x1, 1);
  }
  const speed = clip.effects.speed ? restrictSpeed(clip.effects.speed, x0 / L, x1 / L) : undefined;
  return { ...clip, inFlicks: inF, outFlicks: outF, effects: { ...clip.effects, ...(speed ? { speed } : {}) } };
}

/** Playback position (0..L) of the first pass reached at clip-relative output time t. */
export function positionAt(clip: Clip, t: number): number {
  const map = clipTiming(clip).oneShot;
  return Math.min(map.span, Math.max(0, positionAtTime(map, t)));
}

/**
 * Split a clip with speed (not loop) at clip-relative output time t: the cut lands on the
 * source grid; each piece keeps its part of the curve. Returns [first, second] in playback
 * order (the second's start is the first's end).
 */
export function splitTimed(clip: Clip, t: number, grid: number | null): [Clip, Clip] {
  const L = clip.outFlicks - clip.inFlicks;
  const xRaw = positionAt(clip, t);
  const x = clip.effects.speed?.reverse ? clip.outFlicks - snapToGrid(clip.outFlicks - xRaw, grid) : snapToGrid(clip.inFlicks + xRaw, grid) - clip.inFlicks;
  const first = withPlaybackRange(clip, 0, x, grid);
  const second = withPlaybackRange(clip, x, L, grid);
  return [first, second];
}

/**
 * Trim a clip with time effects by dragging an edge to timeline time `to`:
 *  - a loop keeps its source and changes how much it fills (it becomes a fill loop),
 *  - a speed change moves the source point that plays at that edge (for reversed clips the
 *    timeline's out edge is the source in point), snapped to the source grid.
 */
export function trimTimed(clip: Clip, edge: 'in' | 'out', to: Flicks, grid: number | null): Clip {
  const end = clip.startFlicks + clipTiming(clip).duration;
  const loop = clip.effects.loop;
  if (loop) {
    const fillFlicks = edge === 'out' ? to - clip.startFlicks : end - to;
    return { ...clip, startFlicks: edge === 'in' ? to : clip.startFlicks, effects: { ...clip.effects, loop: { ...loop, mode: 'fill', fillFlicks } } };
  }
  const c = timeFactor(clip.effects.speed);
  const reverse = !!clip.effects.speed?.reverse;
  const wanted = (edge === 'out' ? to - clip.startFlicks : end - to) / c;
  const L = Math.max(grid ?? 1, snapToGrid(wanted, grid));
  // Which source point moves: the one that plays at the dragged edge.
  const movesOut = (edge === 'out') !== reverse;
  const next: Clip = movesOut ? { ...clip, outFlicks: clip.inFlicks + L } : { ...clip, inFlicks: clip.outFlicks - L };
  if (edge === 'in') next.startFlicks = end - clipTiming(next).duration;
  return next;
}

/** A plain trim's source point moved onto the source grid; an in-edge trim moves the start with it. */
export function snapTrimToSource(next: Clip, edge: 'in' | 'out', grid: number | null): Clip {
  if (!grid) return next;
  if (edge === 'out') return { ...next, outFlicks: snapToGrid(next.outFlicks, grid) };
  let inF = snapToGrid(next.inFlicks, grid);
  if (next.startFlicks + (inF - next.inFlicks) < 0) inF += grid;
  return { ...next, inFlicks: inF, startFlicks: next.startFlicks + (inF - next.inFlicks) };
}

/**
 * "Keep only this range": the part of the clip inside timeline [from, to), as source points
 * on the grid; the clip starts where the range (or the clip) starts.
 */
export function keepRange(clip: Clip, from: Flicks, to: Flicks, grid: number | null): Clip {
  const a = Math.max(0, from - clip.startFlicks);
  const b = Math.min(clipTiming(clip).duration, to - clip.startFlicks);
  if (!hasTimeEffects(clip)) {
    const inF = snapToGrid(clip.inFlicks + a, grid);
    const outF = snapToGrid(clip.inFlicks + b, grid);
    return { ...clip, startFlicks: clip.startFlicks + a + (inF - (clip.inFlicks + a)), inFlicks: inF, outFlicks: outF };
  }
  const x0 = positionAt(clip, a);
  const x1 = positionAt(clip, b);
  const next = withPlaybackRange(clip, x0, x1, grid);
  return { ...next, startFlicks: clip.startFlicks + a };
}
