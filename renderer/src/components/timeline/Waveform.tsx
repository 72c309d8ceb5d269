/**
 * A clip's audio peaks on the timeline, drawn from the precomputed peaks file (no decoding),
 * laid out in timeline time: speed, reverse and loops reshape it as they reshape the sound.
 *
 * One plain <canvas> per clip in view, painted once when the browser is idle. Not a
 * WaveSurfer instance (as until issue 14): each of those builds a shadow DOM, a
 * ResizeObserver and its own canvases and reads layout when created; a scroll that brought
 * a dozen clips into view spent 100–800 ms a frame on that. A timeline waveform is static
 * art; the bars are drawn as WaveSurfer drew them (2 px bars, 1 px gaps, mirrored).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Asset, Clip } from '@app/model/types';
import { FLICKS_PER_SECOND, flicksToSeconds } from '@app/time/flicks';
import { clipGainAt } from '@app/timeline/fades';
import type { ClipCrossfades } from '@app/timeline/crossfades';
import { clipDuration } from '@app/timeline/query';
import { remapLevels } from '@app/timing/waveform';
import { whenIdle } from '../../lib/idle';
import { displayLevels, loadPeaks, type PeaksFile } from './peaks';

/** Canvases wider than this are stretched: a 10-minute clip zoomed in must not allocate 100k pixels. */
const MAX_CANVAS_PX = 4096;
const BAR_PX = 2;
const GAP_PX = 1;

/** Bar heights (0..1) for `bars` bars across `levels` (the loudest level under each bar). */
export function barLevels(levels: ArrayLike<number>, bars: number): Float32Array {
  const out = new Float32Array(Math.max(0, bars));
  if (levels.length === 0 || bars <= 0) return out;
  for (let b = 0; b < bars; b++) {
    const from = Math.floor((b * levels.length) / bars);
    const to = Math.max(from + 1, Math.floor(((b + 1) * levels.length) / bars));
    let m = 0;
    for (let i = from; i < to && i < levels.length; i++) m = Math.max(m, levels[i]!);
    out[b] = m;
  }
  return out;
}

function paint(canvas: HTMLCanvasElement, levels: ArrayLike<number>, width: number, height: number, color: string): void {
  const dpr = Math.min(2, window.devicePixelRatio || 1);
  const pxW = Math.max(1, Math.min(MAX_CANVAS_PX, Math.round(width * dpr)));
  const pxH = Math.max(1, Math.round(height * dpr));
  canvas.width = pxW;
  canvas.height = pxH;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const scale = pxW / Math.max(1, width);
  const step = (BAR_PX + GAP_PX) * scale;
  const bars = barLevels(levels, Math.floor(pxW / step));
  ctx.fillStyle = color;
  const mid = pxH / 2;
  for (let b = 0; b < bars.length; b++) {
    const h = Math.max(scale, bars[b]! * pxH);
    ctx.fillRect(b * step, mid - h / 2, BAR_PX * scale, h);
  }
}

export function Waveform({ asset, clip, xf, width, height, color }: { asset: Asset; clip: Clip; xf?: ClipCrossfades; width: number; height: number; color: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const path = asset.derivatives.peaks?.path;
  const [file, setFile] = useState<PeaksFile | null>(null);

  useEffect(() => {
    if (!path) return;
    let live = true;
    loadPeaks(path)
      .then((f) => live && setFile(f))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [path]);

  // Only what changes the sound's shape: moving the clip or grading it redraws nothing. The
  // bars follow the level export applies (volume × keyframes × fades × crossfades), capped at full height.
  const { inFlicks, outFlicks } = clip;
  const { speed, loop, volume, fadeInFlicks, fadeOutFlicks, gainKeyframes } = clip.effects;
  const shaped = useMemo(() => {
    if (!file) return null;
    const c: Clip = { ...clip, startFlicks: 0, effects: { ...clip.effects, speed, loop, volume, fadeInFlicks, fadeOutFlicks, gainKeyframes } };
    const levels = Float32Array.from(remapLevels(displayLevels(file), file.peaksPerSecond, c));
    const step = FLICKS_PER_SECOND / file.peaksPerSecond;
    for (let i = 0; i < levels.length; i++) levels[i] = Math.min(1, levels[i]! * clipGainAt(c, (i + 0.5) * step, xf));
    return { levels, seconds: flicksToSeconds(clipDuration(c)) };
  }, [file, inFlicks, outFlicks, speed, loop, volume, fadeInFlicks, fadeOutFlicks, gainKeyframes, xf]);

  useEffect(() => {
    const canvas = ref.current;
    if (!shaped || !canvas) return;
    const idle = whenIdle(() => paint(canvas, shaped.levels, width, height, color));
    return () => idle.cancel();
  }, [shaped, width, height, color]);

  if (!path) return null;
  return <canvas ref={ref} className="waveform" data-testid="waveform" data-painted={shaped ? 'true' : 'false'} aria-hidden="true" />;
}
