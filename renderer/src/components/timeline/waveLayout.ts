/**
 * What a track strip's waveform canvas shows (WaveStrip.tsx draws it). Pure, so it is tested
 * without a browser: which clips carry a waveform, where the waveform band sits in the lane,
 * each clip's levels in timeline time (cached), and which spans of the strip an update dirties.
 *
 * Why one canvas per strip and not one per clip (issue 14): a live <canvas> is handed to the
 * compositor as its own resource; ~50 of them in view made every scroll frame's commit cost
 * ~7 ms on the 5,000-clip project. An <img> of each (PNG-encoded) fixed that but delayed edits.
 */
import type { Asset, Clip, TrackKind } from '@app/model/types';
import { FLICKS_PER_SECOND } from '@app/time/flicks';
import { clipGainAt } from '@app/timeline/fades';
import type { ClipCrossfades } from '@app/timeline/crossfades';
import { clipDuration } from '@app/timeline/query';
import { remapLevels } from '@app/timing/waveform';
import { toPx } from './geometry';
import { displayLevels, type PeaksFile } from './peaks';

/** Narrower than this (pixels) a waveform is unreadable, and hundreds of them cost a frame. */
export const MIN_WAVE_PX = 24;
export const BAR_PX = 2;
export const GAP_PX = 1;

// The clip box inside a lane (timeline.css: .clip top/bottom 4px, 1px border; .clip__label 17px).
const CLIP_INSET = 4;
const CLIP_BORDER = 1;
const LABEL_H = 17;
/** Height of the waveform under a picture's filmstrip. */
export const VIDEO_WAVE_H = 16;
/** Radius of the clip's padding box corners (border-radius 5px less the 1px border). */
export const INNER_RADIUS = 4;

/** Does this clip show a waveform? A picture whose sound is on an audio track is silent: none. */
export function waveShown(clip: Clip, asset: Asset | undefined, kind: TrackKind, zoom: number): asset is Asset {
  if (!asset?.derivatives.peaks || !asset.probe.hasAudio) return false;
  if (kind === 'video' && clip.audioDetached) return false;
  return Math.max(2, toPx(clipDuration(clip), zoom)) >= MIN_WAVE_PX;
}

/** The waveform band of a lane `laneHeight` tall, in lane pixels: under the label (audio) or the filmstrip (video). */
export function waveBand(kind: TrackKind, laneHeight: number): { top: number; height: number } {
  const bottom = laneHeight - CLIP_INSET - CLIP_BORDER;
  const top = kind === 'audio' ? CLIP_INSET + CLIP_BORDER + LABEL_H : bottom - VIDEO_WAVE_H;
  return { top, height: bottom - top };
}

/** Where the clip's padding box starts, relative to the band (for the clip's vertical gradient). */
export function clipInnerTop(kind: TrackKind, laneHeight: number): number {
  return CLIP_INSET + CLIP_BORDER - waveBand(kind, laneHeight).top;
}

/** Height of a bar (0..1) `b` of `bars` across `levels`: the loudest level under it, so a short peak is never lost. */
export function barLevelAt(levels: ArrayLike<number>, b: number, bars: number): number {
  if (levels.length === 0 || bars <= 0) return 0;
  const from = Math.floor((b * levels.length) / bars);
  const to = Math.max(from + 1, Math.floor(((b + 1) * levels.length) / bars));
  let m = 0;
  for (let i = from; i < to && i < levels.length; i++) m = Math.max(m, levels[i]!);
  return m;
}

/** All `bars` bar heights at once. */
export function barLevels(levels: ArrayLike<number>, bars: number): Float32Array {
  const out = new Float32Array(Math.max(0, bars));
  for (let b = 0; b < out.length; b++) out[b] = barLevelAt(levels, b, bars);
  return out;
}

function xfKey(xf: ClipCrossfades | undefined): string {
  return xf ? `${xf.in?.flicks ?? ''}:${xf.in?.curve ?? ''}|${xf.out?.flicks ?? ''}:${xf.out?.curve ?? ''}` : '';
}

interface Shaped {
  clip: Clip;
  file: PeaksFile;
  xf: string;
  levels: Float32Array;
}

/** Same drawn shape: only what remapLevels and clipGainAt read (moving a clip changes nothing). */
function sameShape(a: Clip, b: Clip): boolean {
  const [x, y] = [a.effects, b.effects];
  return (
    a.inFlicks === b.inFlicks &&
    a.outFlicks === b.outFlicks &&
    x.volume === y.volume &&
    x.fadeInFlicks === y.fadeInFlicks &&
    x.fadeOutFlicks === y.fadeOutFlicks &&
    x.speed === y.speed &&
    x.loop === y.loop &&
    x.gainKeyframes === y.gainKeyframes
  );
}

const byClip = new WeakMap<Clip, Shaped>();
/** The last shape per clip id: a moved clip (a new object, as every edit and drag preview makes) reuses it. */
const byId = new Map<string, Shaped>();
const BY_ID_MAX = 4000;

/**
 * The clip's levels (0..1) in timeline time, one per peaks bin: the source peaks through its
 * time map (speed, reverse, loop), times the level export applies (volume × keyframes × fades ×
 * crossfades), capped at full height. The same array comes back while the shape is the same,
 * so callers compare by identity.
 */
export function shapedLevels(clip: Clip, file: PeaksFile, xf?: ClipCrossfades): Float32Array {
  const key = xfKey(xf);
  const hit = byClip.get(clip) ?? byId.get(clip.id);
  if (hit && hit.file === file && hit.xf === key && (hit.clip === clip || sameShape(hit.clip, clip))) {
    if (hit.clip !== clip) byClip.set(clip, hit);
    return hit.levels;
  }
  const c: Clip = { ...clip, startFlicks: 0 };
  const levels = Float32Array.from(remapLevels(displayLevels(file), file.peaksPerSecond, c));
  const step = FLICKS_PER_SECOND / file.peaksPerSecond;
  for (let i = 0; i < levels.length; i++) levels[i] = Math.min(1, levels[i]! * clipGainAt(c, (i + 0.5) * step, xf));
  const shaped: Shaped = { clip, file, xf: key, levels };
  byClip.set(clip, shaped);
  byId.delete(clip.id);
  byId.set(clip.id, shaped);
  if (byId.size > BY_ID_MAX) byId.delete(byId.keys().next().value!);
  return levels;
}

/** One clip's waveform on the strip, in strip pixels (the clip's padding box, left to right). */
export interface StripEntry {
  id: string;
  x0: number;
  x1: number;
  /** null until its peaks file has loaded: the band's background is drawn, no bars. */
  levels: Float32Array | null;
}

/** The entry for a clip whose box starts `clipLeft` lane pixels in and is `clipWidth` wide. */
export function stripEntry(id: string, clipLeft: number, clipWidth: number, stripLeft: number, levels: Float32Array | null): StripEntry {
  const x0 = clipLeft + CLIP_BORDER - stripLeft;
  return { id, x0, x1: Math.max(x0, x0 + clipWidth - 2 * CLIP_BORDER), levels };
}

export type Span = [number, number];

/**
 * The strip spans (pixels) to repaint going from `prev` to `next` on the same canvas: where a
 * clip was and where it is now, for each clip added, removed, moved, resized or reshaped
 * (levels are compared by identity: shapedLevels hands back the same array for the same shape).
 * Overlapping spans are merged; each is widened by a pixel for antialiased edges.
 */
export function dirtySpans(prev: readonly StripEntry[], next: readonly StripEntry[]): Span[] {
  return mergeSpans(changedSpans(prev, next));
}

function changedSpans(prev: readonly StripEntry[], next: readonly StripEntry[]): Span[] {
  const before = new Map(prev.map((e) => [e.id, e]));
  const spans: Span[] = [];
  for (const e of next) {
    const p = before.get(e.id);
    before.delete(e.id);
    if (p && p.x0 === e.x0 && p.x1 === e.x1 && p.levels === e.levels) continue;
    if (p) spans.push([p.x0, p.x1]);
    spans.push([e.x0, e.x1]);
  }
  for (const p of before.values()) spans.push([p.x0, p.x1]);
  return spans;
}

/**
 * After the strip moved `dx` pixels along the lane (its old pixels copied over by `dx`): the
 * spans to repaint are the strip's newly exposed edge and what changed, with the old entries
 * shifted by `dx` before comparing (a scroll by one page repaints a fifth of the strip).
 */
export function shiftedSpans(prev: readonly StripEntry[], next: readonly StripEntry[], dx: number, width: number): Span[] {
  const moved = prev.map((e) => ({ ...e, x0: e.x0 + dx, x1: e.x1 + dx }));
  const exposed: Span = dx < 0 ? [width + dx, width] : [0, dx];
  // Clips that left with the old pixels lie off the canvas now: nothing to repaint for them.
  return mergeSpans([...changedSpans(moved, next), exposed])
    .map(([a, b]): Span => [Math.max(0, a), Math.min(width, b)])
    .filter(([a, b]) => b > a);
}

/** Spans sorted and merged where they overlap, each widened by a pixel for antialiased edges. */
function mergeSpans(spans: Span[]): Span[] {
  spans.sort((a, b) => a[0] - b[0]);
  const out: Span[] = [];
  for (const [a, b] of spans) {
    const lo = Math.floor(a) - 1;
    const hi = Math.ceil(b) + 1;
    const last = out[out.length - 1];
    if (last && lo <= last[1]) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}
