/**
 * The waveforms of one track strip, drawn on ONE canvas under the lane's clips (issue 14).
 *
 * The canvas covers the lane's drawn window (windowing.ts stripRange) and the waveform band
 * (waveLayout.ts waveBand). Each clip that shows a waveform leaves that band of its box
 * transparent (`.clip.has-wave`), and the strip paints the clip's background there and its
 * bars: everything the clip draws above the waveform (rubber band, crossfade, loop ticks,
 * trim handles, selection) stays in the clip, above the canvas.
 *
 * It is redrawn in the same commit as the clips (a layout effect), from the cached peaks:
 * in full when the zoom or its size changes; shifted when a scroll moves it by a page (only the
 * newly exposed edge is painted); otherwise only the spans of clips that were
 * added, removed, moved or reshaped (a gain change repaints that clip, a split its two halves).
 * The bars are drawn as WaveSurfer drew them (2 px bars, 1 px gaps, mirrored about the middle).
 */
import { memo, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { Asset, Clip, TrackKind } from '@app/model/types';
import type { ClipCrossfades } from '@app/timeline/crossfades';
import { clipDuration } from '@app/timeline/query';
import { toPx } from './geometry';
import { loadPeaks, peaksNow } from './peaks';
import { BAR_PX, GAP_PX, INNER_RADIUS, barLevelAt, clipInnerTop, dirtySpans, shapedLevels, shiftedSpans, stripEntry, waveBand, waveShown, type Span, type StripEntry } from './waveLayout';

/** A canvas wider than this (device pixels) is drawn at a lower resolution and stretched. */
const MAX_CANVAS_PX = 16_384;
const STEP_PX = BAR_PX + GAP_PX;
const BAR_COLOR: Record<TrackKind, string> = { audio: 'rgba(180, 255, 214, 0.85)', video: 'rgba(190, 210, 255, 0.7)' };
/** Under a picture the band is darkened (it was `.clip--video .clip__wave`'s background). */
const VIDEO_SHADE = 'rgba(10, 16, 32, 0.55)';

/** The clip gradient's two colours (theme.css --audio / --video), read once. */
const themeColors = new Map<TrackKind, [string, string]>();
function clipColors(kind: TrackKind): [string, string] {
  let c = themeColors.get(kind);
  if (!c) {
    const css = getComputedStyle(document.documentElement);
    const read = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    c = kind === 'audio' ? [read('--audio', '#23855d'), read('--audio-2', '#1a6346')] : [read('--video', '#3c5ea8'), read('--video-2', '#2c467f')];
    themeColors.set(kind, c);
  }
  return c;
}

interface Drawn {
  /** Everything but the strip's place on the lane: when only that changed, its pixels are shifted. */
  geom: string;
  left: number;
  entries: StripEntry[];
}

interface Geometry {
  kind: TrackKind;
  left: number;
  width: number;
  height: number;
  /** Where the clips' padding box starts, relative to the band (negative: above it). */
  innerTop: number;
}

function paintEntry(ctx: CanvasRenderingContext2D, e: StripEntry, span: Span, g: Geometry, background: CanvasGradient): void {
  const w = e.x1 - e.x0;
  ctx.fillStyle = background;
  ctx.beginPath();
  ctx.roundRect(e.x0, 0, w, g.height, [0, 0, INNER_RADIUS, INNER_RADIUS]);
  ctx.fill();
  if (g.kind === 'video') {
    ctx.fillStyle = VIDEO_SHADE;
    ctx.fill();
  }
  if (!e.levels) return;
  const bars = Math.floor(w / STEP_PX);
  const x0 = Math.round(e.x0);
  const from = Math.max(0, Math.floor((span[0] - x0) / STEP_PX));
  const to = Math.min(bars, Math.ceil((span[1] - x0) / STEP_PX));
  const mid = g.height / 2;
  ctx.fillStyle = BAR_COLOR[g.kind];
  for (let b = from; b < to; b++) {
    const h = Math.max(1, barLevelAt(e.levels, b, bars) * g.height);
    ctx.fillRect(x0 + b * STEP_PX, mid - h / 2, BAR_PX, h);
  }
}

/** Repaint what changed since `drawn` (everything when the canvas's geometry changed). */
function paintStrip(canvas: HTMLCanvasElement, drawn: RefObject<Drawn | null>, entries: StripEntry[], g: Geometry, zoom: number): void {
  const dpr = Math.min(2, window.devicePixelRatio || 1);
  const scale = Math.min(dpr, MAX_CANVAS_PX / Math.max(1, g.width));
  const geom = `${g.kind}:${g.width}:${g.height}:${scale}:${zoom}`;
  const prev = drawn.current;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  // Scrolled by a page: the strip moved along the lane by `dx`. Its pixels are copied over by
  // `dx` and only the newly exposed edge (off screen: the window reaches half a screen past
  // the view) and what changed are painted, so a page change costs a fifth of a full repaint.
  const dx = prev ? prev.left - g.left : 0;
  const shift = !!prev && prev.geom === geom && dx !== 0 && Math.abs(dx) < g.width && Number.isInteger(dx * scale);
  let spans: Span[];
  if (!prev || prev.geom !== geom) {
    canvas.width = Math.max(1, Math.round(g.width * scale));
    canvas.height = Math.max(1, Math.round(g.height * scale));
    spans = [[0, g.width]];
  } else if (shift) {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalCompositeOperation = 'copy';
    ctx.drawImage(canvas, dx * scale, 0);
    ctx.restore();
    spans = shiftedSpans(prev.entries, entries, dx, g.width);
  } else if (dx !== 0) {
    spans = [[0, g.width]];
  } else {
    spans = dirtySpans(prev.entries, entries);
  }
  drawn.current = { geom, left: g.left, entries };
  // For tests and traces: which spans the last update repainted (strip pixels).
  canvas.dataset.repainted = spans.map(([a, b]) => `${a}:${b}`).join(' ');
  if (spans.length === 0) return;
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  const [top, bottom] = clipColors(g.kind);
  const background = ctx.createLinearGradient(0, g.innerTop, 0, g.height);
  background.addColorStop(0, top);
  background.addColorStop(1, bottom);
  for (const span of spans) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(span[0], 0, span[1] - span[0], g.height);
    ctx.clip();
    ctx.clearRect(span[0], 0, span[1] - span[0], g.height);
    for (const e of entries) if (e.x1 > span[0] && e.x0 < span[1]) paintEntry(ctx, e, span, g, background);
    ctx.restore();
  }
}

export const WaveStrip = memo(function WaveStrip({
  kind,
  laneHeight,
  clips,
  assets,
  fades,
  zoom,
  left,
  width,
  topId,
}: {
  kind: TrackKind;
  laneHeight: number;
  /** The clips the lane draws (sorted by start; a later one is drawn over an earlier one). */
  clips: readonly Clip[];
  assets: Record<string, Asset>;
  fades: Map<string, ClipCrossfades> | null;
  zoom: number;
  /** The lane pixels the canvas covers (stripRange). */
  left: number;
  width: number;
  /** Drawn last, over its neighbours (the clip being dragged). */
  topId: string | null;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const drawn = useRef<Drawn | null>(null);
  const [loads, setLoads] = useState(0);
  const band = waveBand(kind, laneHeight);

  useLayoutEffect(() => {
    const canvas = ref.current;
    if (!canvas || width <= 0) return;
    const entries: StripEntry[] = [];
    const missing = new Set<string>();
    let top: StripEntry | null = null;
    for (const c of clips) {
      const asset = assets[c.assetId];
      if (!waveShown(c, asset, kind, zoom)) continue;
      const x = toPx(c.startFlicks, zoom);
      const w = Math.max(2, toPx(clipDuration(c), zoom));
      if (x + w < left || x > left + width) continue;
      const path = asset.derivatives.peaks!.path;
      const file = peaksNow(path);
      if (!file) missing.add(path);
      const e = stripEntry(c.id, x, w, left, file ? shapedLevels(c, file, fades?.get(c.id)) : null);
      if (c.id === topId) top = e;
      else entries.push(e);
    }
    if (top) entries.push(top);
    paintStrip(canvas, drawn, entries, { kind, left, width, height: band.height, innerTop: clipInnerTop(kind, laneHeight) }, zoom);
    // Peaks files load once each; whichever arrives repaints the clips that use it.
    let live = true;
    for (const path of missing)
      loadPeaks(path).then(
        () => live && setLoads((n) => n + 1),
        () => {},
      );
    return () => {
      live = false;
    };
  }, [clips, assets, fades, kind, zoom, left, width, laneHeight, band.height, topId, loads]);

  return (
    <canvas
      ref={ref}
      className="wave-strip"
      style={{ left, width, top: band.top, height: band.height }}
      data-testid="wave-strip"
      data-left={left}
      aria-hidden="true"
    />
  );
});
