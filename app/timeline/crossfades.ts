/**
 * Crossfades on an audio track. A clip with `crossfadeInFlicks = d` starts d before the clip
 * before it ends (the only overlap a track allows); over those d the earlier clip fades out
 * and the later one fades in.
 *
 * Curves: equal-POWER (in = sin(x·π/2), out = cos(x·π/2)) keeps the loudness of two
 * UNCORRELATED sounds constant (powers add: sin² + cos² = 1), but two CORRELATED ones (the
 * same recording either side of a cut, room tone into itself) add in amplitude and bulge by
 * up to +3 dB mid-fade. Equal-GAIN (linear: in = x, out = 1 − x) sums correlated material to
 * exactly its level (no dip, no bump) but dips uncorrelated material by up to −3 dB. 'auto'
 * therefore picks equal-gain when both clips come from the same media (a split with handles,
 * the same take) and equal-power otherwise. Export uses ffmpeg afade curves qsin / tri, which
 * are these same functions sample for sample.
 */
import type { Clip, CrossfadeCurve } from '../model/types.js';
import type { Flicks } from '../time/flicks.js';
import { clipDuration, clipEnd } from './query.js';

export type ResolvedCurve = 'equal-power' | 'equal-gain';

export interface CrossfadeEdge {
  flicks: Flicks;
  curve: ResolvedCurve;
}

export interface ClipCrossfades {
  in?: CrossfadeEdge;
  out?: CrossfadeEdge;
}

export function resolveCurve(curve: CrossfadeCurve | undefined, earlier: Clip, later: Clip): ResolvedCurve {
  if (curve === 'equal-power' || curve === 'equal-gain') return curve;
  return earlier.assetId === later.assetId ? 'equal-gain' : 'equal-power';
}

/** Whether `later` overlaps `earlier` exactly by its declared crossfade (and the fade fits both). */
export function isDeclaredCrossfade(earlier: Clip, later: Clip): boolean {
  const d = later.effects.crossfadeInFlicks ?? 0;
  if (!(d > 0) || later.startFlicks <= earlier.startFlicks) return false;
  return clipEnd(earlier) - later.startFlicks === d && d < clipDuration(earlier) && d < clipDuration(later);
}

/** Crossfade edges of each clip of one track; `sorted` by start. */
export function trackCrossfades(sorted: readonly Clip[]): Map<string, ClipCrossfades> {
  const out = new Map<string, ClipCrossfades>();
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (!isDeclaredCrossfade(a, b)) continue;
    const edge: CrossfadeEdge = { flicks: b.effects.crossfadeInFlicks!, curve: resolveCurve(b.effects.crossfadeCurve, a, b) };
    out.set(a.id, { ...out.get(a.id), out: edge });
    out.set(b.id, { ...out.get(b.id), in: edge });
  }
  return out;
}

/** Gain of a crossfade edge at fraction x ∈ [0, 1] of the way through it. */
export function crossfadeInGain(curve: ResolvedCurve, x: number): number {
  const u = Math.max(0, Math.min(1, x));
  return curve === 'equal-power' ? Math.sin((u * Math.PI) / 2) : u;
}

export function crossfadeOutGain(curve: ResolvedCurve, x: number): number {
  return crossfadeInGain(curve, 1 - x);
}
