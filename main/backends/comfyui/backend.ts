/**
 * The `comfyui` backend: one ComfyUI server running one workflow. A request fills the
 * workflow's mapped inputs, uploads the input image (and a cameo's voice sample where the
 * mapping has a voice input), queues the graph under a client id that
 * is unique to the job, follows progress on the WebSocket and confirms through /history, then
 * fetches the output through /view, checked with ffprobe.
 *
 * Re-attach: the job's checkpoint holds its client id before /prompt and the prompt id right
 * after. A job resumed with a prompt id waits for it again; one killed in between finds its
 * prompt in /queue or /history by the client id ComfyUI keeps in `extra_data` (an exact
 * match) before it ever queues again. Cancel interrupts the prompt if it is the one running,
 * else deletes it from the queue.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { comfyCapabilities, buildGraph, type ComfyGraph, type ComfyMapping } from '../../../app/endpoints/comfy-mapping.js';
import { endpointResource, type EndpointCapabilities } from '../../../app/endpoints/types.js';
import { ShotlineError } from '../../../app/errors.js';
import type { GenerationBackend } from '../../../app/generation/backend.js';
import { assertValidRequest, type GenerationRequest } from '../../../app/generation/request.js';
import type { BackendInfo, BackendModelInfo, GenerateOptions, GenerationOutput, RemoteUpload, ResolvedInputs } from '../../../app/generation/types.js';
import type { JobResource } from '../../../app/jobs/types.js';
import type { FfmpegEngine } from '../../media/engine.js';
import type { EndpointRow } from '../../store/endpoint-rows.js';
import { makeScratchDir } from '../media-io.js';
import { downloadResumable, verifyVideo } from '../openai-videos/download.js';
import { referencePng } from '../openai-videos/reference-image.js';
import { ComfyClient, outputFile, type ComfyHistoryEntry } from './client.js';
import { remoteBackendInfo } from '../remote-info.js';

export const COMFYUI_KIND = 'comfyui';

const AUDIO_TYPES: Record<string, string> = { '.wav': 'audio/wav', '.flac': 'audio/flac', '.mp3': 'audio/mpeg', '.m4a': 'audio/mp4', '.ogg': 'audio/ogg', '.opus': 'audio/ogg' };

export interface ComfyCheckpoint {
  v: 1;
  endpointId: string;
  clientId: string;
  promptId: string | null;
}

/** /history poll while no socket tells us anything (none open, or a prompt queued by an earlier process). */
const HISTORY_POLL_MS = 1000;
/** /history check while the socket is up: a safety net, the socket's events wake the job sooner. */
const SAFETY_POLL_MS = 5000;

export class ComfyUiBackend implements GenerationBackend {
  readonly id: string;
  readonly label: string;
  readonly model: BackendModelInfo;
  readonly capabilities: EndpointCapabilities;
  readonly resource: JobResource;
  readonly pricePerSecond: number | null;
  readonly client: ComfyClient;

  constructor(
    readonly endpoint: EndpointRow,
    apiKey: string | null,
    private readonly workflow: { graph: ComfyGraph; mapping: ComfyMapping; file: string },
    private readonly engine: FfmpegEngine,
  ) {
    this.id = `${COMFYUI_KIND}:${endpoint.id}`;
    const wf = workflow.file.split(/[\\/]/).pop()!.replace(/\.json$/, '');
    this.label = `${endpoint.name} (ComfyUI: ${wf})`;
    this.model = { name: wf, version: 'workflow', displayName: wf };
    this.capabilities = comfyCapabilities(workflow.mapping);
    this.resource = endpointResource(endpoint.id);
    this.pricePerSecond = endpoint.pricePerSecond;
    this.client = new ComfyClient(endpoint.baseUrl, apiKey, endpoint.name);
  }

  private uploadTarget(): RemoteUpload['endpoint'] {
    return { id: this.endpoint.id, name: this.endpoint.name, baseUrl: this.endpoint.baseUrl };
  }

  async info(): Promise<BackendInfo> {
    return remoteBackendInfo(this);
  }

  async generate(request: GenerationRequest, inputs: ResolvedInputs, opts: GenerateOptions): Promise<GenerationOutput> {
    const { steps: _s, guidance: _g, ...rest } = request;
    const req = assertValidRequest(this.capabilities, rest);
    const t0 = performance.now();
    const report = opts.onProgress ?? (() => {});
    const scratch = await makeScratchDir('shotline-comfy-');
    let promptId: string | null = null;
    try {
      let cp = opts.remote?.get<ComfyCheckpoint>() ?? null;
      if (cp && cp.endpointId !== this.endpoint.id) cp = null;
      promptId = cp?.promptId ?? null;
      const clientId = cp?.clientId ?? `shotline-${randomUUID()}`;
      if (!promptId && cp) promptId = await this.findByClientId(clientId, opts.signal);
      if (promptId && cp && !cp.promptId) opts.remote?.set({ ...cp, promptId });
      // Re-attached (queued by an earlier process, under its socket's client id): no events
      // come for it here, so its /history is polled more often.
      const reattached = !!promptId;
      const hub = this.client.hub(this.endpoint.id);
      let wake: (() => void) | null = null;
      const leave = hub.subscribe((e) => {
        if (e.type === 'reconnected') return wake?.(); // events may have been missed: ask /history
        if (!promptId || e.promptId !== promptId) return; // another job's prompt on this endpoint
        if (e.type === 'progress' && e.max > 0) report({ fraction: 0.05 + (0.85 * e.value) / e.max, etaSeconds: null, message: `Generating on ${this.endpoint.name}: step ${e.value}/${e.max}` });
        else if (e.type !== 'progress') wake?.();
      });
      try {
        if (!promptId) {
          let image: string | undefined;
          if (req.task === 'image-to-video') {
            if (!inputs.referenceImage) throw new ShotlineError('invalid_input', 'Image-to-video needs a reference image.');
            const png = await referencePng(this.engine, inputs.referenceImage, req.size, this.endpoint.options.imageFit ?? 'crop', scratch.dir, opts.signal);
            image = await this.client.uploadImage(png.data, `${clientId}.png`, opts.signal);
            opts.onUpload?.({ input: 'reference', endpoint: this.uploadTarget(), file: image });
          }
          // A cameo's voice sample goes to the mapped LoadAudio node, uploaded as it is in the
          // cameo library (the consent's SHA-256 covers those exact bytes).
          let voice: string | undefined;
          if (inputs.voiceSample && this.workflow.mapping.inputs.voice) {
            const ext = path.extname(inputs.voiceSample.path) || '.wav';
            voice = await this.client.uploadImage(await fs.promises.readFile(inputs.voiceSample.path), `${clientId}-voice${ext}`, opts.signal, AUDIO_TYPES[ext.toLowerCase()] ?? 'application/octet-stream');
            opts.onUpload?.({ input: 'voice', endpoint: this.uploadTarget(), file: voice });
          }
          const graph = buildGraph(this.workflow.graph, this.workflow.mapping, { prompt: req.prompt, negativePrompt: '', seed: req.seed, seconds: req.durationSeconds, size: req.size, ...(image ? { image } : {}), ...(voice ? { voice } : {}) });
          opts.remote?.set({ v: 1, endpointId: this.endpoint.id, clientId, promptId: null } satisfies ComfyCheckpoint);
          report({ fraction: 0.03, etaSeconds: null, message: `Queueing on ${this.endpoint.name}` });
          try {
            promptId = await this.client.queuePrompt(graph, hub.clientId, clientId, opts.signal);
          } catch (e) {
            // The connection dropped: it may be queued. Look it up by our client id before anything else.
            if ((e as { dropped?: boolean }).dropped) promptId = await this.findByClientId(clientId, opts.signal);
            if (!promptId) throw e;
          }
          opts.remote?.set({ v: 1, endpointId: this.endpoint.id, clientId, promptId } satisfies ComfyCheckpoint);
        } else report({ fraction: 0.03, etaSeconds: null, message: `Re-attaching to ${this.endpoint.name}` });
        const entry = await this.waitDone(promptId, opts.signal, (ms) => new Promise<void>((resolve) => {
          const t = setTimeout(done, hub.connected && !reattached ? ms : HISTORY_POLL_MS);
          function done() {
            clearTimeout(t);
            wake = null;
            resolve();
          }
          wake = done;
        }));
        opts.releaseSlot?.(); // the prompt ran: the endpoint's slot can start the next take while this one is fetched
        const file = outputFile(entry.outputs[this.workflow.mapping.output.node]);
        if (!file) throw new ShotlineError('unsupported', `The workflow finished but its output node ${this.workflow.mapping.output.node} saved no video.`, 'Check the mapping\'s output node: it should be the SaveVideo (or VHS Video Combine) node.');
        report({ fraction: 0.9, etaSeconds: null, message: `Downloading from ${this.endpoint.name}` });
        await downloadResumable({ fetch: (from, signal) => this.client.view(file, from, signal) }, opts.outPath, { signal: opts.signal, what: `The video from "${this.endpoint.name}"` });
        const probed = await verifyVideo(this.engine, opts.outPath, `The video from "${this.endpoint.name}"`, opts.signal);
        report({ fraction: 1, etaSeconds: 0, message: 'Done' });
        return {
          file: opts.outPath,
          probed,
          provenance: {
            backend: COMFYUI_KIND,
            model: { name: this.model.name, version: 'workflow' },
            executionProvider: 'remote',
            task: req.task,
            prompt: req.prompt,
            seed: req.seed,
            steps: req.steps,
            guidance: req.guidance,
            durationSeconds: req.durationSeconds,
            size: req.size,
            fps: this.workflow.mapping.fps,
            inputs: [
              ...(inputs.referenceImage ? [{ role: 'reference' as const, sha256: inputs.referenceImage.sha256, name: inputs.referenceImage.name }] : []),
              ...(inputs.voiceSample && this.workflow.mapping.inputs.voice ? [{ role: 'voice' as const, sha256: inputs.voiceSample.sha256, name: inputs.voiceSample.name }] : []),
            ],
            secondsTaken: Number(((performance.now() - t0) / 1000).toFixed(3)),
            remote: { endpointId: this.endpoint.id, endpointName: this.endpoint.name, videoId: promptId, costUsd: this.pricePerSecond === null ? null : Math.round(this.pricePerSecond * req.durationSeconds * 100) / 100, operation: 'create' },
          },
        };
      } finally {
        leave();
      }
    } catch (e) {
      // A user's cancel stops the prompt on the server; closing the project leaves it running
      // (the job re-attaches when the project opens again).
      if (opts.signal?.aborted && !/closed/i.test(String((opts.signal.reason as Error | undefined)?.message))) await this.cancel(promptId);
      throw e;
    } finally {
      await scratch.cleanup();
    }
  }

  /** Our prompt in the queue or the history, by the job's key ComfyUI keeps in `extra_data` (`client_id` for prompts queued before the shared socket). */
  private async findByClientId(jobKey: string, signal?: AbortSignal): Promise<string | null> {
    const ours = (x: { client_id?: string; shotline_job?: string } | undefined) => x?.shotline_job === jobKey || x?.client_id === jobKey;
    const q = await this.client.queue(signal);
    for (const item of [...q.queue_running, ...q.queue_pending]) if (ours(item[3] as { client_id?: string; shotline_job?: string } | undefined)) return String(item[1]);
    const h = await this.client.recentHistory(200, signal);
    for (const [id, e] of Object.entries(h)) if (ours(e.prompt?.[3])) return id;
    return null;
  }

  /**
   * /history is the word on whether the prompt ended. It is asked once now, then whenever the
   * socket says our prompt finished, failed or was interrupted, or the socket came back after a
   * drop; and on a slow timer as a safety net (every second while there is no socket).
   */
  private async waitDone(promptId: string, signal: AbortSignal | undefined, nextCheck: (ms: number) => Promise<void>): Promise<ComfyHistoryEntry> {
    const aborted = new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(new ShotlineError('canceled', 'Generation canceled.')), { once: true }));
    aborted.catch(() => {}); // only raced below
    for (;;) {
      const h = await this.client.history(promptId, signal);
      const st = h?.status;
      if (h && (st?.completed || st?.status_str === 'success')) return h;
      if (h && st?.status_str === 'error') {
        const err = st.messages?.find(([t]) => t === 'execution_error')?.[1];
        throw new ShotlineError('unsupported', `ComfyUI failed to run the workflow: ${err ? `${String(err.node_type ?? '')} ${String(err.exception_message ?? '')}`.trim() : 'no reason given'}.`);
      }
      if (h && st?.messages?.some(([t]) => t === 'execution_interrupted')) throw new ShotlineError('canceled', `The prompt was interrupted on "${this.endpoint.name}".`);
      if (signal?.aborted) throw new ShotlineError('canceled', 'Generation canceled.');
      await Promise.race([nextCheck(SAFETY_POLL_MS), aborted]);
    }
  }

  private async cancel(promptId: string | null): Promise<void> {
    if (!promptId) return;
    try {
      const q = await this.client.queue();
      // /interrupt stops whatever runs: only send it when that is ours.
      if (q.queue_running.some((i) => i[1] === promptId)) await this.client.interrupt(promptId);
      else await this.client.deleteFromQueue(promptId);
    } catch {
      // The server is gone: nothing left to stop.
    }
  }
}
