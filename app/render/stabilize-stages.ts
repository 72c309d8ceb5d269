/**
 * A render plan's stabilize stages: listing them (what an export must analyse first), and
 * resolving project-relative transforms paths with the media path resolver (ffmpeg-args.ts).
 * Which transforms file and which method (deshake where vid.stab is missing) are inputs of
 * compileRenderPlan (PlanResources). Stages nested in a loop's iterations are included.
 */
import type { RenderPlan, VideoClipSegment, VideoStage } from './types.js';
import type { StabilizeStage } from '../model/stabilize.js';

function mapStageList(stages: VideoStage[], fn: (s: StabilizeStage) => StabilizeStage): VideoStage[] {
  let changed = false;
  const out = stages.map((s): VideoStage => {
    if (s.kind === 'stabilize') {
      const next = fn(s);
      if (next !== s) changed = true;
      return next;
    }
    if (s.kind === 'loop') {
      const iterations = s.iterations.map((it) => {
        const st = mapStageList(it.stages, fn);
        return st === it.stages ? it : { ...it, stages: st };
      });
      if (iterations.some((it, i) => it !== s.iterations[i])) {
        changed = true;
        return { ...s, iterations };
      }
    }
    return s;
  });
  return changed ? out : stages;
}

function mapStages(plan: RenderPlan, fn: (s: StabilizeStage) => StabilizeStage): RenderPlan {
  let changed = false;
  const mapClip = (seg: VideoClipSegment): VideoClipSegment => {
    const stages = mapStageList(seg.stages, fn);
    if (stages === seg.stages) return seg;
    changed = true;
    return { ...seg, stages };
  };
  const base = plan.base.map((seg) => (seg.type === 'clip' ? mapClip(seg) : seg));
  const overlays = plan.overlays.map((l) => ({ ...l, clips: l.clips.map(mapClip) }));
  return changed ? { ...plan, base, overlays } : plan;
}

function collect(stages: VideoStage[], out: StabilizeStage[]): void {
  for (const s of stages) {
    if (s.kind === 'stabilize') out.push(s);
    else if (s.kind === 'loop') for (const it of s.iterations) collect(it.stages, out);
  }
}

/** Every stabilize stage in the plan (base, overlays, loop iterations). */
export function stabilizeStages(plan: RenderPlan): StabilizeStage[] {
  const out: StabilizeStage[] = [];
  plan.base.forEach((seg) => seg.type === 'clip' && collect(seg.stages, out));
  plan.overlays.forEach((l) => l.clips.forEach((seg) => collect(seg.stages, out)));
  return out;
}

/** Transforms paths made openable by ffmpeg (the resolver media paths use). */
export function resolveStabilizePaths(plan: RenderPlan, resolvePath: (projectRelative: string) => string): RenderPlan {
  return mapStages(plan, (s) => (s.method === 'vidstab' ? { ...s, transformsPath: resolvePath(s.transformsPath) } : s));
}
