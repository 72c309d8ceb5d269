/**
 * The `openai-videos` backend: one configured endpoint speaking `/v1/videos`.
 *
 * Never pay twice. The job's checkpoint (its row in the project file) is written
 *   1. before the POST: a fresh idempotency key and the time (`phase: 'submitting'`);
 *   2. the moment the server answers: the remote id (`phase: 'submitted'`).
 * A job resumed with a remote id re-attaches (polls, downloads). A job resumed in
 * 'submitting' was killed between POST and commit: it lists the server's recent videos and
 * adopts the one matching its request (prompt, size, seconds, model; created after the key was
 * written; not owned by another job) before it ever sends again, and when it does send, it is
 * with the same Idempotency-Key.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EndpointCapabilities } from '../../../app/endpoints/types.js';
import { endpointResource, estimateCost } from '../../../app/endpoints/types.js';
import { sizeString } from '../../../app/endpoints/capabilities.js';
import { ShotlineError } from '../../../app/errors.js';
import { assertValidRequest, type GenerationRequest, type ResolvedRequest } from '../../../app/generation/request.js';
import type { BackendInfo, BackendModelInfo, GenerateOptions, GenerationOutput, GenerationProvenance, ResolvedInputs } from '../../../app/generation/types.js';
import type { GenerationBackend } from '../../../app/generation/backend.js';
import type { JobResource } from '../../../app/jobs/types.js';
import type { FfmpegEngine } from '../../media/engine.js';
import type { EndpointRow } from '../../store/endpoint-rows.js';
import { makeScratchDir } from '../media-io.js';
import { describeApiError, isRetryable, retryDelayMs, VideosClient, type RemoteVideo, type Submission } from './client.js';
import { downloadPoster, downloadResumable, moveFile, verifyVideo } from './download.js';
import { billedSeconds } from '../../../app/generation/plan.js';
import { isConnectionError } from './sdk.js';
import { referencePng } from './reference-image.js';
import { remoteBackendInfo } from '../remote-info.js';

export const OPENAI_VIDEOS_KIND = 'openai-videos';

/** What the job row remembers about its remote submission. */
export interface OpenAiCheckpoint {
  v: 1;
  endpointId: string;
  idempotencyKey: string;
  /** Unix seconds when the key was written (just before the first POST). */
  submittedAt: number;
  phase: 'submitting' | 'submitted';
  remoteId: string | null;
  /** What was asked, to recognise it in the server's list after a crash. */
  match: { prompt: string; size: string | null; seconds: string | null; model: string | null };
}

const SUBMIT_ATTEMPTS = 5;
/** The shortest wait between two polls of a job that is about to end. */
const MIN_POLL_MS = 100;
/** Allowance for clock skew between us and the server when matching by creation time. */
const SKEW_SECONDS = 120;

export interface PollTiming {
  firstMs: number;
  maxMs: number;
}

export class OpenAiVideosBackend implements GenerationBackend {
  readonly id: string;
  readonly label: string;
  readonly model: BackendModelInfo;
  readonly capabilities: EndpointCapabilities;
  readonly resource: JobResource;
  readonly pricePerSecond: number | null;
  readonly client: VideosClient;

  constructor(
    readonly endpoint: EndpointRow,
    apiKey: string | null,
    private readonly engine: FfmpegEngine,
    private readonly poll: PollTiming = { firstMs: 400, maxMs: 4000 },
    fetchImpl?: typeof fetch,
  ) {
    this.id = `${OPENAI_VIDEOS_KIND}:${endpoint.id}`;
    this.label = `${endpoint.name} (${endpoint.model ?? 'server default'})`;
    this.model = { name: endpoint.model ?? 'default', version: 'remote', displayName: endpoint.model ?? `${endpoint.name}'s default model` };
    // Remix of a take = the server's remix (its own videos) or edit (an uploaded clip).
    const c = endpoint.capabilities;
    const v2v = c.operations.some((o) => o === 'remix' || o === 'edit') && !c.tasks.includes('video-to-video');
    this.capabilities = v2v ? { ...c, tasks: [...c.tasks, 'video-to-video'] } : c;
    this.resource = endpointResource(endpoint.id);
    this.pricePerSecond = endpoint.pricePerSecond;
    this.client = new VideosClient(endpoint.baseUrl, apiKey, fetchImpl ? { fetch: fetchImpl } : {});
  }

  async info(): Promise<BackendInfo> {
    return remoteBackendInfo(this);
  }

  private fail(e: unknown): ShotlineError {
    return describeApiError(e, this.endpoint.name);
  }

  async generate(request: GenerationRequest, inputs: ResolvedInputs, opts: GenerateOptions): Promise<GenerationOutput> {
    // Steps and guidance are not the protocol's business (a resolved request carries 0 for them).
    const { steps: _s, guidance: _g, ...rest } = request;
    const req = assertValidRequest(this.capabilities, rest);
    const t0 = performance.now();
    const report = opts.onProgress ?? (() => {});
    const scratch = await makeScratchDir('shotline-remote-');
    try {
      const { submission, operation, fit } = await this.submissionFor(req, inputs, scratch.dir, opts.signal);
      const match = {
        prompt: req.prompt,
        size: submission.op === 'create' ? (submission.params.size ?? null) : null,
        seconds: submission.op === 'create' ? (submission.params.seconds ?? null) : null,
        model: submission.op === 'create' ? (submission.params.model ?? null) : null,
      };
      let video = await this.attachOrSubmit(submission, match, opts, report);
      video = await this.waitDone(video, opts, report);
      // The server's part is over (fetching the result does not occupy it): the endpoint's slot
      // can start the next take while this one is downloaded, checked and imported.
      opts.releaseSlot?.();
      report({ fraction: 0.9, etaSeconds: null, message: `Downloading from ${this.endpoint.name}` });
      // Into the job's own folder when it has one: a download cut by a crash resumes from there.
      const workDir = opts.resumeDir ?? scratch.dir;
      await fs.promises.mkdir(workDir, { recursive: true });
      const partial = path.join(workDir, `${video.id.replace(/[^\w.-]/g, '_')}.mp4.part`);
      await downloadResumable(
        {
          fetch: (from, signal) =>
            this.client.content(video.id, 'video', from, signal).catch((e: unknown) => {
              throw (e as { status?: number }).status ? this.fail(e) : e;
            }),
        },
        partial,
        { signal: opts.signal, what: `The video from "${this.endpoint.name}"`, onBytes: (got, total) => total && report({ fraction: 0.9 + (0.06 * got) / total, etaSeconds: null, message: `Downloading ${Math.round((100 * got) / total)}%` }) },
      );
      // The server's still becomes the take's poster (fetched while the video is checked); a
      // server without one loses nothing.
      const posterDone = downloadPoster((signal) => this.client.content(video.id, 'thumbnail', 0, signal), path.join(workDir, 'poster'), opts.signal);
      report({ fraction: 0.97, etaSeconds: null, message: 'Checking the video' });
      const probed = await verifyVideo(this.engine, partial, `The video from "${this.endpoint.name}"`, opts.signal).catch(async (e: unknown) => {
        await posterDone;
        throw e;
      });
      const file = opts.outPath;
      await moveFile(partial, file);
      const poster = await posterDone;
      if (this.endpoint.options.deleteAfterDownload) {
        // The user asked not to leave copies on the server; a failed delete does not lose the take.
        await this.client.delete(video.id).catch(() => {});
      }
      const seconds = Number(video.seconds ?? match.seconds ?? req.durationSeconds);
      // An extension is billed for what it adds, not for the source it continues.
      const billed = operation === 'extend' ? billedSeconds(req) : seconds;
      const provenance: GenerationProvenance = {
        backend: OPENAI_VIDEOS_KIND,
        model: { name: video.model ?? this.model.name, version: 'remote' },
        executionProvider: 'remote',
        task: req.task,
        prompt: req.prompt,
        seed: req.seed,
        steps: req.steps,
        guidance: req.guidance,
        durationSeconds: Number.isFinite(seconds) ? seconds : req.durationSeconds,
        size: req.size,
        fps: this.capabilities.fps[0] ?? 0,
        inputs: [
          ...(inputs.referenceImage ? [{ role: 'reference' as const, sha256: inputs.referenceImage.sha256, name: `${inputs.referenceImage.name}${fit ? ` (${fit} to ${sizeString(req.size)})` : ''}` }] : []),
          ...(inputs.remixSource ? [{ role: 'remix-source' as const, sha256: inputs.remixSource.sha256, name: inputs.remixSource.name }] : []),
        ],
        secondsTaken: Number(((performance.now() - t0) / 1000).toFixed(3)),
        remote: { endpointId: this.endpoint.id, endpointName: this.endpoint.name, videoId: video.id, costUsd: estimateCost(this.endpoint.pricePerSecond, billed, 1), operation },
      };
      report({ fraction: 1, etaSeconds: 0, message: 'Done' });
      return { file, provenance, probed, ...(poster ? { poster } : {}) };
    } finally {
      await scratch.cleanup();
    }
  }

  /**
   * The protocol call for a request: create (text / image input); of a source take, remix /
   * extend / edit by the server's id when the take was made here, else edit / extend with the
   * clip uploaded.
   */
  private async submissionFor(req: ResolvedRequest, inputs: ResolvedInputs, dir: string, signal?: AbortSignal): Promise<{ submission: Submission; operation: 'create' | 'remix' | 'extend' | 'edit'; fit: string | null }> {
    if (req.task === 'video-to-video') {
      const src = inputs.remixSource;
      if (!src) throw new ShotlineError('invalid_input', 'A remix needs a source clip.');
      const mode = req.remix?.mode ?? 'remix';
      const ops = this.capabilities.operations;
      const here = src.remote?.endpointId === this.endpoint.id ? { id: src.remote.videoId } : null;
      const upload = async () => ({ data: await fs.promises.readFile(src.path), name: path.basename(src.path) });
      if (mode === 'extend') {
        if (!ops.includes('extend')) throw new ShotlineError('unsupported', `"${this.endpoint.name}" cannot continue a take.`, 'Use an endpoint that offers extensions.');
        return { submission: { op: 'extend', prompt: req.prompt, seconds: String(req.remix?.extendSeconds ?? 4), video: here ?? (await upload()) }, operation: 'extend', fit: null };
      }
      if (mode === 'remix' && here && ops.includes('remix')) return { submission: { op: 'remix', videoId: here.id, prompt: req.prompt }, operation: 'remix', fit: null };
      if (!ops.includes('edit'))
        throw new ShotlineError('unsupported', `"${this.endpoint.name}" cannot ${mode === 'edit' ? 'edit' : 'remix'} a clip it did not make.`, 'Remix takes made on this endpoint, or use another backend.');
      return { submission: { op: 'edit', prompt: req.prompt, video: here ?? (await upload()) }, operation: 'edit', fit: null };
    }
    const params = {
      prompt: req.prompt,
      ...(this.endpoint.model ? { model: this.endpoint.model } : {}),
      seconds: String(req.durationSeconds),
      size: sizeString(req.size),
    };
    if (req.task === 'image-to-video') {
      const ref = inputs.referenceImage;
      if (!ref) throw new ShotlineError('invalid_input', 'Image-to-video needs a reference image.');
      const fit = this.endpoint.options.imageFit ?? 'crop';
      const png = await referencePng(this.engine, ref, req.size, fit, dir, signal);
      return { submission: { op: 'create', params: { ...params, inputReference: png } }, operation: 'create', fit };
    }
    return { submission: { op: 'create', params }, operation: 'create', fit: null };
  }

  /** Re-attach to the job's remote video, adopt it from the server's list after a crash, or submit (once). */
  private async attachOrSubmit(submission: Submission, match: OpenAiCheckpoint['match'], opts: GenerateOptions, report: NonNullable<GenerateOptions['onProgress']>): Promise<RemoteVideo> {
    const cp = opts.remote;
    let state = cp?.get<OpenAiCheckpoint>() ?? null;
    if (state && state.endpointId !== this.endpoint.id) state = null; // moved to another pool member before it was sent
    if (state?.remoteId) {
      report({ fraction: 0.02, etaSeconds: null, message: `Re-attaching to ${this.endpoint.name}` });
      try {
        return await this.client.retrieve(state.remoteId, opts.signal);
      } catch (e) {
        throw this.fail(e);
      }
    }
    if (state) {
      // Killed between POST and commit: did the server get it?
      report({ fraction: 0.02, etaSeconds: null, message: `Checking whether ${this.endpoint.name} already has this take` });
      const found = await this.findSubmitted(state, cp!, opts.signal);
      if (found) {
        cp!.set({ ...state, phase: 'submitted', remoteId: found.id } satisfies OpenAiCheckpoint);
        return found;
      }
    } else {
      state = { v: 1, endpointId: this.endpoint.id, idempotencyKey: `shotline-${randomUUID()}`, submittedAt: Math.floor(Date.now() / 1000), phase: 'submitting', remoteId: null, match };
      cp?.set(state);
    }
    report({ fraction: 0.03, etaSeconds: null, message: `Sending to ${this.endpoint.name}` });
    const video = await this.submit(submission, state, cp, opts.signal);
    cp?.set({ ...state, phase: 'submitted', remoteId: video.id } satisfies OpenAiCheckpoint);
    return video;
  }

  private async findSubmitted(state: OpenAiCheckpoint, cp: NonNullable<GenerateOptions['remote']>, signal?: AbortSignal): Promise<RemoteVideo | null> {
    let recent: RemoteVideo[];
    try {
      recent = await this.client.recent(100, signal);
    } catch (e) {
      // Without the list we cannot know: refuse to send again rather than risk paying twice.
      const err = this.fail(e);
      throw new ShotlineError(err.code, `Shotline stopped while sending this take to "${this.endpoint.name}" and cannot check whether it arrived: ${err.message}`, 'Retry the job when the server answers; it is checked again before anything is sent.');
    }
    const taken = new Set(cp.claimedElsewhere());
    const m = state.match;
    const hits = recent
      .filter((v) => !taken.has(v.id) && v.created_at >= state.submittedAt - SKEW_SECONDS)
      .filter((v) => v.prompt === m.prompt && (!m.size || !v.size || v.size === m.size) && (!m.seconds || !v.seconds || v.seconds === m.seconds) && (!m.model || !v.model || v.model === m.model))
      .sort((a, b) => a.created_at - b.created_at);
    return hits[0] ?? null;
  }

  private async submit(submission: Submission, state: OpenAiCheckpoint, cp: GenerateOptions['remote'], signal?: AbortSignal): Promise<RemoteVideo> {
    let last: unknown = null;
    for (let attempt = 0; attempt < SUBMIT_ATTEMPTS; attempt++) {
      if (signal?.aborted) throw new ShotlineError('canceled', 'Generation canceled.');
      if (attempt > 0 && isConnectionError(last) && cp) {
        // The connection dropped: the server may have accepted it. Look before sending again.
        const found = await this.findSubmitted(state, cp, signal);
        if (found) return found;
      }
      try {
        return await this.client.submitOnce(submission, state.idempotencyKey, signal);
      } catch (e) {
        if (signal?.aborted) throw new ShotlineError('canceled', 'Generation canceled.');
        last = e;
        if (isConnectionError(e) || isRetryable(e)) {
          await sleep(retryDelayMs((e as { headers?: Headers }).headers, attempt), signal);
          continue;
        }
        throw this.fail(e);
      }
    }
    throw this.fail(last);
  }

  /**
   * Poll until the remote job ends; progress from its `progress`; failed/expired end it with
   * the server's reason. The next poll follows the job: once `progress` moves, the time left is
   * estimated from its rate and the next poll comes after half of it (never sooner than
   * MIN_POLL_MS, never later than maxMs), so a finished job is not left waiting out a back-off.
   */
  private async waitDone(video: RemoteVideo, opts: GenerateOptions, report: NonNullable<GenerateOptions['onProgress']>): Promise<RemoteVideo> {
    let v = video;
    let wait = this.poll.firstMs;
    let misses = 0;
    let seen: { at: number; pct: number } | null = null;
    let polls = 0;
    for (;;) {
      if (v.status === 'completed') return v;
      if (v.status === 'failed') {
        const why = v.error?.message ?? 'no reason given';
        const policy = /moderation|policy|safety|content/i.test(`${v.error?.code ?? ''} ${why}`);
        throw new ShotlineError(policy ? 'invalid_input' : 'unsupported', `"${this.endpoint.name}" could not make this take: ${why}`, policy ? 'Rephrase the prompt and generate again.' : 'Retry the take, or try another endpoint.');
      }
      if (v.status === 'expired')
        throw new ShotlineError('not_found', `The video on "${this.endpoint.name}" expired before Shotline could download it.`, 'Servers keep results for a limited time; generate the take again.');
      const pct = v.progress;
      report({ fraction: 0.05 + 0.85 * (pct / 100), etaSeconds: null, message: v.status === 'queued' ? `Queued on ${this.endpoint.name}` : `Generating on ${this.endpoint.name}: ${Math.round(pct)}%` });
      const now = performance.now();
      // The rate is measured from the first time the job was seen running (a long baseline:
      // `progress` is coarse, and two close samples of it say little), and half the estimated
      // time left is waited, so the polls close in on the end instead of overshooting it.
      if (v.status === 'in_progress' && !seen) seen = { at: now, pct };
      if (seen && pct > seen.pct) {
        const msLeft = ((100 - pct) * (now - seen.at)) / (pct - seen.pct);
        wait = Math.max(MIN_POLL_MS, Math.min(msLeft / 2, this.poll.maxMs));
      } else if (polls++ > 0) wait = Math.min(wait * 1.5, this.poll.maxMs);
      await sleep(wait, opts.signal);
      try {
        v = await this.client.retrieve(v.id, opts.signal);
        misses = 0;
      } catch (e) {
        if (opts.signal?.aborted) throw new ShotlineError('canceled', 'Generation canceled.');
        // The SDK already retried; a few more misses are tolerated (a server restarting).
        if (++misses >= 5 || (e as { status?: number }).status === 404) throw this.fail(e);
      }
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ShotlineError('canceled', 'Generation canceled.'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new ShotlineError('canceled', 'Generation canceled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
