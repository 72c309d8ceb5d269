/**
 * The time map: output time → source time for a clip with speed and loop effects.
 *
 * Two levels, one definition:
 *  - continuous (flicks, no frame rates): the clip's length (clipDuration), where a split or
 *    a trim lands in the source, the Viewer's target while playing;
 *  - discrete (given the source and output frame rates): which source frame every output
 *    frame shows. This is what the export realises in ffmpeg (expr.ts) with the same
 *    arithmetic, operation for operation, so preview, timeline and export agree exactly.
 *
 * One pass over the span: playback position x ∈ [0, L] (L = out − in; reversed clips play
 * from the out point) reaches output time T(x), piecewise linear over the curve's knots.
 * Loops repeat the pass every P = T − X flicks (X = crossfade), iteration k starting at
 * φ_k = k·P; during the first X of an iteration the previous one dissolves into it.
 *
 * Discrete rule (nearest): source frame n of the span gets output tick
 *     tick_k(n) = max(0, ceil((φ_k + T(x_n)) / Δout − ε) − s_k)   (tick_k(0) = 0)
 * where s_k is the first output tick of iteration k, and output tick f shows the last
 * frame n with tick_k(n) ≤ f. That is ffmpeg's `setpts` + `fps` behaviour exactly.
 */
import type { Clip } from '../model/types.js';
import { flicksPerFrame, FLICKS_PER_SECOND, type Flicks, type Rational } from '../time/flicks.js';
import { isIdentitySpeed, normalizedKnots } from './curve.js';
import type { LoopEffect, SpeedEffect } from '../model/timing.js';

/** Slack when rounding output times up to ticks, in ticks (see the file comment). */
export const TICK_EPSILON = 1e-6;

/** One pass of a clip over its source span. */
export interface OneShotMap {
  /** Source span length L, flicks. */
  span: Flicks;
  /** Output length of one pass, whole flicks. */
  length: Flicks;
  /** Knots: playback positions x (flicks) and output times t (flicks); slopes m = dt/dx per interval. */
  x: number[];
  t: number[];
  m: number[];
  /** Per interval: inside a constant-rate stretch. */
  constant: boolean[];
  reverse: boolean;
}

/** Density of knots in ramps, chosen from the loop count so the export graph stays small. */
export interface KnotDensity {
  perSecond: number;
  maxPerSegment: number;
}

export const DEFAULT_DENSITY: KnotDensity = { perSecond: 6, maxPerSegment: 64 };

export function oneShotMap(span: Flicks, speed: SpeedEffect | undefined, density: KnotDensity = DEFAULT_DENSITY): OneShotMap {
  if (!speed || (speed.keyframes.length < 2 && speed.rate === 1)) {
    return { span, length: span, x: [0, span], t: [0, span], m: [1], constant: [true], reverse: !!speed?.reverse };
  }
  const k = normalizedKnots(speed, span, density.perSecond, density.maxPerSegment);
  const x = k.u.map((u) => u * span);
  const t = k.tau.map((tau) => tau * span);
  const m: number[] = [];
  for (let i = 0; i < x.length - 1; i++) m.push((t[i + 1]! - t[i]!) / (x[i + 1]! - x[i]!));
  // Floor (not round): the halves of a split never add up to more than the whole, so
  // cutting a clip can never make it overlap its neighbour.
  const length = Math.max(1, Math.floor(t[t.length - 1]! + 1e-6));
  return { span, length, x, t, m, constant: k.constant, reverse: speed.reverse };
}

/** T(x): output time at playback position x. Extrapolates past the ends with the end slopes. */
export function timeAtPosition(map: OneShotMap, x: number): number {
  const last = map.m.length - 1;
  let i = 0;
  while (i < last && !(x < map.x[i + 1]!)) i++;
  return map.t[i]! + (x - map.x[i]!) * map.m[i]!;
}

/** Inverse of timeAtPosition: playback position reached at output time t. */
export function positionAtTime(map: OneShotMap, t: number): number {
  const last = map.m.length - 1;
  let i = 0;
  while (i < last && !(t < map.t[i + 1]!)) i++;
  return map.x[i]! + (t - map.t[i]!) / map.m[i]!;
}

/** Instantaneous rate (source flicks per output flick) at output time t of one pass. */
export function rateAtTime(map: OneShotMap, t: number): number {
  const last = map.m.length - 1;
  let i = 0;
  while (i < last && !(t < map.t[i + 1]!)) i++;
  return 1 / map.m[i]!;
}

export interface LoopSchedule {
  /** Effective crossfade X (at most half a pass), flicks. */
  crossfade: Flicks;
  /** Start-to-start distance P = T − X. */
  period: Flicks;
  /** Iterations that start inside the clip. */
  iterations: number;
}

/** A clip's timing: everything about its length, without frame rates. */
export interface ClipTiming {
  oneShot: OneShotMap;
  loop: LoopSchedule | null;
  /** Timeline length: THE value clipDuration returns. */
  duration: Flicks;
}

export function loopSchedule(oneShotLength: Flicks, loop: LoopEffect): { schedule: LoopSchedule; duration: Flicks } {
  const T = oneShotLength;
  const X = Math.max(0, Math.min(Math.round(loop.crossfadeFlicks), Math.floor(T / 2)));
  const P = T - X;
  if (loop.mode === 'fill') {
    const D = Math.max(1, Math.round(loop.fillFlicks));
    return { schedule: { crossfade: X, period: P, iterations: Math.max(1, Math.ceil(D / P)) }, duration: D };
  }
  const K = Math.max(1, Math.round(loop.count));
  return { schedule: { crossfade: X, period: P, iterations: K }, duration: K * P + X };
}

/** How many loop iterations a clip's effects ask for (1 without a loop); density-independent. */
export function iterationCount(clip: Clip): number {
  const loop = clip.effects.loop;
  if (!loop) return 1;
  const T = oneShotMap(clip.outFlicks - clip.inFlicks, clip.effects.speed, { perSecond: 1, maxPerSegment: 4 }).length;
  return loopSchedule(T, loop).schedule.iterations;
}

/** Knot density for a clip: coarser when many loop iterations each carry the curve. */
export function densityFor(iterations: number): KnotDensity {
  if (iterations <= 2) return DEFAULT_DENSITY;
  if (iterations <= 8) return { perSecond: 6, maxPerSegment: 24 };
  return { perSecond: 4, maxPerSegment: 8 };
}

const timingCache = new WeakMap<Clip, ClipTiming>();

/** Does the clip change time at all (speed other than 1×, reverse, a curve, or a loop)? */
export function hasTimeEffects(clip: Clip): boolean {
  return !!clip.effects.loop || !isIdentitySpeed(clip.effects.speed);
}

export function clipTiming(clip: Clip): ClipTiming {
  const hit = timingCache.get(clip);
  if (hit) return hit;
  const span = clip.outFlicks - clip.inFlicks;
  const speed = clip.effects.speed;
  const iterations = clip.effects.loop ? iterationCount(clip) : 1;
  const oneShot = oneShotMap(span, speed, densityFor(iterations));
  let timing: ClipTiming;
  if (clip.effects.loop) {
    const { schedule, duration } = loopSchedule(oneShot.length, clip.effects.loop);
    timing = { oneShot, loop: schedule, duration };
  } else timing = { oneShot, loop: null, duration: oneShot.length };
  timingCache.set(clip, timing);
  return timing;
}

/** Timeline length of a clip with time effects (clipDuration delegates here). */
export function timedDuration(clip: Clip): Flicks {
  return clipTiming(clip).duration;
}

/** Which iteration covers clip-relative output time t, and the time inside it. */
export function iterationAt(timing: ClipTiming, t: number): { iteration: number; local: number } {
  if (!timing.loop) return { iteration: 0, local: t };
  const { period, iterations } = timing.loop;
  const k = Math.max(0, Math.min(iterations - 1, Math.floor(t / period)));
  return { iteration: k, local: t - k * period };
}

/**
 * Source time (flicks, in the asset's own time) shown at clip-relative output time t,
 * continuously (no frame grid). Reversed clips count back from the out point.
 */
export function sourceTimeAt(clip: Clip, t: number): Flicks {
  const timing = clipTiming(clip);
  const { local } = iterationAt(timing, Math.max(0, t));
  const span = timing.oneShot.span;
  const x = Math.min(span, Math.max(0, positionAtTime(timing.oneShot, Math.min(local, timing.oneShot.length))));
  return timing.oneShot.reverse ? clip.outFlicks - x : clip.inFlicks + x;
}

/**
 * The timeline time at which a clip's first pass reaches source span position x (0..L),
 * relative to the clip start: for splits and trims, which cut in source terms.
 */
export function outputTimeAtPosition(clip: Clip, x: number): number {
  return timeAtPosition(clipTiming(clip).oneShot, x);
}

// ---------------------------------------------------------------------------------------
// Discrete: output frames → source frames.

export interface IterationTicks {
  /** Iteration start φ_k, clip-relative flicks. */
  phase: Flicks;
  /** First output tick s_k (clip-relative). */
  startTick: number;
  /** One past its last tick (clip-relative): its stream is endTick − startTick frames. */
  endTick: number;
  /** Ticks it overlaps (dissolves with) the previous iteration; 0 = hard cut. */
  transitionFrames: number;
  /** Audio: samples [startSample, endSample) of the clip, and the overlap with the previous. */
  startSample: number;
  endSample: number;
  transitionSamples: number;
}

export interface DiscreteTiming {
  timing: ClipTiming;
  inFlicks: Flicks;
  outFlicks: Flicks;
  sourceFrameFlicks: number;
  outputFrameFlicks: number;
  /** Absolute index of the first source frame of the span, and how many there are. */
  firstFrame: number;
  frameCount: number;
  /** Output frames of the whole clip. */
  totalFrames: number;
  iterations: IterationTicks[];
}

/** Output frame boundary nearest to f (as the render plan rounds). */
function frameIndex(f: Flicks, rate: Rational): number {
  return Math.round(f / flicksPerFrame(rate));
}

export function discreteTiming(clip: Clip, sourceFps: Rational, outputFps: Rational, sampleRate = 48000): DiscreteTiming {
  const timing = clipTiming(clip);
  const dS = flicksPerFrame(sourceFps);
  const dO = flicksPerFrame(outputFps);
  const firstFrame = Math.ceil(clip.inFlicks / dS - 1e-9);
  const endFrame = Math.ceil(clip.outFlicks / dS - 1e-9);
  const frameCount = Math.max(1, endFrame - firstFrame);
  const totalFrames = Math.max(1, frameIndex(clip.startFlicks + timing.duration, outputFps) - frameIndex(clip.startFlicks, outputFps));
  const totalSamples = Math.round((timing.duration * sampleRate) / FLICKS_PER_SECOND);
  const T = timing.oneShot.length;
  const K = timing.loop?.iterations ?? 1;
  const P = timing.loop?.period ?? T;
  const iterations: IterationTicks[] = [];
  for (let k = 0; k < K; k++) {
    const phase = k * P;
    const startTick = Math.ceil(phase / dO);
    const startSample = Math.round((phase * sampleRate) / FLICKS_PER_SECOND);
    if (startTick >= totalFrames && k > 0) break;
    iterations.push({
      phase,
      startTick,
      endTick: Math.min(totalFrames, Math.ceil((phase + T) / dO)),
      transitionFrames: 0,
      startSample,
      endSample: Math.min(totalSamples, Math.round(((phase + T) * sampleRate) / FLICKS_PER_SECOND)),
      transitionSamples: 0,
    });
  }
  const last = iterations[iterations.length - 1]!;
  last.endTick = totalFrames;
  last.endSample = totalSamples;
  for (let k = 1; k < iterations.length; k++) {
    const prev = iterations[k - 1]!;
    const cur = iterations[k]!;
    cur.transitionFrames = Math.max(0, prev.endTick - cur.startTick);
    cur.transitionSamples = Math.max(0, prev.endSample - cur.startSample);
    // Without overlap an iteration ends exactly where the next begins (concatenation).
    if (cur.transitionFrames === 0) prev.endTick = cur.startTick;
    if (cur.transitionSamples === 0) prev.endSample = cur.startSample;
  }
  return {
    timing,
    inFlicks: clip.inFlicks,
    outFlicks: clip.outFlicks,
    sourceFrameFlicks: dS,
    outputFrameFlicks: dO,
    firstFrame,
    frameCount,
    totalFrames,
    iterations,
  };
}

/** Playback position x of span frame n (0-based, in playback order). */
export function positionOfFrame(d: DiscreteTiming, n: number): number {
  return d.timing.oneShot.reverse
    ? d.outFlicks - (d.firstFrame + d.frameCount - n) * d.sourceFrameFlicks
    : (d.firstFrame + n) * d.sourceFrameFlicks - d.inFlicks;
}

/** tick_k(n): the iteration-local output tick from which span frame n is shown. */
export function tickOfFrame(d: DiscreteTiming, k: number, n: number): number {
  if (n === 0) return 0;
  const it = d.iterations[k]!;
  const t = timeAtPosition(d.timing.oneShot, positionOfFrame(d, n));
  return Math.max(0, Math.ceil((it.phase + t) / d.outputFrameFlicks - TICK_EPSILON) - it.startTick);
}

/** Span frame (playback order) shown at iteration-local tick `local` of iteration k. */
export function frameAtLocalTick(d: DiscreteTiming, k: number, local: number): number {
  let lo = 0;
  let hi = d.frameCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tickOfFrame(d, k, mid) <= local) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Absolute source frame index of span frame n in playback order. */
export function sourceFrameOf(d: DiscreteTiming, n: number): number {
  return d.timing.oneShot.reverse ? d.firstFrame + d.frameCount - 1 - n : d.firstFrame + n;
}

export interface OutputFrameSample {
  /** Iteration shown (the newer one in a dissolve). */
  iteration: number;
  /** Absolute source frame (asset frame index at its own rate). */
  sourceFrame: number;
  /** During a dissolve: the older iteration's frame and the newer one's weight (0..1). */
  previous?: { iteration: number; sourceFrame: number };
  mix: number;
}

/** What clip-relative output frame f shows (nearest-frame synthesis), exactly as exported. */
export function sampleOutputFrame(d: DiscreteTiming, f: number): OutputFrameSample {
  const its = d.iterations;
  let k = its.length - 1;
  while (k > 0 && its[k]!.startTick > f) k--;
  const it = its[k]!;
  const n = frameAtLocalTick(d, k, Math.max(0, f - it.startTick));
  const sample: OutputFrameSample = { iteration: k, sourceFrame: sourceFrameOf(d, n), mix: 1 };
  if (k > 0 && it.transitionFrames > 0 && f < it.startTick + it.transitionFrames) {
    const prev = its[k - 1]!;
    const pn = frameAtLocalTick(d, k - 1, f - prev.startTick);
    sample.previous = { iteration: k - 1, sourceFrame: sourceFrameOf(d, pn) };
    // ffmpeg xfade 'fade': the first overlapping frame is all old, then linear.
    sample.mix = (f - it.startTick) / it.transitionFrames;
  }
  return sample;
}

/** Source frames shown at every output frame of the clip (nearest), for tests and tools. */
export function outputFrameTable(d: DiscreteTiming): number[] {
  const out: number[] = [];
  for (let f = 0; f < d.totalFrames; f++) out.push(sampleOutputFrame(d, f).sourceFrame);
  return out;
}
