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
import { carryTrackIndex } from '@app/timeline/track-index';
import { carryLinkIndex } from '@app/timeline/links';
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
  load: (snap) => set({ dir: snap.dir, state: snap.state, history: snap.history, index: buildIndex(snap.state) }),
  // The second copy of an edit (answer + event) changes nothing: keep the same state object so
  // no selector re-derives and no component re-renders for it.
  patch: (patch, history) =>
    set((s) => {
      if (!s.state) return {};
      if (isAppliedTo(s.state, patch)) return !history || sameHistory(history, s.history) ? s : { history };
      const state = applyPatch(s.state, patch);
      if (patch.clips && state.clips !== s.state.clips) {
        // The per-track and link indexes app/ looks clips up by follow the new clips object
        // instead of being rebuilt from all 5,000 clips on the next lookup.
        carryTrackIndex(s.state.clips, state.clips, patch.clips);
        carryLinkIndex(s.state.clips, state.clips, patch.clips);
      }
      return { state, history: history ?? s.history, index: updateIndex(s.index, s.state, patch) };
    }),
  clear: () => set({ dir: null, state: null, history: NO_HISTORY, index: EMPTY_INDEX }),
}));

function sameHistory(a: HistoryInfo, b: HistoryInfo): boolean {
  return a.canUndo === b.canUndo && a.canRedo === b.canRedo && a.undoLabel === b.undoLabel && a.redoLabel === b.redoLabel;
}

/** The open project's state; components under the workspace may assume it is there. */
export function useProjectState(): ProjectState {
  const state = useProject((s) => s.state);
  if (!state) throw new Error('No project is open.');
  return state;
}
