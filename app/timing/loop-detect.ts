/**
 * Seamless loop points. A loop plays source frames [j, k) and jumps back to j, so the seam
 * looks like an ordinary frame step when frame k (the one that would have come next) looks
 * like frame j. The search compares every frame near the start with every frame near the
 * end on tiny gray pictures (32×18, read by main/analysis) and keeps the closest pair.
 */
import type { Asset, Clip } from '../model/types.js';
import { flicksPerFrame } from '../time/flicks.js';
import type { LoopPointResult, LoopPointSearch } from '../model/timing.js';

export const LOOP_FRAME_WIDTH = 32;
export const LOOP_FRAME_HEIGHT = 18;
export const DEFAULT_LOOP_WINDOW = 30;
export const MAX_LOOP_WINDOW = 300;

/** Cache key of a search: the asset's analysis is reused for the same span and settings. */
export function loopPointKey(s: LoopPointSearch): string {
  return `v1:${s.inFrame}-${s.outFrame}:w${s.windowFrames}:m${s.minLoopFrames}`;
}

/** Frames the asset has (at its own rate), from the probe. */
export function assetFrameCount(asset: Asset): number {
  if (asset.probe.frameCount && asset.probe.frameCount > 0) return asset.probe.frameCount;
  const fps = asset.probe.fps;
  return fps ? Math.floor(asset.probe.durationFlicks / flicksPerFrame(fps) + 1e-6) : 0;
}

/** The search for a clip's current source span, `windowFrames` from each end. */
export function loopSearchFor(clip: Clip, asset: Asset, windowFrames = DEFAULT_LOOP_WINDOW): LoopPointSearch | null {
  const fps = asset.probe.fps;
  if (asset.kind !== 'video' || !fps) return null;
  const grid = flicksPerFrame(fps);
  const inFrame = Math.round(clip.inFlicks / grid);
  const outFrame = Math.min(Math.round(clip.outFlicks / grid), Math.max(1, assetFrameCount(asset)));
  const span = outFrame - inFrame;
  if (span < 4) return null;
  const w = Math.max(1, Math.min(MAX_LOOP_WINDOW, Math.round(windowFrames), Math.floor(span / 2)));
  // Tiny loops (a frame and its neighbour) always look seamless: ask for a third of the span at least.
  return { inFrame, outFrame, windowFrames: w, minLoopFrames: Math.max(2, Math.ceil(span / 3)) };
}

/** Frames each window reads: starts j ∈ [in, in+W), ends k ∈ [out−W, out) (k must exist to compare). */
export function searchWindows(s: LoopPointSearch, assetFrames: number): { starts: number[]; ends: number[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let j = s.inFrame; j < s.inFrame + s.windowFrames; j++) starts.push(j);
  const lastEnd = Math.min(s.outFrame, assetFrames - 1);
  for (let k = Math.max(s.inFrame + 1, lastEnd - s.windowFrames + 1); k <= lastEnd; k++) ends.push(k);
  return { starts, ends };
}

/** Mean absolute difference of two gray pictures (0..255). */
export function frameDifference(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) s += Math.abs(a[i]! - b[i]!);
  return n ? s / n : 0;
}

export interface LoopPair {
  startFrame: number;
  endFrame: number;
  difference: number;
}

/**
 * The best pair from a difference matrix: diff[a][b] compares start frame starts[a] with end
 * frame ends[b]. Smallest difference wins; ties go to the longer loop, then the earlier start.
 * Returns the best `count` pairs (best first); empty when no pair is long enough.
 */
export function bestLoopPairs(starts: number[], ends: number[], diff: number[][], minLoopFrames: number, count = 5): LoopPair[] {
  const pairs: LoopPair[] = [];
  for (let a = 0; a < starts.length; a++) {
    for (let b = 0; b < ends.length; b++) {
      const j = starts[a]!;
      const k = ends[b]!;
      if (k - j < minLoopFrames) continue;
      const d = diff[a]![b]!;
      if (!Number.isFinite(d)) continue;
      pairs.push({ startFrame: j, endFrame: k, difference: d });
    }
  }
  pairs.sort((p, q) => p.difference - q.difference || q.endFrame - q.startFrame - (p.endFrame - p.startFrame) || p.startFrame - q.startFrame);
  return pairs.slice(0, count);
}

function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * The whole analysis from decoded pictures: `startPictures[i]` is frame starts[i], and
 * `endPictures[i]` frame ends[i]. Also measures the clip's own motion (median difference of
 * consecutive frames inside the windows) so the seam can be judged against it.
 */
export function analyzeLoop(search: LoopPointSearch, starts: number[], startPictures: Uint8Array[], ends: number[], endPictures: Uint8Array[]): Omit<LoopPointResult, 'analysedAt'> | null {
  const diff = starts.map((_, a) => ends.map((_, b) => (startPictures[a] && endPictures[b] ? frameDifference(startPictures[a], endPictures[b]) : Infinity)));
  const best = bestLoopPairs(starts, ends, diff, search.minLoopFrames);
  if (!best.length) return null;
  const steps: number[] = [];
  for (const pics of [startPictures, endPictures]) for (let i = 1; i < pics.length; i++) if (pics[i - 1] && pics[i]) steps.push(frameDifference(pics[i - 1]!, pics[i]!));
  return {
    search,
    startFrame: best[0]!.startFrame,
    endFrame: best[0]!.endFrame,
    seamDifference: best[0]!.difference,
    medianFrameDifference: median(steps),
    candidates: best,
  };
}
