/**
 * Speed curves: keyframes of playback rate over the playback position u ∈ [0, 1] of a
 * clip's source span, integrated into knots of "output time per source length".
 *
 * With s(u) the rate, output time to reach position u is  τ(u) = ∫₀ᵘ du'/s(u')  (per unit of
 * source length), so a span of L flicks plays for L·τ(1). Linear segments integrate in
 * closed form (a logarithm); eased segments (smoothstep) by composite Simpson. Between
 * knots the map is *defined* as linear, which is what makes it exact: the export evaluates
 * the very same piecewise-linear formula (expr.ts), so no two consumers can disagree.
 */
import { FLICKS_PER_SECOND } from '../time/flicks.js';
import { SPEED_MAX, SPEED_MIN, type SpeedEffect, type SpeedKeyframe } from '../model/timing.js';

export type SpeedPreset = 'constant' | 'ramp-in' | 'ramp-out' | 'hero';
export const SPEED_PRESETS: readonly { id: SpeedPreset; label: string }[] = [
  { id: 'constant', label: 'Constant' },
  { id: 'ramp-in', label: 'Ramp in' },
  { id: 'ramp-out', label: 'Ramp out' },
  { id: 'hero', label: 'Hero' },
];

/**
 * Preset curves around a base rate r (the constant rate the user had):
 *  - ramp in: starts at r/4 and eases up to r by 40% of the span,
 *  - ramp out: holds r, then eases down to r/4 over the last 40%,
 *  - hero: r, eases down to r/5 for the middle 30% (the hero moment), eases back to r.
 */
export function presetKeyframes(preset: SpeedPreset, base = 1): SpeedKeyframe[] {
  const r = clampSpeed(base);
  const slow = (f: number) => clampSpeed(r * f);
  switch (preset) {
    case 'constant':
      return [];
    case 'ramp-in':
      return [
        { at: 0, speed: slow(0.25), ease: 'ease' },
        { at: 0.4, speed: r, ease: 'linear' },
        { at: 1, speed: r, ease: 'linear' },
      ];
    case 'ramp-out':
      return [
        { at: 0, speed: r, ease: 'linear' },
        { at: 0.6, speed: r, ease: 'ease' },
        { at: 1, speed: slow(0.25), ease: 'linear' },
      ];
    case 'hero':
      return [
        { at: 0, speed: r, ease: 'ease' },
        { at: 0.35, speed: slow(0.2), ease: 'linear' },
        { at: 0.65, speed: slow(0.2), ease: 'ease' },
        { at: 1, speed: r, ease: 'linear' },
      ];
  }
}

export function clampSpeed(s: number): number {
  if (!Number.isFinite(s)) return 1;
  return Math.min(SPEED_MAX, Math.max(SPEED_MIN, s));
}

/** Problems with a speed effect, in words; empty when valid. */
export function speedProblems(s: SpeedEffect): string[] {
  const p: string[] = [];
  const okRate = (r: number) => Number.isFinite(r) && r >= SPEED_MIN - 1e-12 && r <= SPEED_MAX + 1e-12;
  if (!okRate(s.rate)) p.push(`speed ${s.rate} is outside ${SPEED_MIN}–${SPEED_MAX}×`);
  const k = s.keyframes;
  if (k.length === 1) p.push('a speed curve needs at least two keyframes');
  if (k.length >= 2) {
    if (k[0]!.at !== 0) p.push('the first speed keyframe must be at the start (0)');
    if (k[k.length - 1]!.at !== 1) p.push('the last speed keyframe must be at the end (1)');
    for (let i = 0; i < k.length; i++) {
      const kf = k[i]!;
      if (!okRate(kf.speed)) p.push(`keyframe ${i + 1}: speed ${kf.speed} is outside ${SPEED_MIN}–${SPEED_MAX}×`);
      if (!(kf.at >= 0 && kf.at <= 1)) p.push(`keyframe ${i + 1}: position ${kf.at} is outside 0–1`);
      if (i > 0 && !(kf.at > k[i - 1]!.at)) p.push(`keyframe ${i + 1} is not after keyframe ${i}`);
    }
  }
  return p;
}

/** Rate at playback position u (0..1). */
export function speedAt(s: SpeedEffect, u: number): number {
  const k = s.keyframes;
  if (k.length < 2) return s.rate;
  if (u <= k[0]!.at) return k[0]!.speed;
  for (let i = 0; i < k.length - 1; i++) {
    const a = k[i]!;
    const b = k[i + 1]!;
    if (u <= b.at) return segmentSpeed(a, b, u);
  }
  return k[k.length - 1]!.speed;
}

function segmentSpeed(a: SpeedKeyframe, b: SpeedKeyframe, u: number): number {
  const v = (u - a.at) / (b.at - a.at);
  const e = a.ease === 'ease' ? v * v * (3 - 2 * v) : v;
  return a.speed + (b.speed - a.speed) * e;
}

/** Is a speed effect a no-op (rate 1, forwards, no curve)? */
export function isIdentitySpeed(s: SpeedEffect | undefined): boolean {
  return !s || (s.keyframes.length < 2 && s.rate === 1 && !s.reverse);
}

/**
 * Knots of the normalised map: positions u[i] (0..1) and output times tau[i] (per unit
 * source length), strictly increasing, u[0] = tau[0] = 0, u[last] = 1. `constant[i]` says
 * whether the interval (i, i+1) lies in a constant-rate stretch (audio keeps pitch there).
 */
export interface NormalizedKnots {
  u: number[];
  tau: number[];
  constant: boolean[];
}

const SIMPSON_SEGMENT = 256;

/** ∫ du / s(u) over [u0, u1] inside one keyframe segment. */
function integrateSegment(a: SpeedKeyframe, b: SpeedKeyframe, u0: number, u1: number, steps: number): number {
  if (u1 <= u0) return 0;
  if (a.speed === b.speed) return (u1 - u0) / a.speed;
  if (a.ease === 'linear') {
    const w = b.at - a.at;
    const slope = (b.speed - a.speed) / w;
    return Math.log(segmentSpeed(a, b, u1) / segmentSpeed(a, b, u0)) / slope;
  }
  const n = steps % 2 ? steps + 1 : steps;
  const h = (u1 - u0) / n;
  let sum = 1 / segmentSpeed(a, b, u0) + 1 / segmentSpeed(a, b, u1);
  for (let i = 1; i < n; i++) sum += (i % 2 ? 4 : 2) / segmentSpeed(a, b, u0 + i * h);
  return (sum * h) / 3;
}

const knotCache = new WeakMap<SpeedEffect, Map<string, NormalizedKnots>>();

/**
 * Normalised knots for a span of `spanFlicks` with `perSecond` knots per second of source
 * inside ramps (4..maxPerSegment per ramp segment). Segment ends do not depend on the density,
 * so the clip length (τ at 1) is the same whatever density a consumer asks for.
 */
export function normalizedKnots(s: SpeedEffect, spanFlicks: number, perSecond = 6, maxPerSegment = 64): NormalizedKnots {
  const seconds = spanFlicks / FLICKS_PER_SECOND;
  const key = `${spanFlicks}:${perSecond}:${maxPerSegment}`;
  let byKey = knotCache.get(s);
  const hit = byKey?.get(key);
  if (hit) return hit;
  const out = computeKnots(s, seconds, perSecond, maxPerSegment);
  if (!byKey) knotCache.set(s, (byKey = new Map()));
  if (byKey.size > 32) byKey.clear();
  byKey.set(key, out);
  return out;
}

function computeKnots(s: SpeedEffect, seconds: number, perSecond: number, maxPerSegment: number): NormalizedKnots {
  const k = s.keyframes;
  if (k.length < 2) return { u: [0, 1], tau: [0, 1 / s.rate], constant: [true] };
  const u = [0];
  const tau = [0];
  const constant: boolean[] = [];
  let at = 0;
  for (let i = 0; i < k.length - 1; i++) {
    const a = k[i]!;
    const b = k[i + 1]!;
    const segEnd = at + integrateSegment(a, b, a.at, b.at, SIMPSON_SEGMENT);
    if (a.speed === b.speed) {
      u.push(b.at);
      tau.push(segEnd);
      constant.push(true);
    } else {
      const n = Math.max(4, Math.min(Math.max(4, maxPerSegment), Math.ceil((b.at - a.at) * seconds * perSecond)));
      for (let j = 1; j < n; j++) {
        const uj = a.at + ((b.at - a.at) * j) / n;
        u.push(uj);
        tau.push(at + integrateSegment(a, b, a.at, uj, Math.max(8, Math.ceil((SIMPSON_SEGMENT * j) / n))));
        constant.push(false);
      }
      u.push(b.at);
      tau.push(segEnd);
      constant.push(false);
    }
    at = segEnd;
  }
  return { u, tau, constant };
}

/** Output time per unit source length for the whole span (τ(1)): clip length = L · this. */
export function curveTimeFactor(s: SpeedEffect): number {
  const k = normalizedKnots(s, 0, 1);
  return k.tau[k.tau.length - 1]!;
}
