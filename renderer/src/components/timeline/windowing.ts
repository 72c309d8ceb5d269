/**
 * What a track lane draws for the part of the timeline in view (issue 14: a 5,000-clip
 * timeline rendered every clip, 56k DOM elements). Pure, so it is tested without a DOM.
 *
 * - Only clips overlapping the window are drawn.
 * - Clips too narrow to read at this zoom (< MIN_CLIP_PX) are folded, with their
 *   neighbours, into one summary block ("12 clips"): zoomed far out a lane shows the shape
 *   of the cut, and the DOM stays bounded by the window's width, not the clip count.
 */
import type { Clip } from '@app/model/types';
import { clipEnd } from '@app/timeline/query';
import type { Flicks } from '@app/time/flicks';
import { toFlicks, toPx } from './geometry';

/** Narrower than this (pixels) a clip is drawn as part of a summary block. */
export const MIN_CLIP_PX = 6;
/** Narrow clips closer than this (pixels) join the same summary block. */
const JOIN_GAP_PX = 3;

export type LaneItem =
  | { type: 'clip'; clip: Clip }
  | { type: 'summary'; key: string; startFlicks: Flicks; endFlicks: Flicks; count: number; first: Clip };

export interface TimeWindow {
  from: Flicks;
  to: Flicks;
}

/** scrollLeft rounded down to a half-viewport page: the lanes re-render when this changes. */
export function pageOf(scrollLeft: number, viewportPx: number): number {
  const page = Math.max(200, viewportPx / 2);
  return Math.floor(Math.max(0, scrollLeft) / page) * page;
}

/** The part of the timeline the lanes draw, as Timeline hands it down. */
export interface LaneView {
  pageLeft: number;
  viewport: number;
}

/**
 * The time range to draw: what is on screen plus half a screen either side, snapped to
 * half-screen pages so that scrolling re-renders the lanes once per half screen, not per frame.
 */
export function windowFor(scrollLeft: number, viewportPx: number, zoom: number): TimeWindow {
  const page = Math.max(200, viewportPx / 2);
  const left = Math.floor(scrollLeft / page) * page;
  return { from: Math.max(0, toFlicks(left - page, zoom)), to: toFlicks(left + viewportPx + 2 * page, zoom) };
}

/**
 * `clips` sorted by start (as useClipsByTrack gives them). `keep` is drawn whatever its width
 * or place (the clip being dragged), so a drag never loses its element.
 */
export function laneItems(clips: readonly Clip[], win: TimeWindow, zoom: number, keep: string | null = null): LaneItem[] {
  const out: LaneItem[] = [];
  const gap = toFlicks(JOIN_GAP_PX, zoom);
  let block: Extract<LaneItem, { type: 'summary' }> | null = null;
  const flush = () => {
    if (!block) return;
    // A lone narrow clip stays a clip (it is still selectable); only runs become summaries.
    out.push(block.count === 1 ? { type: 'clip', clip: block.first } : block);
    block = null;
  };
  for (const c of clips) {
    const end = clipEnd(c);
    if (c.id === keep) {
      flush();
      out.push({ type: 'clip', clip: c });
      continue;
    }
    if (end < win.from || c.startFlicks > win.to) continue;
    if (toPx(end - c.startFlicks, zoom) >= MIN_CLIP_PX) {
      flush();
      out.push({ type: 'clip', clip: c });
      continue;
    }
    if (block && c.startFlicks - block.endFlicks <= gap) {
      block.endFlicks = Math.max(block.endFlicks, end);
      block.count++;
    } else {
      flush();
      block = { type: 'summary', key: `sum:${c.id}`, startFlicks: c.startFlicks, endFlicks: end, count: 1, first: c };
    }
  }
  flush();
  return out;
}

/**
 * The lane pixels [left, right) a track strip's waveform canvas covers: the same range as
 * windowFor (what is drawn), whole pixels (a canvas at a fractional left is resampled, blurred),
 * never past the lane (`laneWidth`), so it adds nothing to the scroll width.
 */
export function stripRange(view: LaneView, laneWidth: number): { left: number; width: number } {
  const page = Math.max(200, view.viewport / 2);
  const left = Math.max(0, Math.floor(view.pageLeft - page));
  const right = Math.min(Math.ceil(laneWidth), Math.ceil(view.pageLeft + view.viewport + 2 * page));
  return { left, width: Math.max(0, right - left) };
}
