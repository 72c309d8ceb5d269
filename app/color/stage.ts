/**
 * The render plan's `lut3d` stage (a per-clip pixel stage, before 'conform') and its
 * ffmpeg filter text. The plan names the compiled LUT file by content key
 * (media/derived/luts/<key>.cube, project-relative); the exporter writes that file and
 * resolves the path (main/export/lut-cache.ts) before the filter graph is built.
 */
import type { RenderPlan, VideoClipSegment, VideoStage } from '../render/plan.js';
import { gradeKey } from './hash.js';
import { LUT_INTERP } from './interp.js';
import { DERIVED_LUTS_DIR, isNeutralGrade, type ColorGrade, type LutInterp } from './types.js';

export interface Lut3dStage {
  kind: 'lut3d';
  /** The grade to compile (the exporter compiles it with compileGrade). */
  grade: ColorGrade;
  /** Content key of the compiled LUT (gradeKey). */
  key: string;
  /** The compiled .cube: project-relative in a plan, absolute once the exporter resolved it. */
  file: string;
  interp: LutInterp;
}

/** The stage for a clip's grade, or null when it has none (or it changes nothing). */
export function lut3dStageFor(grade: ColorGrade | undefined): Lut3dStage | null {
  if (!grade || isNeutralGrade(grade)) return null;
  const key = gradeKey(grade);
  return { kind: 'lut3d', grade, key, file: `${DERIVED_LUTS_DIR}/${key}.cube`, interp: LUT_INTERP };
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

export function lut3dFilter(stage: Lut3dStage): string {
  return `lut3d=file=${escapeFilterPath(stage.file)}:interp=${stage.interp}`;
}

/** Every lut3d stage of a plan (base and overlays). */
export function lut3dStages(plan: RenderPlan): Lut3dStage[] {
  const out: Lut3dStage[] = [];
  const visit = (seg: VideoClipSegment) => seg.stages.forEach((s) => s.kind === 'lut3d' && out.push(s));
  plan.base.forEach((seg) => seg.type === 'clip' && visit(seg));
  plan.overlays.forEach((l) => l.clips.forEach(visit));
  return out;
}

/** The plan with each lut3d stage's file replaced by `resolve(stage)` (e.g. an absolute path). */
export function resolveLut3dFiles(plan: RenderPlan, resolve: (stage: Lut3dStage) => string): RenderPlan {
  let changed = false;
  const mapClip = (seg: VideoClipSegment): VideoClipSegment => {
    if (!seg.stages.some((s) => s.kind === 'lut3d')) return seg;
    changed = true;
    return { ...seg, stages: seg.stages.map((s: VideoStage) => (s.kind === 'lut3d' ? { ...s, file: resolve(s) } : s)) };
  };
  const base = plan.base.map((seg) => (seg.type === 'clip' ? mapClip(seg) : seg));
  const overlays = plan.overlays.map((l) => ({ ...l, clips: l.clips.map(mapClip) }));
  return changed ? { ...plan, base, overlays } : plan;
}
