/**
 * Audio-track controls with their defaults, and who is heard: a muted track never is;
 * when any audio track is soloed only soloed audio tracks are (the sound a video track
 * carries itself counts as not soloed). Export (app/render/plan.ts) and the Viewer read
 * these same functions, so what is heard while editing is what the file holds.
 */
import type { Track } from '../model/types.js';

export const MAX_TRACK_VOLUME = 4;

export function trackVolume(t: Track): number {
  return t.volume ?? 1;
}

export function trackPan(t: Track): number {
  return Math.max(-1, Math.min(1, t.pan ?? 0));
}

/** Whether any audio track is soloed (then only soloed tracks sound). */
export function anySolo(tracks: Iterable<Track>): boolean {
  for (const t of tracks) if (t.kind === 'audio' && t.solo) return true;
  return false;
}

export function isAudible(t: Track, soloActive: boolean): boolean {
  if (t.muted) return false;
  if (!soloActive) return true;
  return t.kind === 'audio' && !!t.solo;
}

/**
 * Left/right gains of the Web Audio StereoPannerNode for a STEREO input, which export copies
 * with ffmpeg's `pan` filter: pan ≤ 0 folds part of the right channel into the left,
 * pan > 0 the left into the right (equal-power law, unity at centre).
 *   out.L = lFromL·in.L + lFromR·in.R,  out.R = rFromL·in.L + rFromR·in.R
 */
export function stereoPanMatrix(pan: number): { lFromL: number; lFromR: number; rFromL: number; rFromR: number } {
  const p = Math.max(-1, Math.min(1, pan));
  if (p <= 0) {
    const x = p + 1;
    return { lFromL: 1, lFromR: Math.cos((x * Math.PI) / 2), rFromL: 0, rFromR: Math.sin((x * Math.PI) / 2) };
  }
  return { lFromL: Math.cos((p * Math.PI) / 2), lFromR: 0, rFromL: Math.sin((p * Math.PI) / 2), rFromR: 1 };
}
