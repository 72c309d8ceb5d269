/** How long a clip occupies the timeline (its own module so the track index can use it without a cycle). */
import type { Flicks } from '../time/flicks.js';
import type { Clip } from '../model/types.js';
import { timedDuration } from '../timing/timemap.js';

/**
 * Length a clip occupies on the timeline: THE one place it is computed. Speed and loop
 * change it through the time map (app/timing/timemap.ts), which the Viewer and export share.
 */
export function clipDuration(clip: Clip): Flicks {
  if (clip.effects.speed || clip.effects.loop) return timedDuration(clip);
  return clip.outFlicks - clip.inFlicks;
}

export function clipEnd(clip: Clip): Flicks {
  return clip.startFlicks + clipDuration(clip);
}
