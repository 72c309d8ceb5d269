/**
 * A clip's audio gain at a timeline instant: its volume × its volume keyframes × its fade
 * ramps × its crossfades. Export builds the same shape with ffmpeg filters over the clip's
 * timeline length (volume; aeval for the keyframes' piecewise-linear envelope; afade curve
 * "tri" (linear) for fades and equal-gain crossfades, "qsin" for equal-power ones), so the
 * Viewer's level follows what the MP4 will hold, sample for sample.
 */
import type { Flicks } from '../time/flicks.js';
import type { Clip, GainKeyframe } from '../model/types.js';
import { clipDuration } from './query.js';
import { crossfadeInGain, crossfadeOutGain, type ClipCrossfades } from './crossfades.js';

/** Fade multiplier in [0, 1] at timeline time `t` (1 outside the fades and outside the clip). */
export function fadeGainAt(clip: Clip, t: Flicks): number {
  const length = clipDuration(clip);
  const u = t - clip.startFlicks;
  if (u < 0 || u > length) return 1;
  let g = 1;
  const { fadeInFlicks: fin, fadeOutFlicks: fout } = clip.effects;
  if (fin > 0 && u < fin) g *= u / fin;
  if (fout > 0 && u > length - fout) g *= (length - u) / fout;
  return Math.max(0, Math.min(1, g));
}

/**
 * The rubber band at source time `s`: linear between keyframes, held before the first and
 * after the last, 1 with none. `keyframes` sorted by sourceFlicks (commands keep them so).
 */
export function keyframeGainAt(keyframes: readonly GainKeyframe[] | undefined, s: Flicks): number {
  if (!keyframes || keyframes.length === 0) return 1;
  const first = keyframes[0]!;
  if (s <= first.sourceFlicks) return first.gain;
  for (let i = 1; i < keyframes.length; i++) {
    const b = keyframes[i]!;
    if (s < b.sourceFlicks) {
      const a = keyframes[i - 1]!;
      return a.gain + ((b.gain - a.gain) * (s - a.sourceFlicks)) / (b.sourceFlicks - a.sourceFlicks);
    }
  }
  return keyframes[keyframes.length - 1]!.gain;
}

/** Crossfade multiplier at timeline time `t` (edges from app/timeline/crossfades.ts). */
export function crossfadeGainAt(clip: Clip, t: Flicks, xf: ClipCrossfades | undefined): number {
  if (!xf) return 1;
  const u = t - clip.startFlicks;
  const length = clipDuration(clip);
  let g = 1;
  if (xf.in && u < xf.in.flicks) g *= crossfadeInGain(xf.in.curve, u / xf.in.flicks);
  if (xf.out && u > length - xf.out.flicks) g *= crossfadeOutGain(xf.out.curve, (u - (length - xf.out.flicks)) / xf.out.flicks);
  return g;
}

/**
 * Volume × keyframes × fades × crossfades at `t`: what the clip contributes to the mix there
 * (may exceed 1). Keyframes read the source time under `t` (clips with speed or loop carry none).
 */
export function clipGainAt(clip: Clip, t: Flicks, xf?: ClipCrossfades): number {
  const kf = keyframeGainAt(clip.effects.gainKeyframes, clip.inFlicks + (t - clip.startFlicks));
  return clip.effects.volume * kf * fadeGainAt(clip, t) * crossfadeGainAt(clip, t, xf);
}
