/**
 * ffmpeg filter text for stabilization, shared by the analysis, the preview proxy and the
 * export graph so all three say exactly the same thing.
 *
 * Zoom modes → vidstabtransform:
 *  - black-borders: optzoom=0, zoom=0, crop=black
 *  - fixed-zoom:    optzoom=0, zoom=P, crop=black
 *  - adaptive-zoom: optzoom=2 (dynamic zoom, zoomspeed 0.25 %/frame), crop=black
 * `deshake` (the fallback) has no smoothing window and no zoom; fixed and adaptive zoom
 * become a centre crop of P percent there.
 */
import type { StabilizeStage, StabilizeZoomMode } from '../model/stabilize.js';

/**
 * A value (a path) made safe inside a filter graph: first escaped for the filter's
 * option parser (\ ' :), then for the graph parser (\ ' [ ] , ;). Both levels use
 * backslashes; ffmpeg removes one level each time it parses.
 */
export function escapeFilterValue(value: string): string {
  const optionLevel = value.replace(/[\\':]/g, (c) => `\\${c}`);
  return optionLevel.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

/** Pass 1: motion analysis into `resultPath` (an absolute path, escaped here). */
export function vidstabDetectFilter(resultPath: string, o: { shakiness: number; accuracy: number }): string {
  return `vidstabdetect=result=${escapeFilterValue(resultPath)}:shakiness=${int(o.shakiness)}:accuracy=${int(o.accuracy)}`;
}

export function vidstabZoomOptions(mode: StabilizeZoomMode, zoomPercent: number): string {
  switch (mode) {
    case 'black-borders':
      return 'optzoom=0:zoom=0:crop=black';
    case 'fixed-zoom':
      return `optzoom=0:zoom=${num(zoomPercent)}:crop=black`;
    case 'adaptive-zoom':
      return 'optzoom=2:zoomspeed=0.25:crop=black';
    default: {
      const never: never = mode;
      throw new Error(`Unknown zoom mode ${String(never)}`);
    }
  }
}

/** Pass 2: apply the smoothed camera path from `transformsPath`. */
export function vidstabTransformFilter(transformsPath: string, o: { smoothing: number; zoomMode: StabilizeZoomMode; zoomPercent: number }): string {
  return `vidstabtransform=input=${escapeFilterValue(transformsPath)}:smoothing=${int(o.smoothing)}:${vidstabZoomOptions(o.zoomMode, o.zoomPercent)}`;
}

/** One-pass fallback: deshake with a generous search and black edges, then the zoom as a centre crop. */
export function deshakeFilter(o: { zoomMode: StabilizeZoomMode; zoomPercent: number }): string {
  const base = 'deshake=rx=32:ry=32:edge=blank';
  if (o.zoomMode === 'black-borders' || !(o.zoomPercent > 0)) return base;
  const k = num(100 / (100 + o.zoomPercent));
  return `${base},crop=trunc(iw*${k}/2)*2:trunc(ih*${k}/2)*2`;
}

/** The export/preview filter for a stage (its transformsPath already resolved for ffmpeg). */
export function stabilizeFilter(stage: StabilizeStage): string {
  return stage.method === 'vidstab' ? vidstabTransformFilter(stage.transformsPath, stage) : deshakeFilter(stage);
}

function int(n: number): string {
  return String(Math.round(n));
}

function num(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}
