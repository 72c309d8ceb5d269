/**
 * Where the timeline is scrolled, coarsely: the lanes draw only the clips around it
 * (components/timeline/windowing.ts). Kept apart from `ui` so a scroll re-renders the
 * lanes and nothing else, and only when the scroll crosses a half-screen page.
 */
import { create } from 'zustand';

export interface TimelineWindowStore {
  /** scrollLeft of the lanes, rounded down to a half-viewport page. */
  pageLeft: number;
  /** Width of the lanes' visible area, pixels. */
  viewport: number;
  update(scrollLeft: number, viewport: number): void;
}

export const useTimelineWindow = create<TimelineWindowStore>()((set, get) => ({
  pageLeft: 0,
  viewport: 1200,
  update(scrollLeft, viewport) {
    const page = Math.max(200, viewport / 2);
    const pageLeft = Math.floor(Math.max(0, scrollLeft) / page) * page;
    const s = get();
    if (s.pageLeft !== pageLeft || Math.abs(s.viewport - viewport) >= 1) set({ pageLeft, viewport });
  },
}));
