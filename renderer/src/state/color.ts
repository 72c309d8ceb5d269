/**
 * Color-grading UI state: the grade being dragged (previewed outside the history until the
 * control commits one edit), the grade clipboard, the before/after split, the scopes of
 * the frame on screen, and imported LUTs parsed from the project's media/luts (by sha256).
 * Project data (the committed grades, presets) stays in the project mirror.
 */
import { create } from 'zustand';
import type { Histogram, Waveform } from '@app/color/scopes';
import type { ColorGrade, Lut3D } from '@app/model/color';

export type LutLoad = { state: 'loading' } | { state: 'ready'; lut: Lut3D } | { state: 'failed'; message: string };

export interface ColorStore {
  /** A grade being dragged on a control: the viewer shows it, the project does not have it yet. */
  draft: { clipId: string; grade: ColorGrade } | null;
  /** The copied grade (null: an ungraded clip was copied, pasting removes grades). */
  clipboard: ColorGrade | null;
  clipboardSet: boolean;
  /** Before/after split on: left of `split` (0..1 of the width) shows the source ungraded. */
  compare: boolean;
  split: number;
  scopes: { histogram: Histogram; waveform: Waveform } | null;
  /** A scopes display is mounted: the viewer then measures every frame it draws (throttled). */
  scopesVisible: boolean;
  luts: Record<string, LutLoad>;

  setDraft(d: { clipId: string; grade: ColorGrade } | null): void;
  setClipboard(g: ColorGrade | null): void;
  setCompare(on: boolean): void;
  setSplit(x: number): void;
  setScopes(s: ColorStore['scopes']): void;
  setScopesVisible(on: boolean): void;
  setLut(sha: string, load: LutLoad): void;
  reset(): void;
}

const initial = { draft: null, clipboard: null, clipboardSet: false, compare: false, split: 0.5, scopes: null, scopesVisible: false, luts: {} };

export const useColor = create<ColorStore>()((set) => ({
  ...initial,
  setDraft: (draft) => set({ draft }),
  setClipboard: (clipboard) => set({ clipboard, clipboardSet: true }),
  setCompare: (compare) => set({ compare }),
  setSplit: (x) => set({ split: Math.min(1, Math.max(0, x)) }),
  setScopes: (scopes) => set({ scopes }),
  setScopesVisible: (scopesVisible) => set(scopesVisible ? { scopesVisible } : { scopesVisible, scopes: null }),
  setLut: (sha, load) => set((s) => ({ luts: { ...s.luts, [sha]: load } })),
  reset: () => set({ ...initial }),
}));
