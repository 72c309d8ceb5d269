/**
 * The 'analyze' background job. Analyses are dispatched by `payload.analysis`; the one so
 * far is 'loopPoint' (the seamless-loop search). Results are recorded on the asset
 * (AssetDerivatives.loopPoints by settings key): cached per asset + settings, saved with
 * the project, and seen by every view through the usual patch broadcast.
 */
import path from 'node:path';
import { PatchBuilder } from '../../app/commands/patch.js';
import { ShotlineError } from '../../app/errors.js';
import { DEFAULT_LOOP_WINDOW, loopPointKey, loopSearchFor } from '../../app/timing/loop-detect.js';
import type { LoopPointAnswer, LoopPointSearch } from '../../app/model/timing.js';
import type { FfmpegEngine } from '../media/engine.js';
import type { JobHandler } from '../jobs/queue.js';
import type { ProjectSession } from '../session/project-session.js';
import { findLoopPoint } from './loop-point.js';

export interface LoopPointPayload {
  analysis: 'loopPoint';
  assetId: string;
  key: string;
  search: LoopPointSearch;
}

export type AnalyzePayload = LoopPointPayload;

/** Ask for the loop point of a clip's span: the cached result, or a queued (or already queued) job. */
export function requestLoopPoint(session: ProjectSession, clipId: string, windowFrames = DEFAULT_LOOP_WINDOW): LoopPointAnswer {
  const clip = session.state.clips[clipId];
  if (!clip) throw new ShotlineError('not_found', `Clip ${clipId} does not exist.`);
  const asset = session.state.assets[clip.assetId];
  const search = asset && loopSearchFor(clip, asset, windowFrames);
  if (!asset || !search) throw new ShotlineError('invalid_input', 'Only video clips at least a few frames long can be searched for a loop point.');
  const key = loopPointKey(search);
  const cached = asset.derivatives.loopPoints?.[key];
  if (cached) return { key, search, result: cached, job: null };
  const payload: LoopPointPayload = { analysis: 'loopPoint', assetId: asset.id, key, search };
  const same = session.queue
    .list(50)
    .find((j) => j.kind === 'analyze' && (j.state === 'queued' || j.state === 'running') && JSON.stringify(j.payload) === JSON.stringify(payload));
  return { key, search, result: null, job: same ?? session.queue.enqueue('analyze', `Find loop point: ${asset.name}`, payload) };
}

export function createAnalyzeHandler(getSession: () => ProjectSession, engine: FfmpegEngine): JobHandler {
  return {
    resource: 'cpu',
    async run({ job, signal, progress }) {
      const session = getSession();
      const p = job.payload as AnalyzePayload;
      if (p?.analysis !== 'loopPoint') throw new ShotlineError('unsupported', `Unknown analysis "${String((p as { analysis?: unknown })?.analysis)}".`);
      const asset = session.state.assets[p.assetId];
      if (!asset) throw new ShotlineError('not_found', 'The media for this job is no longer in the project.');
      progress(0, 'Comparing frames near the start and the end');
      const result = await findLoopPoint(engine, path.join(session.dir, asset.path), asset, p.search, {
        signal,
        progress: (f) => progress(f, 'Comparing frames near the start and the end'),
      });
      const current = session.state.assets[asset.id];
      if (current) {
        const loopPoints = { ...(current.derivatives.loopPoints ?? {}), [p.key]: result };
        session.systemPatch(new PatchBuilder().set('assets', { ...current, derivatives: { ...current.derivatives, loopPoints } }).patch);
      }
      return { key: p.key, startFrame: result.startFrame, endFrame: result.endFrame, seamDifference: result.seamDifference, medianFrameDifference: result.medianFrameDifference };
    },
  };
}
