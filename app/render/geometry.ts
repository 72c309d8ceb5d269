/**
 * Where a conformed picture lands on the canvas, computed the way ffmpeg's filters do it
 * (scale with force_original_aspect_ratio + force_divisible_by=2, then pad or crop to the
 * centre), so the Viewer can draw exactly what the export encodes.
 */
import type { FitMode } from '../export/presets.js';

export interface Placement {
  /** Size the source is scaled to. */
  scaledWidth: number;
  scaledHeight: number;
  /** Top-left of the scaled picture on the canvas; negative when 'fill' crops. */
  x: number;
  y: number;
}

export function conformPlacement(src: { width: number; height: number }, canvas: { width: number; height: number }, fit: FitMode): Placement {
  const { width: W, height: H } = canvas;
  // av_rescale rounds to nearest; then sizes snap to even (down for fit, up for fill).
  const wForH = Math.round((H * src.width) / src.height);
  const hForW = Math.round((W * src.height) / src.width);
  let w: number;
  let h: number;
  if (fit === 'fit') {
    w = Math.floor(Math.min(wForH, W) / 2) * 2;
    h = Math.floor(Math.min(hForW, H) / 2) * 2;
  } else {
    w = Math.ceil(Math.max(wForH, W) / 2) * 2;
    h = Math.ceil(Math.max(hForW, H) / 2) * 2;
  }
  // pad and crop both centre, rounded down to the 4:2:0 chroma grid.
  const offset = (outer: number, inner: number) => Math.floor((outer - inner) / 2 / 2) * 2;
  return fit === 'fit'
    ? { scaledWidth: w, scaledHeight: h, x: offset(W, w), y: offset(H, h) }
    : { scaledWidth: w, scaledHeight: h, x: negate(offset(w, W)), y: negate(offset(h, H)) };
}

/** -n without producing -0 (which breaks equality checks and prints as "-0"). */
function negate(n: number): number {
  return n === 0 ? 0 : -n;
}
