/**
 * The 'stabilize' background job: analysis (vidstabdetect, cached by content) then the
 * stabilized preview proxy, both for one clip's source span, with progress and cancel.
 * Where the engine has no vid.stab there is nothing to analyse: the job renders a deshake
 * preview and says so in its title and result.
 */
import path from 'node:path';
import { ShotlineError } from '../../app/errors.js';
import type { Job } from '../../app/jobs/types.js';
import { stabilizeFilter } from '../../app/stabilize/filters.js';
import { analysisKey, analysisSpecFor, isStabilizable, previewKey, previewPathFor, previewSpecFor, transformsPathFor } from '../../app/stabilize/keys.js';
import { resolveStabilize, STABILIZE_DEFAULTS, type StabilizeMethod, type StabilizeSettings, type StabilizeStage } from '../../app/model/stabilize.js';
import type { Flicks } from '../../app/time/flicks.js';
import type { FfmpegEngine } from '../media/engine.js';
import type { JobHandler } from '../jobs/queue.js';
import type { ProjectSession } from '../session/project-session.js';
import { DESHAKE_WARNING, ensureAnalysis, fileExists, stabilizeMethodFor } from './analyze.js';
import { renderStabilizedPreview } from './preview.js';
import { recordAnalysis } from './record.js';

export interface StabilizeJobPayload {
  clipId: string;
  assetId: string;
  /** The span and settings when the job was asked for: the job analyses exactly that. */
  inFlicks: Flicks;
  outFlicks: Flicks;
  settings: StabilizeSettings;
  method: StabilizeMethod;
}

export interface StabilizeJobResult {
  method: StabilizeMethod;
  analysisKey: string;
  transformsPath: string | null;
  previewPath: string;
  /** What was found in the cache instead of being computed. */
  cached: { analysis: boolean; preview: boolean };
  warning: string | null;
}

/** Share of the job's progress bar the analysis takes (measured: detect ≈ 0.4× of transform + encode). */
const ANALYSIS_SHARE = 0.4;

/** Queue an analysis of the clip as it is now; an identical one already waiting or running is returned instead. */
export function enqueueStabilize(session: ProjectSession, engine: FfmpegEngine, clipId: string): Job {
  const clip = session.state.clips[clipId];
  if (!clip) throw new ShotlineError('not_found', `Clip ${clipId} does not exist.`);
  const asset = session.state.assets[clip.assetId];
  if (!asset || !isStabilizable(asset)) throw new ShotlineError('invalid_input', 'Only video clips can be stabilized.', 'Select a clip with moving pictures.');
  const settings = clip.effects.stabilize ?? { enabled: true, smoothing: STABILIZE_DEFAULTS.smoothing, zoomMode: STABILIZE_DEFAULTS.zoomMode };
  const method = stabilizeMethodFor(engine);
  const payload: StabilizeJobPayload = { clipId, assetId: asset.id, inFlicks: clip.inFlicks, outFlicks: clip.outFlicks, settings, method };
  const same = session.queue
    .list(50)
    .find((j) => j.kind === 'stabilize' && (j.state === 'queued' || j.state === 'running') && JSON.stringify(j.payload) === JSON.stringify(payload));
  if (same) return same;
  const title = `Stabilize ${asset.name}${method === 'deshake' ? ' (deshake fallback: no vid.stab)' : ''}`;
  return session.queue.enqueue('stabilize', title, payload);
}

export function createStabilizeHandler(getSession: () => ProjectSession, engine: FfmpegEngine): JobHandler {
  return {
    resource: 'cpu',
    async run({ job, signal, progress }): Promise<StabilizeJobResult> {
      const session = getSession();
      const p = job.payload as StabilizeJobPayload;
      const asset = session.state.assets[p.assetId];
      if (!asset) throw new ShotlineError('not_found', 'The media for this clip is no longer in the project.');
      const method = stabilizeMethodFor(engine);
      const s = resolveStabilize(p.settings);
      const spec = analysisSpecFor(p, asset, s, method);
      const key = analysisKey(spec);
      const share = method === 'vidstab' ? ANALYSIS_SHARE : 0;

      let transformsPath: string | null = null;
      let analysisCached = false;
      if (method === 'vidstab') {
        progress(0, 'Analyzing camera motion');
        const a = await ensureAnalysis({
          engine,
          projectDir: session.dir,
          assetPath: asset.path,
          spec,
          signal,
          onProgress: (f) => progress(f * share, `Analyzing camera motion ${Math.floor(f * 100)}%`),
        });
        transformsPath = a.transformsPath;
        analysisCached = a.cached;
        // Recorded at once: the analysis is usable (by an export) even if the preview is canceled.
        recordAnalysis(session, asset.id, { key, method, transformsPath, inFlicks: p.inFlicks, outFlicks: p.outFlicks, shakiness: s.shakiness, accuracy: s.accuracy, clipId: p.clipId });
      }

      const pKey = previewKey(previewSpecFor(s, key, method));
      const previewRel = previewPathFor(pKey);
      const previewAbs = path.join(session.dir, previewRel);
      const previewCached = await fileExists(previewAbs);
      if (!previewCached) {
        const stage: StabilizeStage = {
          kind: 'stabilize',
          method,
          analysisKey: key,
          transformsPath: path.join(session.dir, transformsPathFor(key)),
          assetId: asset.id,
          sourceInFlicks: p.inFlicks,
          sourceOutFlicks: p.outFlicks,
          shakiness: s.shakiness,
          accuracy: s.accuracy,
          smoothing: s.smoothing,
          zoomMode: s.zoomMode,
          zoomPercent: s.zoomPercent,
        };
        progress(share, 'Rendering stabilized preview');
        await renderStabilizedPreview({
          engine,
          source: path.join(session.dir, asset.path),
          inFlicks: p.inFlicks,
          outFlicks: p.outFlicks,
          filter: stabilizeFilter(stage),
          sourceHeight: asset.probe.height,
          hasAudio: asset.probe.hasAudio,
          outPath: previewAbs,
          signal,
          onProgress: (f) => progress(share + f * (1 - share), `Rendering stabilized preview ${Math.floor(f * 100)}%`),
        });
      }
      recordAnalysis(session, asset.id, {
        key,
        method,
        transformsPath,
        inFlicks: p.inFlicks,
        outFlicks: p.outFlicks,
        shakiness: s.shakiness,
        accuracy: s.accuracy,
        clipId: p.clipId,
        preview: { key: pKey, path: previewRel },
      });
      return {
        method,
        analysisKey: key,
        transformsPath,
        previewPath: previewRel,
        cached: { analysis: analysisCached, preview: previewCached },
        warning: method === 'deshake' ? DESHAKE_WARNING : null,
      };
    },
  };
}
