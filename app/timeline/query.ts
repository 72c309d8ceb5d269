/** Pure queries over the timeline: durations, ordering, overlap. */
import type { Flicks } from '../time/flicks.js';
import type { Clip, ProjectState, Shot, Track, TrackKind } from '../model/types.js';
import { clipEnd } from './duration.js';
import { clipsOverlapping, sortedTrackClips } from './track-index.js';

export { clipDuration, clipEnd } from './duration.js';

/** The track's clips by start (then id): a copy of the track index's sorted list, no sort per call. */
export function clipsOnTrack(state: ProjectState, trackId: string): Clip[] {
  return sortedTrackClips(state.clips, trackId).slice();
}

export function tracksOfKind(state: ProjectState, kind: TrackKind): Track[] {
  return Object.values(state.tracks)
    .filter((t) => t.kind === kind)
    .sort((a, b) => a.index - b.index);
}

export function timelineDuration(state: ProjectState): Flicks {
  let end = 0;
  for (const c of Object.values(state.clips)) end = Math.max(end, clipEnd(c));
  return end;
}

export function orderedShots(state: ProjectState): Shot[] {
  return Object.values(state.shots).sort((a, b) => a.position - b.position || a.id.localeCompare(b.id));
}

/** The first clip on the track that overlaps [start, end), ignoring `exceptIds`. */
export function findOverlap(
  state: ProjectState,
  trackId: string,
  start: Flicks,
  end: Flicks,
  exceptIds: ReadonlySet<string> = new Set(),
): Clip | undefined {
  return clipsOverlapping(state.clips, trackId, start, end).find((c) => !exceptIds.has(c.id));
}

/** Clips that cover time `t` on any track, top video track first. */
export function clipsAt(state: ProjectState, t: Flicks): Clip[] {
  return Object.values(state.clips)
    .filter((c) => c.startFlicks <= t && t < clipEnd(c))
    .sort((a, b) => (state.tracks[b.trackId]?.index ?? 0) - (state.tracks[a.trackId]?.index ?? 0));
}

/** Source length available for a clip's asset; images have no end. */
export function assetSourceDuration(state: ProjectState, assetId: string): Flicks {
  const a = state.assets[assetId];
  if (!a) return 0;
  return a.kind === 'image' ? Number.MAX_SAFE_INTEGER : a.probe.durationFlicks;
}
