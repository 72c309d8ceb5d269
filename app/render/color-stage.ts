/**
 * The render plan's `lut3d` stage (a per-clip pixel stage, before 'conform') and its
 * ffmpeg filter text. The compiled LUT is named by content key; the exporter writes it
 * (main/export/lut-cache.ts) and hands its path to compileRenderPlan (PlanResources.lutFiles),
 * so the plan it encodes is final as compiled. The matrix is the source's own tag (recorded by
 * the probe), else the rule a browser applies to untagged video.
 */
import type { Asset } from '../model/types.js';
import type { Lut3dStage, RenderPlan, VideoClipSegment } from './types.js';
import { EXPORT_MATRIX, sourceMatrix, type ColorMatrix } from '../color/matrix.js';
import { gradeKey } from '../color/hash.js';
import { LUT_INTERP } from '../color/interp.js';
import { DERIVED_LUTS_DIR, isNeutralGrade, type ColorGrade } from '../model/color.js';

/** The stage for a clip's grade, or null when it has none (or it changes nothing). */
/**
 * The stage for a clip's grade, or null when it has none (or it changes nothing). `file` is
 * where the compiled LUT is (PlanResources.lutFiles); by default its project-relative cache path.
 */
export function lut3dStageFor(grade: ColorGrade | undefined, asset: Pick<Asset, 'kind' | 'probe'>, file?: (key: string) => string | undefined): Lut3dStage | null {
  if (!grade || isNeutralGrade(grade)) return null;
  const key = gradeKey(grade);
  return { kind: 'lut3d', grade, key, file: file?.(key) ?? `${DERIVED_LUTS_DIR}/${key}.cube`, interp: LUT_INTERP, matrix: sourceMatrix(asset) };
}

/** Characters that need escaping in a filter option value or in the filter graph. */
const SPECIAL = /[\\':,;[\]=\s]/;

/**
 * A path as an ffmpeg filter option value inside a -filter_complex graph. Two levels of
 * escaping apply (ffmpeg-filters "Notes on filtergraph escaping"): the value is quoted for
 * the option parser, then quotes and graph punctuation are backslash-escaped for the graph
 * parser. Plain paths are left as they are (the wasm engine finds them verbatim).
 */
export function escapeFilterPath(p: string): string {
  if (!SPECIAL.test(p)) return p;
  const level1 = `'${p.replace(/'/g, "'\\''")}'`;
  return level1.replace(/[\\'[\],;]/g, '\\$&');
}

/**
 * The stage as filters: the source's YUV to planar 8-bit RGB with the stage's matrix (as the
 * browser decodes it for the preview), the LUT, and back to limited-range YUV 4:2:0 in the
 * export's matrix (EXPORT_MATRIX; the same as the source's for HD), as a person would write it. Measured on ffmpeg 5.1, 1080p (docs/benchmarks.md):
 *  - into planar RGB (gbrp) swscale interpolates chroma and rounds exactly by default: the
 *    RGB is byte-identical to `accurate_rnd+full_chroma_int`, so no flags. (Into packed rgb24
 *    it would take its fast path instead: nearest chroma, 43.6 dB from the exact picture.)
 *  - back straight to 4:2:0, not through 4:4:4 first (the rest of the graph and the encoder
 *    want 4:2:0 anyway): luma identical, chroma 47.5–51 dB from the 4:4:4 hop, one
 *    conversion fewer.
 */
export function lut3dFilter(stage: Lut3dStage): string {
  const m = stage.matrix;
  return [
    `scale=in_color_matrix=${m},format=gbrp`,
    `lut3d=file=${escapeFilterPath(stage.file)}:interp=${stage.interp}`,
    `scale=out_color_matrix=${EXPORT_MATRIX}:out_range=tv,format=yuv420p`,
  ].join(',');
}

/**
 * YUV → 8-bit RGB as the stage decodes it: exact arithmetic and interpolated chroma
 * (measured against Chromium's own decode of the same frame: 50.7 dB, against 45 dB with
 * swscale's default fast path). Tests decode their references with this too.
 */
export function toRgbFilter(matrix: ColorMatrix): string {
  return `scale=in_color_matrix=${matrix}:flags=${RGB_FLAGS},format=rgb24`;
}

const RGB_FLAGS = 'accurate_rnd+full_chroma_int';

/** Every lut3d stage of a plan (base and overlays). */
export function lut3dStages(plan: RenderPlan): Lut3dStage[] {
  const out: Lut3dStage[] = [];
  const visit = (seg: VideoClipSegment) => seg.stages.forEach((s) => s.kind === 'lut3d' && out.push(s));
  plan.base.forEach((seg) => seg.type === 'clip' && visit(seg));
  plan.overlays.forEach((l) => l.clips.forEach(visit));
  return out;
}
