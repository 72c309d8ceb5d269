/**
 * The 'generate' job worker: run the payload's backend, import the clip with 'generated'
 * provenance, add the take.
 *
 * Crash safety: a job killed at any point leaves either nothing, an imported asset without a
 * take, or the take. Re-running it (the queue requeues running jobs on open) first looks for
 * its own take (same shot, same label, same request hash), then for the cached asset, and only
 * then generates, so exactly one take is ever registered per job.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ShotlineError } from '../../app/errors.js';
import type { GenerateJobResult, GeneratePayload } from '../../app/generation/jobs.js';
import type { RemoteUpload } from '../../app/generation/types.js';
import { generatedProvenance } from '../../app/generation/provenance.js';
import { findCachedAsset, findOwnTake } from '../../app/generation/takes.js';
import { makeScratchDir } from '../backends/media-io.js';
import type { BackendRegistry } from '../backends/registry.js';
import type { JobContext } from '../jobs/queue.js';
import type { FfmpegEngine } from '../media/engine.js';
import { importOne } from '../session/import-media.js';
import type { ProjectSession } from '../session/project-session.js';
import { addTake } from './add-take.js';
import { attachPoster, jobWorkDir } from './poster.js';
import { resolveInputs } from './inputs.js';
import type { CameoService } from '../cameos/service.js';
import { prepareTakeCameos, recordCameoUpload } from '../cameos/in-generation.js';

export function readPayload(raw: unknown): GeneratePayload {
  const p = raw as GeneratePayload | null;
  if (!p || p.v !== 1) throw new ShotlineError('unsupported', 'This generation job was made by another version of Shotline.', 'Start the generation again.');
  return p;
}

export async function runGenerateJob(session: ProjectSession, registry: BackendRegistry, engine: FfmpegEngine, ctx: JobContext, cameos: CameoService | null = null): Promise<GenerateJobResult> {
  const { job, signal, progress } = ctx;
  const p = readPayload(job.payload);
  if (!session.state.shots[p.shotId]) throw new ShotlineError('not_found', 'The shot this take was for has been deleted.');
  const own = findOwnTake(session.state, p);
  if (own) return { takeId: own.id, assetId: own.assetId, cached: true, seed: p.request.seed };
  const cached = findCachedAsset(session.state, p.requestHash);
  if (cached) return { takeId: addTake(session, p, cached.id), assetId: cached.id, cached: true, seed: p.request.seed };

  progress(0, 'Loading the model');
  const backend = await registry.resolve(p.backendId, p.model);
  if (p.cameos?.length && !cameos) throw new ShotlineError('unsupported', 'This take has cameos, but no cameo library is available here.');
  // Consent again (revoked or expired since it was queued?), and characters made before the take is sent.
  const takeCameos = cameos && p.cameos?.length ? await prepareTakeCameos(cameos, session, p, backend, signal) : [];
  const inputs = resolveInputs(session.state, session.dir, p, cameos ? (m) => cameos.lib.mediaPath(m) : undefined);
  const scratch = await makeScratchDir();
  // The job's own folder in the project: what a remote download left there before a crash is
  // continued (Range) when the job runs again. Removed once the job ends either way.
  const resumeDir = jobWorkDir(session.dir, job.id);
  let keepDownload = false;
  try {
    const shot = session.state.shots[p.shotId]!;
    const outPath = path.join(scratch.dir, 'take.mp4');
    const out = await backend.generate({ ...p.request, model: backend.model.name }, inputs, {
      outPath,
      signal,
      onProgress: (g) => progress(g.fraction, g.message, g.etaSeconds),
      resumeDir,
      releaseSlot: ctx.releaseResource,
      ...(cameos && p.cameos?.length ? { onUpload: (u: RemoteUpload) => recordCameoUpload(cameos, p, u) } : {}),
      remote: {
        get: ctx.remote.get,
        set: ctx.remote.set,
        claimedElsewhere: () => ctx.remote.others().map((o) => (o as { remoteId?: unknown } | null)?.remoteId).filter((x): x is string => typeof x === 'string'),
      },
    });
    if (signal.aborted) throw new ShotlineError('canceled', 'Generation canceled.');
    const provenance = generatedProvenance(out.provenance, p, new Date().toISOString(), takeCameos.length ? { cameos: takeCameos } : {});
    progress(0.95, 'Importing');
    const asset = await importOne(session, engine, { filePath: outPath, name: `${shot.title} - ${p.label}.mp4` }, provenance, out.probed);
    if (out.poster) await attachPoster(session, asset.id, out.poster);
    // The asset is registered; the take is the last step. A crash in between is healed on resume (cache hit).
    const takeId = findOwnTake(session.state, p)?.id ?? addTake(session, p, asset.id);
    const pv = out.provenance;
    return { takeId, assetId: asset.id, cached: false, seed: pv.seed, executionProvider: pv.executionProvider, secondsTaken: pv.secondsTaken };
  } catch (e) {
    // Closing the project stops the job to resume it on open: keep what was downloaded.
    keepDownload = signal.aborted && /closed/i.test(String((signal.reason as Error | undefined)?.message));
    throw e;
  } finally {
    await scratch.cleanup();
    if (!keepDownload) await fs.promises.rm(resumeDir, { recursive: true, force: true }).catch(() => {});
  }
}
