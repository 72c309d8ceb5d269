/**
 * A clip's audio gain at a timeline instant: its volume times its fade ramps. Export builds
 * the same ramps with ffmpeg `afade` (default curve "tri", i.e. linear) over the clip's
 * timeline length, so the Viewer's level follows what the MP4 will hold.
 */
import type { Flicks } from '../time/flicks.js';
import type { Clip } from '../model/types.js';
import { clipDuration } from './query.js';

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

/** Volume × fades at `t`: what the clip contributes to the mix there (may exceed 1). */
export function clipGainAt(clip: Clip, t: Flicks): number {
  return clip.effects.volume * fadeGainAt(clip, t);
}
