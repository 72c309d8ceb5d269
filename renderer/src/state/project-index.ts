/**
 * The ordered views of the project the editor draws from, kept beside the mirror and updated
 * from each patch (sorted-groups.ts) instead of re-derived from every entity per edit:
 * clips per track by start, the storyboard's shot order, takes per shot. On a 5,000-clip
 * project each re-derivation cost an `Object.values` over a 5,000-key object (V8 keeps such
 * objects as hash tables and sorts them to enumerate) plus a sort, several times per edit.
 */
import type { Clip, ProjectState, Shot, Take } from '@app/model/types';
import type { Patch } from '@app/commands/patch';
import { clipEnd } from '@app/timeline/query';
import { groupSorted, totalOrder, updateGroups, updateSorted, type Groups } from './sorted-groups';

export interface ProjectIndex {
  /** Per track id, its clips by start (ties by id). A track without clips has no entry. */
  clipsByTrack: Groups<Clip>;
  /** Shots in storyboard order (position, ties by id). */
  shots: readonly Shot[];
  /** Per shot id, its takes by position (ties by id). */
  takesByShot: Groups<Take>;
}

export const CLIP_ORDER = totalOrder<Clip>((a, b) => a.startFlicks - b.startFlicks);
export const SHOT_ORDER = totalOrder<Shot>((a, b) => a.position - b.position);
export const TAKE_ORDER = totalOrder<Take>((a, b) => a.position - b.position);
const trackOf = (c: Clip) => c.trackId;
const shotOf = (t: Take) => t.shotId;

export const EMPTY_INDEX: ProjectIndex = { clipsByTrack: {}, shots: [], takesByShot: {} };

/** From scratch: when a project opens. */
export function buildIndex(state: ProjectState): ProjectIndex {
  return {
    clipsByTrack: groupSorted(Object.values(state.clips), trackOf, CLIP_ORDER),
    shots: Object.values(state.shots).sort(SHOT_ORDER),
    takesByShot: groupSorted(Object.values(state.takes), shotOf, TAKE_ORDER),
  };
}

/**
 * `index` (of `prev`) with `patch` applied; what the patch does not touch keeps its identity
 * (the index itself, when the patch changes none of its collections).
 */
export function updateIndex(index: ProjectIndex, prev: ProjectState, patch: Patch): ProjectIndex {
  const clipsByTrack = patch.clips ? updateGroups(index.clipsByTrack, prev.clips, patch.clips, trackOf, CLIP_ORDER) : index.clipsByTrack;
  const shots = patch.shots ? updateSorted(index.shots, prev.shots, patch.shots, SHOT_ORDER) : index.shots;
  const takesByShot = patch.takes ? updateGroups(index.takesByShot, prev.takes, patch.takes, shotOf, TAKE_ORDER) : index.takesByShot;
  if (clipsByTrack === index.clipsByTrack && shots === index.shots && takesByShot === index.takesByShot) return index;
  return { clipsByTrack, shots, takesByShot };
}

/**
 * Clips covering time `t` on any track, top video track first (app/timeline/query's clipsAt,
 * read from the per-track lists: each list is scanned only up to `t`, and no 5,000-key
 * object is enumerated).
 */
export function clipsAtIndexed(index: ProjectIndex, tracks: ProjectState['tracks'], t: number): Clip[] {
  const out: Clip[] = [];
  for (const list of Object.values(index.clipsByTrack)) {
    for (const c of list) {
      if (c.startFlicks > t) break;
      if (t < clipEnd(c)) out.push(c);
    }
  }
  return out.sort((a, b) => (tracks[b.trackId]?.index ?? 0) - (tracks[a.trackId]?.index ?? 0));
}
