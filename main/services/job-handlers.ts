/** The workers behind each job kind, bound to one open project. */
import path from 'node:path';
import fs from 'node:fs';
import { PatchBuilder } from '../../app/commands/patch.js';
import { ShotlineError } from '../../app/errors.js';
import type { JobKind } from '../../app/jobs/types.js';
import type { FfmpegEngine } from '../media/engine.js';
import { makeFilmstrip } from '../media/filmstrip.js';
import { computePeaks } from '../media/peaks.js';
import { stopOrphanedExporters } from '../export/orphans.js';
import { cleanStalePartials, isCommittedOutput, runExport, type ExportCommitMark } from '../export/run-export.js';
import type { JobHandler } from '../jobs/queue.js';
import { findPreset } from '../../app/export/presets.js';
import { blockerList, exportBlockers } from '../../app/cameos/marks.js';
import { contentCredentialsStep } from '../provenance/export-step.js';
import { hasGeneratedFootage } from '../../app/render/watermark.js';
import type { ProjectSession } from '../session/project-session.js';
import { MEDIA_DIR } from '../store/project-store.js';
import { createStabilizeHandler } from '../stabilize/job.js';
import { createAnalyzeHandler } from '../analysis/job.js';
import type { GenerationService } from '../generation/service.js';
import type { LoudnessTargetId } from '../../app/export/loudness.js';
import { compileRenderPlan } from '../../app/render/plan.js';
import { meterMix } from '../export/loudness.js';

export interface ExportPayload {
  preset: string;
  outPath: string;
  fit: 'fit' | 'fill';
  overwrite: boolean;
  /** Visible "AI-generated" mark; absent = on when the timeline has generated footage. */
  watermark?: boolean;
  /** Revoked cameos whose owner overrode the export refusal (checked and logged at export.start). */
  cameoOverride?: string[];
  /** Loudness target; absent = the preset's. */
  loudness?: LoudnessTargetId;
}

export interface LoudnessPayload {
  preset: string;
  fit: 'fit' | 'fill';
}

/** on: burned in; off: generated footage exported without it (recorded in the manifest); none: nothing generated. */
function watermarkChoice(session: ProjectSession, p: ExportPayload): 'on' | 'off' | 'none' {
  if (!hasGeneratedFootage(session.state)) return 'none';
  return p.watermark === false ? 'off' : 'on';
}

function signingStep(session: ProjectSession, p: ExportPayload, o: ProvenanceOptions) {
  const preset = findPreset(p.preset);
  return contentCredentialsStep({
    state: session.state,
    projectDir: session.dir,
    userDataDir: o.userDataDir,
    facts: { title: path.basename(p.outPath), width: preset?.width ?? 0, height: preset?.height ?? 0, fit: p.fit, presetId: p.preset, watermark: watermarkChoice(session, p), appVersion: o.appVersion, includePrompts: false },
  });
}

function assetFor(session: ProjectSession, payload: unknown) {
  const id = (payload as { assetId?: string })?.assetId;
  const asset = id ? session.state.assets[id] : undefined;
  if (!asset) throw new ShotlineError('not_found', 'The media for this job is no longer in the project.');
  return asset;
}

/** Where exports find this installation's signer (content credentials, main/provenance). */
export interface ProvenanceOptions {
  userDataDir: string;
  appVersion: string;
}

export function createJobHandlers(getSession: () => ProjectSession, engine: FfmpegEngine, generation?: GenerationService, provenance?: ProvenanceOptions): Partial<Record<JobKind, JobHandler>> {
  const derivedDir = (s: ProjectSession) => {
    const dir = path.join(s.dir, MEDIA_DIR, 'derived');
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  };
  return {
    filmstrip: {
      resource: 'cpu',
      async run({ job, progress, signal }) {
        const session = getSession();
        const asset = assetFor(session, job.payload);
        const rel = `${MEDIA_DIR}/derived/${asset.sha256}.filmstrip.jpg`;
        progress(0.1, 'Extracting thumbnails');
        const strip = await makeFilmstrip(engine, path.join(session.dir, asset.path), asset.probe, path.join(derivedDir(session), path.basename(rel)), { signal });
        const current = session.state.assets[asset.id];
        if (current) session.systemPatch(new PatchBuilder().set('assets', { ...current, derivatives: { ...current.derivatives, filmstrip: { path: rel, ...strip } } }).patch);
        return { path: rel };
      },
    },
    peaks: {
      resource: 'cpu',
      async run({ job, progress, signal }) {
        const session = getSession();
        const asset = assetFor(session, job.payload);
        const rel = `${MEDIA_DIR}/derived/${asset.sha256}.peaks.json`;
        progress(0.05, 'Reading audio');
        const peaks = await computePeaks(engine, path.join(session.dir, asset.path), path.join(derivedDir(session), path.basename(rel)), {
          signal,
          durationFlicks: asset.probe.durationFlicks,
          onProgress: (p: { fraction: number | null }) => progress(p.fraction ?? 0.5, 'Reading audio'),
        });
        const current = session.state.assets[asset.id];
        if (current) session.systemPatch(new PatchBuilder().set('assets', { ...current, derivatives: { ...current.derivatives, peaks: { path: rel, ...peaks } } }).patch);
        return { path: rel };
      },
    },
    export: {
      resource: 'cpu',
      async run({ job, signal, progress, saved, save }) {
        const session = getSession();
        const p = job.payload as ExportPayload;
        // Killed between moving the file into place and recording the job as done: the file
        // at the target is this job's own output, so it is finished (and must not be redone).
        const mark = (saved as { commit?: ExportCommitMark } | null)?.commit;
        if (mark && (await isCommittedOutput(mark, p.outPath))) return mark.result;
        // A process killed mid-export could not clean up after itself: its ffmpeg may still be
        // writing beside us (stop it first), and its partial file is left over.
        // Marked takes (a cameo revoked after this export was queued) still stop it here.
        const blocked = exportBlockers(session.state).filter((b) => !b.cameoIds.every((id) => p.cameoOverride?.includes(id)));
        if (blocked.length) throw new ShotlineError('consent_refused', `The timeline uses a revoked cameo in ${blockerList(blocked)}.`, 'Replace those takes, then export again.');
        await stopOrphanedExporters(path.dirname(p.outPath));
        await cleanStalePartials(path.dirname(p.outPath));
        const out = await runExport({
          state: session.state,
          projectDir: session.dir,
          engine,
          presetId: p.preset,
          fit: p.fit,
          outPath: p.outPath,
          overwrite: p.overwrite,
          signal,
          onProgress: (e) => progress(e.fraction, e.message, e.etaSeconds),
          record: session,
          beforeCommit: (commit) => save({ commit }),
          ...(provenance ? { afterEncode: signingStep(session, p, provenance) } : {}),
          watermark: watermarkChoice(session, p) === 'on',
          ...(p.loudness ? { loudness: p.loudness } : {}),
        });
        return out;
      },
    },
    loudness: {
      resource: 'cpu',
      async run({ job, signal, progress }) {
        const session = getSession();
        const p = job.payload as LoudnessPayload;
        const preset = findPreset(p.preset);
        if (!preset) throw new ShotlineError('invalid_input', `Unknown export preset "${p.preset}".`);
        const plan = compileRenderPlan(session.state, { width: preset.width, height: preset.height, fit: p.fit });
        progress(0, 'Measuring the mix');
        return meterMix({ plan, engine, resolvePath: (a) => path.resolve(session.dir, a), signal, onProgress: (f) => progress(f, 'Measuring the mix') });
      },
    },
    stabilize: createStabilizeHandler(getSession, engine),
    analyze: createAnalyzeHandler(getSession, engine),
    ...(generation ? { generate: generation.jobHandler(getSession) } : {}),
  };
}
