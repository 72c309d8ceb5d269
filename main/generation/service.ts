/**
 * Generating takes for a shot: the façade the API calls. `start` plans one validated request
 * per take (app/generation/plan.ts) and queues one 'generate' job each; the job worker is
 * run-job.ts.
 *
 * Cache: every request has a content hash (app/generation/request.ts requestHash) stored in
 * the asset's provenance. An identical request reuses that asset: at start the take is added
 * at once and its job succeeds as soon as it is picked up, without running the model.
 */
import { randomBytes } from 'node:crypto';
import { ShotlineError } from '../../app/errors.js';
import type { CostEstimate, GenerationStartParsed } from '../../app/generation/api.js';
import { estimateCost } from '../../app/endpoints/types.js';
import { billedSeconds, planTakes } from '../../app/generation/plan.js';
import type { BackendInfo } from '../../app/generation/types.js';
import type { Job } from '../../app/jobs/types.js';
import { BackendRegistry } from '../backends/registry.js';
import { defaultModelDirs } from '../backends/model-dirs.js';
import type { JobHandler } from '../jobs/queue.js';
import type { FfmpegEngine } from '../media/engine.js';
import type { ProjectSession } from '../session/project-session.js';
import type { LibraryStore } from '../store/library-store.js';
import { addTake } from './add-take.js';
import type { EndpointService } from '../endpoints/service.js';
import { poolPicker, poolProvider } from './pool.js';
import { endpointBackendId } from '../../app/endpoints/types.js';
import { OpenAiVideosProvider, probeOpenAiVideos } from '../backends/openai-videos/provider.js';
import { OPENAI_VIDEOS_KIND } from '../backends/openai-videos/backend.js';
import { ComfyUiProvider, probeComfyUi } from '../backends/comfyui/provider.js';
import { COMFYUI_KIND } from '../backends/comfyui/backend.js';
import { loadWorkflow } from '../backends/comfyui/workflow.js';
import { comfyCapabilities } from '../../app/endpoints/comfy-mapping.js';
import { runGenerateJob } from './run-job.js';
import type { CameoService } from '../cameos/service.js';
import { logTakeUses, planShotCameos } from '../cameos/in-generation.js';

/** A random seed per take when none is fixed (uint32). */
export function randomSeed(): number {
  return randomBytes(4).readUInt32LE(0);
}

export class GenerationService {
  /** The cameo library (set by the app's services): consent is checked and uses logged where takes are queued. */
  cameos: CameoService | null = null;

  constructor(
    readonly registry: BackendRegistry,
    private readonly engine: FfmpegEngine,
    private readonly endpoints?: EndpointService,
  ) {}

  backends(): Promise<BackendInfo[]> {
    return this.registry.list();
  }

  /** Queue one 'generate' job per take; identical earlier requests are served from the cache. */
  async start(session: ProjectSession, input: GenerationStartParsed): Promise<Job[]> {
    if (!session.state.shots[input.shotId]) throw new ShotlineError('not_found', 'That shot is no longer in the project.');
    if (input.backendId?.startsWith('pool:') && this.endpoints) {
      // A pool: each take goes to the least-loaded healthy member, and stays there (its job
      // row names the member, so a resumed job re-attaches where it was sent).
      const jobs: Job[] = [];
      const picker = await poolPicker(this.endpoints, input.backendId.slice(5), session.queue.list(1000));
      for (let k = 0; k < input.takes; k++) {
        const member = picker.next();
        const seed = input.seed === undefined || input.seed === null ? input.seed : (input.seed + k) >>> 0;
        jobs.push(...(await this.start(session, { ...input, takes: 1, seed, backendId: endpointBackendId(member) })));
      }
      return jobs;
    }
    const backend = await this.registry.resolve(input.backendId, input.model);
    const generateJobs = session.queue.list(1000).filter((j) => j.kind === 'generate');
    // Cameos: resolved, delivered per the backend's ability and consent-checked before anything is queued.
    const cameos = this.cameos ? await planShotCameos(this.cameos, session, input, backend, this.endpoints) : [];
    if (!this.cameos && session.state.shots[input.shotId]!.cameoIds.length)
      throw new ShotlineError('unsupported', 'This shot has cameos, but no cameo library is available here.', 'Generate it in the Shotline app.');
    const planned = planTakes(session.state, input, backend, generateJobs.map((j) => j.payload), randomSeed, cameos);
    const shot = session.state.shots[input.shotId]!;
    const jobs: Job[] = [];
    for (const { payload, cached } of planned) {
      // Every use is logged (project, shot, take, endpoint, time) before its job exists.
      if (this.cameos && payload.cameos?.length) logTakeUses(this.cameos, session, payload, backend.label);
      // Cache hit: the take appears now; its job only confirms it.
      if (cached) addTake(session, payload, cached.id);
      const what = payload.request.task === 'video-to-video' ? 'Remix' : 'Generate';
      // A remote endpoint's takes hold its own network slot, so they run beside local (gpu) work.
      jobs.push(session.queue.enqueue('generate', `${what} ${shot.title}: ${payload.label} (seed ${payload.request.seed})`, payload, backend.resource ?? 'gpu'));
    }
    return jobs;
  }

  /** The price of a `start` with the same input, before anything is sent (validated the same way). */
  async estimate(session: ProjectSession, input: GenerationStartParsed): Promise<CostEstimate> {
    const backend = await this.registry.resolve(input.backendId, input.model);
    const cameos = this.cameos ? await planShotCameos(this.cameos, session, input, backend, this.endpoints) : [];
    const planned = planTakes(session.state, input, backend, [], randomSeed, cameos);
    const first = planned[0]?.payload.request;
    const seconds = first ? billedSeconds(first) : 0;
    // Cache hits cost nothing: they reuse a clip the project already has.
    const paid = planned.filter((p) => !p.cached).length;
    const price = backend.pricePerSecond ?? null;
    return { backendId: backend.id, takes: planned.length, secondsPerTake: seconds, pricePerSecond: price, totalUsd: estimateCost(price, seconds, paid) };
  }

  /** The 'generate' job worker. */
  jobHandler(getSession: () => ProjectSession): JobHandler {
    return {
      resource: 'gpu',
      run: (ctx) => runGenerateJob(getSession(), this.registry, this.engine, ctx, this.cameos),
    };
  }

  dispose(): Promise<void> {
    return this.registry.dispose();
  }
}

/**
 * The service for one app instance: packs from resources/models, the user's models folder and
 * SHOTLINE_MODELS_DIR, plus the remote endpoints configured in the library.
 */
export function createGenerationService(library: Pick<LibraryStore, 'preference'>, engine: FfmpegEngine, endpoints?: EndpointService): GenerationService {
  const registry = new BackendRegistry({ engine, modelDirs: () => defaultModelDirs(library.preference('userModelsDir')) });
  if (endpoints) {
    registry.register(new OpenAiVideosProvider(endpoints, engine));
    endpoints.setProbe(OPENAI_VIDEOS_KIND, probeOpenAiVideos);
    registry.register(new ComfyUiProvider(endpoints, engine));
    endpoints.setProbe(COMFYUI_KIND, probeComfyUi);
    registry.register(poolProvider(endpoints, (id) => registry.resolve(id)));
    endpoints.setDescriber(COMFYUI_KIND, (row) => comfyCapabilities(loadWorkflow(row.options.workflow, row.options.mapping).mapping));
  }
  return new GenerationService(registry, engine, endpoints);
}
