/**
 * Mirror of the open project: main's state, its undo history and folder. Changes arrive
 * as patches (from `project.changed` events and from edit results); applying a patch
 * twice is harmless, so both paths simply apply what they get.
 */
import { create } from 'zustand';
import type { HistoryInfo } from '@app/commands/engine';
import { applyPatch, isAppliedTo, type Patch } from '@app/commands/patch';
import type { ProjectSnapshot } from '@app/api/contract';
import type { ProjectState } from '@app/model/types';
import { updateTrackIndex } from '@app/timeline/track-index';
import { updateLinkIndex } from '@app/timeline/links';
import { buildIndex, EMPTY_INDEX, updateIndex, type ProjectIndex } from './project-index';

const NO_HISTORY: HistoryInfo = { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null };

export interface ProjectStore {
  dir: string | null;
  state: ProjectState | null;
  history: HistoryInfo;
  /** Ordered views (clips per track, shot order, takes per shot), updated per patch: project-index.ts. */
  index: ProjectIndex;
  load(snapshot: ProjectSnapshot): void;
  patch(patch: Patch, history?: HistoryInfo): void;
  clear(): void;
}

export const useProject = create<ProjectStore>()((set) => ({
  dir: null,
  state: null,
  history: NO_HISTORY,
  index: EMPTY_INDEX,
  // The clips object is the mirror's own (patches change it in place): not the snapshot's.
  load: (snap) => {
    const state = { ...snap.state, clips: { ...snap.state.clips } };
    set({ dir: snap.dir, state, history: snap.history, index: buildIndex(state) });
  },
  // The second copy of an edit (answer + event) changes nothing: keep the same state object so
  // no selector re-derives and no component re-renders for it.
  patch: (patch, history) =>
    set((s) => {
      if (!s.state) return {};
      if (isAppliedTo(s.state, patch)) return !history || sameHistory(history, s.history) ? s : { history };
      // The index reads the clips as they were: update it before they change in place.
      const index = updateIndex(s.index, s.state, patch);
      return { state: applyMirrorPatch(s.state, patch), history: history ?? s.history, index };
    }),
  clear: () => set({ dir: null, state: null, history: NO_HISTORY, index: EMPTY_INDEX }),
}));

/**
 * A new state object with `patch` applied. Every collection but `clips` is copied when the patch
 * touches it (applyPatch), so selectors keyed on `state.shots` etc. see a new object. `clips`
 * is changed IN PLACE, as main does (applyPatchInPlace): copying the 5,000-entry object cost
 * 1–8 ms per edit (V8 rebuilds a hash table of that size key by key) plus its garbage. So
 * `state.clips` keeps its identity across edits: nothing may memoise on it or keep it to compare
 * with later. Re-render from a clip itself (`s.state?.clips[id]`, a new object when it changes),
 * the per-track lists of `index` (new arrays for the tracks an edit touches), or `state`.
 * app/'s per-track and link indexes cached on the clips object are kept in step per clip.
 */
function applyMirrorPatch(state: ProjectState, patch: Patch): ProjectState {
  const { clips: changes, ...rest } = patch;
  const next = applyPatch(state, rest);
  if (!changes) return next;
  const clips = state.clips;
  for (const id of Object.keys(changes)) {
    const after = changes[id]!;
    const before = clips[id];
    if (before === (after ?? undefined)) continue;
    updateTrackIndex(clips, before, after);
    updateLinkIndex(clips, before, after);
    if (after === null) delete clips[id];
    else clips[id] = after;
  }
  return next === state ? { ...state } : next;
}

function sameHistory(a: HistoryInfo, b: HistoryInfo): boolean {
  return a.canUndo === b.canUndo && a.canRedo === b.canRedo && a.undoLabel === b.undoLabel && a.redoLabel === b.redoLabel;
}

/** The open project's state; components under the workspace may assume it is there. */
export function useProjectState(): ProjectState {
  const state = useProject((s) => s.state);
  if (!state) throw new Error('No project is open.');
  return state;
}
