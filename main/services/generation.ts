/**
 * Generating takes for a shot. `generation.start` turns a shot (structured prompt, reference,
 * continuity, seed) into one validated request per take, and queues one 'generate' job (gpu
 * class) per take. The job runs the backend, imports the MP4 with 'generated' provenance, and
 * adds the take with the undoable 'take.add' command.
 *
 * Cache: every request has a content hash (app/generation/request.ts requestHash) stored in
 * the asset's provenance. An identical request reuses that asset: at start the take is added
 * at once and its job succeeds as soon as it is picked up, without running the model.
 *
 * Crash safety: a job killed at any point leaves either nothing, an imported asset without a
 * take, or the take. Re-running it (the queue requeues running jobs on open) first looks for
 * its own take (same shot, same label, same request hash), then for the cached asset, and only
 * then generates, so exactly one take is ever registered per job.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { GenerationStartParsed } from '../../app/generation/api.js';
import type { GenerateJobResult, GeneratePayload } from '../../app/generation/jobs.js';
import { assertValidRequest, nearestDuration, requestHash, supportsDuration, type GenerationRequest, type ResolvedRequest } from '../../app/generation/request.js';
import type { BackendInfo, FrameSize, GenerationCapabilities, GenerationTask, ResolvedInputs } from '../../app/generation/types.js';
import { ShotlineError } from '../../app/errors.js';
import type { Job } from '../../app/jobs/types.js';
import { composePrompt } from '../../app/model/prompt.js';
import type { Asset, Aspect, ProjectState, Provenance, Shot, Take } from '../../app/model/types.js';
import { flicksToSeconds } from '../../app/time/flicks.js';
import { orderedShots } from '../../app/timeline/query.js';
import { makeScratchDir } from '../backends/media-io.js';
import { BackendRegistry, defaultModelDirs } from '../backends/registry.js';
import type { JobHandler } from '../jobs/queue.js';
import type { FfmpegEngine } from '../media/engine.js';
import { importOne } from './import-media.js';
import type { ProjectSession } from './project-session.js';

/** A random seed per take when none is fixed (uint32). */
export function randomSeed(): number {
  return randomBytes(4).readUInt32LE(0);
}

function requestHashOf(asset: Asset): string | null {
  if (asset.provenance.source !== 'generated') return null;
  const h = asset.provenance.parameters.requestHash;
  return typeof h === 'string' ? h : null;
}

/** The asset an identical request produced before, if it is still in the project. */
export function findCachedAsset(state: ProjectState, hash: string): Asset | null {
  for (const a of Object.values(state.assets)) if (requestHashOf(a) === hash) return a;
  return null;
}

/** The take this job already registered (a crash after 'take.add', or a cache hit at start). */
export function findOwnTake(state: ProjectState, p: Pick<GeneratePayload, 'shotId' | 'label' | 'requestHash'>): Take | null {
  for (const t of Object.values(state.takes)) {
    if (t.shotId !== p.shotId || t.label !== p.label) continue;
    const a = state.assets[t.assetId];
    if (a && requestHashOf(a) === p.requestHash) return t;
  }
  return null;
}

/** The size the backend makes that matches the shot's aspect, else its default. */
export function pickSize(caps: GenerationCapabilities, aspect: Aspect): FrameSize {
  const want = aspect === '16:9' ? 16 / 9 : aspect === '9:16' ? 9 / 16 : 1;
  return caps.sizes.find((s) => Math.abs(s.width / s.height - want) < 0.02) ?? caps.sizes[0] ?? { width: 0, height: 0 };
}

function inputHashes(inputs: GeneratePayload['inputs']): Record<string, string> {
  const h: Record<string, string> = {};
  if (inputs.reference) h.reference = inputs.reference.lastFrame ? `last-frame-of:${inputs.reference.sha256}` : inputs.reference.sha256;
  if (inputs.remixSource) h['remix-source'] = inputs.remixSource.sha256;
  return h;
}

const TAKE_LABEL = /^Take (\d+)$/;

export class GenerationService {
  constructor(
    readonly registry: BackendRegistry,
    private readonly engine: FfmpegEngine,
  ) {}

  backends(): Promise<BackendInfo[]> {
    return this.registry.list();
  }

  /** Queue one 'generate' job per take; identical earlier requests are served from the cache. */
  async start(session: ProjectSession, input: GenerationStartParsed): Promise<Job[]> {
    const state = session.state;
    const shot = state.shots[input.shotId];
    if (!shot) throw new ShotlineError('not_found', 'That shot is no longer in the project.');
    const backend = await this.registry.resolve(input.backendId, input.model);
    const caps = backend.capabilities;
    if (input.takes > caps.maxTakes) throw new ShotlineError('invalid_input', `This backend makes at most ${caps.maxTakes} takes at a time; ask for ${caps.maxTakes} or fewer.`);

    let task: GenerationTask = 'text-to-video';
    let promptFields = shot.prompt;
    let remixOf: string | null = null;
    const inputs: GeneratePayload['inputs'] = {};
    let strength: number | undefined;
    if (input.remix) {
      const take = state.takes[input.remix.takeId];
      if (!take) throw new ShotlineError('not_found', 'The take to remix is no longer in the project.');
      const src = state.assets[take.assetId];
      if (!src) throw new ShotlineError('not_found', `The media of ${take.label} is missing from the project.`);
      if (src.kind !== 'video') throw new ShotlineError('invalid_input', `${take.label} is not a video, so it cannot be remixed.`);
      task = 'video-to-video';
      remixOf = take.id;
      strength = input.remix.strength;
      inputs.remixSource = { assetId: src.id, sha256: src.sha256 };
      promptFields = { ...shot.prompt, ...input.remix.prompt };
    } else {
      const reference = this.pickReference(state, shot, input);
      if (reference) {
        inputs.reference = reference;
        task = 'image-to-video';
      }
    }
    const prompt = composePrompt(promptFields);
    const shotSeconds = flicksToSeconds(shot.durationFlicks);
    const durationSeconds = input.durationSeconds ?? (supportsDuration(caps, shotSeconds) ? shotSeconds : nearestDuration(caps, shotSeconds));
    const size = pickSize(caps, shot.aspect);
    const baseSeed = input.seed === undefined ? shot.seed : input.seed;

    // Validate every take's request before anything is queued or added.
    const planned: { payload: GeneratePayload; cached: Asset | null }[] = [];
    let nextNumber = this.nextTakeNumber(session, shot.id);
    for (let k = 0; k < input.takes; k++) {
      const seed = baseSeed === null ? randomSeed() : (baseSeed + k) >>> 0;
      const raw: GenerationRequest = {
        task,
        prompt,
        seed,
        ...(input.steps !== undefined ? { steps: input.steps } : {}),
        ...(input.guidance !== undefined ? { guidance: input.guidance } : {}),
        durationSeconds,
        size,
        ...(inputs.reference ? { referenceImage: { assetId: inputs.reference.assetId } } : {}),
        ...(inputs.remixSource && strength !== undefined ? { remix: { source: { assetId: inputs.remixSource.assetId }, strength } } : {}),
        model: backend.model.name,
      };
      const request = assertValidRequest(caps, raw);
      const hash = requestHash(request, inputHashes(inputs), { backend: backend.id, model: backend.model.name, modelVersion: backend.model.version });
      const payload: GeneratePayload = {
        v: 1,
        shotId: shot.id,
        label: `Take ${nextNumber++}`,
        remixOf,
        backendId: backend.id,
        model: backend.model.name,
        modelVersion: backend.model.version,
        request,
        inputs,
        requestHash: hash,
      };
      planned.push({ payload, cached: findCachedAsset(state, hash) });
    }
    const jobs: Job[] = [];
    for (const { payload, cached } of planned) {
      // Cache hit: the take appears now; its job only confirms it.
      if (cached) this.addTake(session, payload, cached.id);
      const what = payload.request.task === 'video-to-video' ? 'Remix' : 'Generate';
      jobs.push(session.queue.enqueue('generate', `${what} ${shot.title}: ${payload.label} (seed ${payload.request.seed})`, payload));
    }
    return jobs;
  }

  private pickReference(state: ProjectState, shot: Shot, input: GenerationStartParsed): GeneratePayload['inputs']['reference'] | undefined {
    const wantContinue = input.continueFromPrevious ?? shot.continuity;
    if (wantContinue) {
      const ordered = orderedShots(state);
      const prev = ordered[ordered.findIndex((s) => s.id === shot.id) - 1];
      const prevTake = prev?.chosenTakeId ? state.takes[prev.chosenTakeId] : undefined;
      const prevAsset = prevTake ? state.assets[prevTake.assetId] : undefined;
      if (prevAsset && prevAsset.kind === 'video') return { assetId: prevAsset.id, sha256: prevAsset.sha256, lastFrame: true };
      if (input.continueFromPrevious === true)
        throw new ShotlineError(
          'invalid_input',
          !prev ? 'This is the first shot, so there is no previous shot to continue from.' : `The previous shot ("${prev.title}") has no chosen video take to continue from.`,
          'Generate and pick a take for the previous shot first, or turn continuity off.',
        );
    }
    const wantRef = input.useReference ?? shot.referenceAssetId !== null;
    if (!wantRef) return undefined;
    if (!shot.referenceAssetId) throw new ShotlineError('invalid_input', 'This shot has no reference image.', 'Pick a reference image for the shot, or generate from the prompt alone.');
    const a = state.assets[shot.referenceAssetId];
    if (!a) throw new ShotlineError('not_found', "The shot's reference image is no longer in the project.");
    if (a.kind !== 'image')
      throw new ShotlineError('invalid_input', `The reference "${a.name}" is ${a.kind === 'audio' ? 'a sound' : 'a video'}, not a still image.`, 'Choose a still image as the reference (or remix a video take instead).');
    return { assetId: a.id, sha256: a.sha256, lastFrame: false };
  }

  /**
   * 1 + the highest "Take N" among the shot's takes and all its generate jobs. Like a slate,
   * a number is never reused: a failed or canceled job can be retried into its own label,
   * which must not collide with a newer take.
   */
  private nextTakeNumber(session: ProjectSession, shotId: string): number {
    let max = 0;
    for (const t of Object.values(session.state.takes)) {
      const m = t.shotId === shotId ? TAKE_LABEL.exec(t.label) : null;
      if (m) max = Math.max(max, Number(m[1]));
    }
    for (const j of session.queue.list(1000)) {
      const p = j.payload as Partial<GeneratePayload> | null;
      if (j.kind !== 'generate' || p?.shotId !== shotId) continue;
      const m = TAKE_LABEL.exec(p.label ?? '');
      if (m) max = Math.max(max, Number(m[1]));
    }
    return max + 1;
  }

  private addTake(session: ProjectSession, p: GeneratePayload, assetId: string): string {
    const remixOf = p.remixOf && session.state.takes[p.remixOf] ? p.remixOf : null;
    const r = session.edit('take.add', { shotId: p.shotId, assetId, label: p.label, remixOf });
    const id = Object.keys(r.patch.takes ?? {})[0];
    if (!id) throw new ShotlineError('internal', 'The take could not be added.');
    return id;
  }

  private resolveInputs(session: ProjectSession, p: GeneratePayload): ResolvedInputs {
    const file = (assetId: string, role: string) => {
      const a = session.state.assets[assetId];
      if (!a) throw new ShotlineError('not_found', `The ${role} of this take is no longer in the project.`, 'Pick another one and generate again.');
      const abs = path.join(session.dir, a.path);
      if (!fs.existsSync(abs)) throw new ShotlineError('not_found', `The ${role} "${a.name}" is missing from the project's media folder.`);
      return { path: abs, sha256: a.sha256, name: a.name };
    };
    const out: ResolvedInputs = {};
    if (p.inputs.reference) out.referenceImage = { ...file(p.inputs.reference.assetId, 'reference'), lastFrameOfVideo: p.inputs.reference.lastFrame };
    if (p.inputs.remixSource) {
      const src = session.state.assets[p.inputs.remixSource.assetId];
      out.remixSource = { ...file(p.inputs.remixSource.assetId, 'remix source'), durationSeconds: src ? flicksToSeconds(src.probe.durationFlicks) : undefined };
    }
    return out;
  }

  /** The 'generate' job worker (resource 'gpu': one at a time). */
  jobHandler(getSession: () => ProjectSession): JobHandler {
    return {
      resource: 'gpu',
      run: async ({ job, signal, progress }) => {
        const session = getSession();
        const p = job.payload as GeneratePayload;
        if (!p || p.v !== 1) throw new ShotlineError('unsupported', 'This generation job was made by another version of Shotline.', 'Start the generation again.');
        if (!session.state.shots[p.shotId]) throw new ShotlineError('not_found', 'The shot this take was for has been deleted.');
        const own = findOwnTake(session.state, p);
        if (own) return { takeId: own.id, assetId: own.assetId, cached: true, seed: p.request.seed } satisfies GenerateJobResult;
        const cached = findCachedAsset(session.state, p.requestHash);
        if (cached) return { takeId: this.addTake(session, p, cached.id), assetId: cached.id, cached: true, seed: p.request.seed } satisfies GenerateJobResult;

        progress(0, 'Loading the model');
        const backend = await this.registry.resolve(p.backendId, p.model);
        const inputs = this.resolveInputs(session, p);
        const scratch = await makeScratchDir();
        try {
          const shot = session.state.shots[p.shotId]!;
          const outPath = path.join(scratch.dir, 'take.mp4');
          const out = await backend.generate({ ...p.request, model: backend.model.name }, inputs, {
            outPath,
            signal,
            onProgress: (g) => progress(g.fraction, g.message, g.etaSeconds),
          });
          if (signal.aborted) throw new ShotlineError('canceled', 'Generation canceled.');
          const pv = out.provenance;
          const provenance: Provenance = {
            source: 'generated',
            backend: pv.backend,
            model: `${pv.model.name}@${pv.model.version}`,
            prompt: pv.prompt,
            seed: pv.seed,
            parameters: {
              requestHash: p.requestHash,
              task: pv.task,
              steps: pv.steps,
              guidance: pv.guidance,
              durationSeconds: pv.durationSeconds,
              width: pv.size.width,
              height: pv.size.height,
              fps: pv.fps,
              ...(pv.strength !== undefined ? { strength: pv.strength } : {}),
              executionProvider: pv.executionProvider,
              secondsTaken: pv.secondsTaken,
              inputs: pv.inputs,
              ...(p.inputs.reference?.lastFrame ? { continuedFrom: p.inputs.reference.assetId } : {}),
            },
            inputAssetIds: [p.inputs.reference?.assetId, p.inputs.remixSource?.assetId].filter((x): x is string => !!x),
            createdAt: new Date().toISOString(),
          };
          progress(0.95, 'Importing');
          const asset = await importOne(session, this.engine, { filePath: outPath, name: `${shot.title} - ${p.label}.mp4` }, provenance);
          // The asset is registered; the take is the last step. A crash in between is healed on resume (cache hit).
          const takeId = findOwnTake(session.state, p)?.id ?? this.addTake(session, p, asset.id);
          return { takeId, assetId: asset.id, cached: false, seed: pv.seed, executionProvider: pv.executionProvider, secondsTaken: pv.secondsTaken } satisfies GenerateJobResult;
        } finally {
          await scratch.cleanup();
        }
      },
    };
  }

  dispose(): Promise<void> {
    return this.registry.dispose();
  }
}

/** The service for one app instance: packs from resources/models, the user's models folder and SHOTLINE_MODELS_DIR. */
export function createGenerationService(library: { getSetting<T>(key: string, fallback: T): T }, engine: FfmpegEngine): GenerationService {
  const registry = new BackendRegistry({ engine, modelDirs: () => defaultModelDirs(library.getSetting<string | null>('userModelsDir', null)) });
  return new GenerationService(registry, engine);
}
