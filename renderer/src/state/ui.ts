/**
 * Editor UI state: which view, what is selected, where the playhead is, zoom, marks,
 * shuttle rate. Nothing here is project data; a drag's preview lives here because it is
 * outside the history until the drop commits one command.
 */
import { create } from 'zustand';
import type { Clip } from '@app/model/types';
import type { Flicks } from '@app/time/flicks';

export type View = 'storyboard' | 'edit' | 'media' | 'cameos';

/** A clip as the current drag would leave it (not yet committed). */
export interface ClipPreview {
  clipId: string;
  trackId: string;
  startFlicks: Flicks;
  inFlicks: Flicks;
  outFlicks: Flicks;
  /** A trim of a clip with speed or loop also reshapes its effects (curve part, fill length). */
  effects?: Clip['effects'];
  /** For such a trim: the timeline time the dragged edge is at (what clip.trim is sent). */
  edgeFlicks?: Flicks;
  /** Linked partners moving or trimming with it (app/timeline/links.ts), by clip id. */
  partners?: Record<string, { startFlicks: Flicks; inFlicks: Flicks; outFlicks: Flicks }>;
}

/** Zoomed out far enough that Fit shows a four-hour timeline in ~1,400 px. */
export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 800;
export const SHUTTLE_RATES = [1, 2, 4, 8] as const;

export interface UiStore {
  view: View;
  selectedShotId: string | null;
  selectedClipIds: string[];
  selectedAssetId: string | null;
  playhead: Flicks;
  /** Shuttle rate: 0 paused, 1 play, 2/4/8 fast forward, negative reverse. */
  rate: number;
  /** Timeline zoom, pixels per second. */
  zoom: number;
  snapping: boolean;
  markIn: Flicks | null;
  markOut: Flicks | null;
  preview: ClipPreview | null;
  jobsOpen: boolean;
  exportOpen: boolean;

  setView(v: View): void;
  selectShot(id: string | null): void;
  selectClips(ids: string[]): void;
  selectAsset(id: string | null): void;
  setPlayhead(f: Flicks): void;
  setRate(r: number): void;
  setZoom(z: number): void;
  toggleSnapping(): void;
  setMarks(m: { markIn?: Flicks | null; markOut?: Flicks | null }): void;
  setPreview(p: ClipPreview | null): void;
  setJobsOpen(open: boolean): void;
  setExportOpen(open: boolean): void;
  /** Forget everything tied to the project that was open. */
  reset(): void;
}

const initial = {
  view: 'storyboard' as View,
  selectedShotId: null,
  selectedClipIds: [],
  selectedAssetId: null,
  playhead: 0,
  rate: 0,
  zoom: 60,
  snapping: true,
  markIn: null,
  markOut: null,
  preview: null,
  jobsOpen: false,
  exportOpen: false,
};

export const useUi = create<UiStore>()((set) => ({
  ...initial,
  setView: (view) => set({ view }),
  selectShot: (selectedShotId) => set({ selectedShotId }),
  selectClips: (selectedClipIds) => set({ selectedClipIds }),
  selectAsset: (selectedAssetId) => set({ selectedAssetId }),
  setPlayhead: (f) => set({ playhead: Math.max(0, Math.round(f)) }),
  setRate: (rate) => set({ rate }),
  setZoom: (z) => set({ zoom: Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z)) }),
  toggleSnapping: () => set((s) => ({ snapping: !s.snapping })),
  setMarks: (m) => set(m),
  setPreview: (preview) => set({ preview }),
  setJobsOpen: (jobsOpen) => set({ jobsOpen }),
  setExportOpen: (exportOpen) => set({ exportOpen }),
  reset: () => set({ ...initial }),
}));
