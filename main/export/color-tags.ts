/**
 * Colour tags of graded sources. The probe records them at import (ProbeInfo.color); assets
 * imported before that are probed here, once, through main/media/probe.ts, and the tags are
 * recorded on the asset (a system patch, like a finished thumbnail) so the next export and
 * the plan a user prints see them. Without ffprobe nothing is learnt and the untagged rule
 * applies, as it always did there.
 */
import path from 'node:path';
import { PatchBuilder } from '../../app/commands/patch.js';
import type { ColorTags, ProjectState } from '../../app/model/types.js';
import type { RenderPlan, VideoClipSegment } from '../../app/render/types.js';
import type { FfmpegEngine } from '../media/engine.js';
import { probeColorTags } from '../media/probe.js';
import type { RecordSink } from '../stabilize/record.js';

/** Assets read by a graded clip segment of the plan (the only ones whose matrix matters). */
export function gradedAssetIds(plan: RenderPlan): string[] {
  const ids = new Set<string>();
  const visit = (seg: VideoClipSegment) => {
    if (seg.stages.some((s) => s.kind === 'lut3d')) ids.add(plan.inputs[seg.input]!.assetId);
  };
  plan.base.forEach((seg) => seg.type === 'clip' && visit(seg));
  plan.overlays.forEach((l) => l.clips.forEach(visit));
  return [...ids].sort();
}

/** The state with colour tags on every graded video source that lacked them (recorded in `record` when given). */
export async function backfillColorTags(o: {
  state: ProjectState;
  plan: RenderPlan;
  projectDir: string;
  engine: Pick<FfmpegEngine, 'ffprobePath'>;
  record?: RecordSink;
  signal?: AbortSignal;
}): Promise<ProjectState> {
  if (!o.engine.ffprobePath) return o.state;
  const found: Record<string, ColorTags> = {};
  for (const id of gradedAssetIds(o.plan)) {
    const asset = o.state.assets[id];
    if (!asset || asset.kind !== 'video' || asset.probe.color) continue;
    const tags = await probeColorTags(path.resolve(o.projectDir, asset.path), o.engine, o.signal);
    if (tags) found[id] = tags;
  }
  if (Object.keys(found).length === 0) return o.state;
  const assets = { ...o.state.assets };
  for (const [id, color] of Object.entries(found)) assets[id] = { ...assets[id]!, probe: { ...assets[id]!.probe, color } };
  if (o.record) {
    const b = new PatchBuilder();
    for (const id of Object.keys(found)) {
      const now = o.record.state.assets[id];
      if (now && !now.probe.color) b.set('assets', { ...now, probe: { ...now.probe, color: found[id]! } });
    }
    o.record.systemPatch(b.patch);
  }
  return { ...o.state, assets };
}
