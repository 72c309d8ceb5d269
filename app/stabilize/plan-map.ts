/**
 * Rewrites of a compiled render plan's stabilize stages, for the places that know what
 * the plan cannot: where project files are (resolve the transforms path for ffmpeg) and
 * which engine runs it (deshake where vid.stab is missing).
 */
import type { RenderPlan, VideoClipSegment, VideoStage } from '../render/plan.js';
import type { StabilizeStage } from './types.js';

function mapStages(plan: RenderPlan, fn: (s: StabilizeStage) => StabilizeStage): RenderPlan {
  let changed = false;
  const mapClip = (seg: VideoClipSegment): VideoClipSegment => {
    if (!seg.stages.some((s) => s.kind === 'stabilize')) return seg;
    changed = true;
    return { ...seg, stages: seg.stages.map((s: VideoStage) => (s.kind === 'stabilize' ? fn(s) : s)) };
  };
  const base = plan.base.map((seg) => (seg.type === 'clip' ? mapClip(seg) : seg));
  const overlays = plan.overlays.map((l) => ({ ...l, clips: l.clips.map(mapClip) }));
  return changed ? { ...plan, base, overlays } : plan;
}

/** Every stabilize stage in the plan (base and overlays). */
export function stabilizeStages(plan: RenderPlan): StabilizeStage[] {
  const out: StabilizeStage[] = [];
  const visit = (seg: VideoClipSegment) => seg.stages.forEach((s) => s.kind === 'stabilize' && out.push(s));
  plan.base.forEach((seg) => seg.type === 'clip' && visit(seg));
  plan.overlays.forEach((l) => l.clips.forEach(visit));
  return out;
}

/** Transforms paths made openable by ffmpeg (the resolver media paths use). */
export function resolveStabilizePaths(plan: RenderPlan, resolvePath: (projectRelative: string) => string): RenderPlan {
  return mapStages(plan, (s) => (s.method === 'vidstab' ? { ...s, transformsPath: resolvePath(s.transformsPath) } : s));
}

/** The plan with every stabilize stage run by `method`. */
export function withStabilizeMethod(plan: RenderPlan, method: StabilizeStage['method']): RenderPlan {
  return mapStages(plan, (s) => (s.method === method ? s : { ...s, method }));
}
