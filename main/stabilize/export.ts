/**
 * Stabilize at export time. Before encoding, every stabilized clip's analysis is looked up
 * in the cache; missing ones run now, as the first part of the export's progress, and are
 * recorded like the job's. Where the engine lacks vid.stab the stages switch to deshake and
 * the export carries a warning.
 */
import path from 'node:path';
import { ShotlineError } from '../../app/errors.js';
import type { ProjectState } from '../../app/model/types.js';
import type { PlanResources, RenderPlan } from '../../app/render/types.js';
import { stabilizeStages } from '../../app/render/stabilize-stages.js';
import type { StabilizeStage } from '../../app/model/stabilize.js';
import type { FfmpegEngine } from '../media/engine.js';
import { DESHAKE_WARNING, ensureAnalysis, fileExists, stabilizeMethodFor } from './analyze.js';
import { recordAnalysis, type RecordSink } from './record.js';

/** Detect time relative to transform + encode time, for sharing one progress bar. */
const DETECT_COST = 0.4;

export interface PrepareStabilizeOptions {
  plan: RenderPlan;
  state: ProjectState;
  projectDir: string;
  engine: FfmpegEngine;
  signal?: AbortSignal;
  onProgress?(fraction: number, message: string): void;
  /** Records analyses run here on their assets (an open project); omitted by bare runExport calls. */
  record?: RecordSink;
}

export interface PreparedStabilize {
  /** The transforms files and method for compileRenderPlan (PlanResources). */
  resources: Pick<PlanResources, 'stabilizeTransforms' | 'stabilizeMethod'>;
  /** Fraction of the export's progress bar the analyses took (0 when nothing ran). */
  share: number;
  /** Analyses run now / found in the cache. */
  analysed: number;
  cached: number;
  warnings: string[];
}

export async function prepareStabilizeForExport(o: PrepareStabilizeOptions): Promise<PreparedStabilize> {
  const stages = stabilizeStages(o.plan);
  if (stages.length === 0) return { resources: {}, share: 0, analysed: 0, cached: 0, warnings: [] };
  if (stabilizeMethodFor(o.engine) === 'deshake') return { resources: { stabilizeMethod: 'deshake' }, share: 0, analysed: 0, cached: 0, warnings: [DESHAKE_WARNING] };

  const unique = [...new Map(stages.map((s) => [s.analysisKey, s])).values()];
  // Each analysis's transforms file, as ffmpeg will open it (the media paths' resolver).
  const resources = { stabilizeTransforms: Object.fromEntries(unique.map((s) => [s.analysisKey, path.resolve(o.projectDir, s.transformsPath)])) };
  const missing: StabilizeStage[] = [];
  for (const s of unique) if (!(await fileExists(path.join(o.projectDir, s.transformsPath)))) missing.push(s);
  const cached = unique.length - missing.length;
  if (missing.length === 0) return { resources, share: 0, analysed: 0, cached, warnings: [] };

  const lengths = missing.map((s) => s.sourceOutFlicks - s.sourceInFlicks);
  const total = lengths.reduce((a, b) => a + b, 0);
  const share = (DETECT_COST * total) / (DETECT_COST * total + o.plan.durationFlicks);
  let done = 0;
  for (const [i, s] of missing.entries()) {
    const asset = o.state.assets[s.assetId];
    if (!asset) throw new ShotlineError('invalid_input', `A stabilized clip uses media that is no longer in the project (${s.assetId}).`);
    const label = missing.length > 1 ? ` (${i + 1}/${missing.length})` : '';
    const a = await ensureAnalysis({
      engine: o.engine,
      projectDir: o.projectDir,
      assetPath: asset.path,
      spec: { method: 'vidstab', assetSha256: asset.sha256, inFlicks: s.sourceInFlicks, outFlicks: s.sourceOutFlicks, shakiness: s.shakiness, accuracy: s.accuracy },
      signal: o.signal,
      onProgress: (f) => o.onProgress?.((share * (done + f * lengths[i]!)) / total, `Analyzing camera motion${label} ${Math.floor(f * 100)}%`),
    });
    done += lengths[i]!;
    if (o.record)
      recordAnalysis(o.record, asset.id, { key: a.key, method: 'vidstab', transformsPath: a.transformsPath, inFlicks: s.sourceInFlicks, outFlicks: s.sourceOutFlicks, shakiness: s.shakiness, accuracy: s.accuracy });
  }
  return { resources, share, analysed: missing.length, cached, warnings: [] };
}
