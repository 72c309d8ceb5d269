/**
 * The local backend: a model pack run by onnxruntime-node in a worker thread (native/runner),
 * frames encoded to H.264 by the media engine. One instance per pack.
 */
import { ShotlineError } from '../../app/errors.js';
import { assertValidRequest, MAX_PROMPT_CHARS, type GenerationRequest } from '../../app/generation/request.js';
import type {
  BackendInfo,
  BackendModelInfo,
  GenerateOptions,
  GenerationCapabilities,
  GenerationOutput,
  GenerationProvenance,
  GenerationTask,
  ResolvedInputs,
} from '../../app/generation/types.js';
import type { GenerationBackend } from '../../app/generation/backend.js';
import type { ModelPack } from '../../native/pack/load.js';
import type { OnnxRunner } from '../../native/runner/client.js';
import type { FfmpegEngine } from '../media/engine.js';
import { decodeClipFrames, decodeLastFrame, decodeReferenceImage, encodeFramesToMp4 } from './media-io.js';

export const LOCAL_ONNX_ID = 'local-onnx';
export const MAX_STEPS = 200;

/** Share of the progress bar spent denoising; the rest is preparing inputs and encoding. */
const DENOISE_FROM = 0.05;
const DENOISE_TO = 0.9;

export function localCapabilities(pack: ModelPack): GenerationCapabilities {
  const m = pack.manifest;
  const tasks: GenerationTask[] = [...m.tasks, 'video-to-video'];
  return {
    tasks,
    sizes: [{ width: m.output.width, height: m.output.height }],
    durations: [m.frames / m.fps],
    fps: [m.fps],
    audio: false,
    maxTakes: 4,
    steps: { min: 1, max: MAX_STEPS, default: m.scheduler.default_steps },
    guidance: { min: m.guidance.range[0], max: m.guidance.range[1], default: m.guidance.default },
    deterministic: true,
    maxPromptChars: MAX_PROMPT_CHARS,
  };
}

export class LocalOnnxBackend implements GenerationBackend {
  readonly id = LOCAL_ONNX_ID;
  readonly label: string;
  readonly model: BackendModelInfo;
  readonly capabilities: GenerationCapabilities;
  private provider: string | null = null;

  constructor(
    readonly pack: ModelPack,
    private readonly runner: OnnxRunner,
    private readonly engine: FfmpegEngine,
  ) {
    const m = pack.manifest;
    this.label = `Local: ${m.display_name}`;
    this.model = { name: m.name, version: m.version, displayName: m.display_name, description: m.description, license: m.license };
    this.capabilities = localCapabilities(pack);
  }

  /** The execution provider the sessions run on (loads them, cached in the worker). */
  async executionProvider(): Promise<string> {
    if (!this.provider) this.provider = (await this.runner.load(this.pack.dir)).provider;
    return this.provider;
  }

  /** After a provider change: the next info() loads sessions again and reports anew. */
  forgetProvider(): void {
    this.provider = null;
  }

  async info(): Promise<BackendInfo> {
    const base = { id: this.id, label: this.label, model: this.model, capabilities: this.capabilities, location: this.pack.dir };
    try {
      return { ...base, status: 'ready', executionProvider: await this.executionProvider() };
    } catch (e) {
      const err = e instanceof ShotlineError ? e.toJSON() : { code: 'internal' as const, message: (e as Error).message };
      return { ...base, status: 'error', error: err, executionProvider: null };
    }
  }

  async generate(request: GenerationRequest, inputs: ResolvedInputs, opts: GenerateOptions): Promise<GenerationOutput> {
    const req = assertValidRequest(this.capabilities, request);
    const m = this.pack.manifest;
    const t0 = performance.now();
    const report = opts.onProgress ?? (() => {});
    report({ fraction: 0.01, etaSeconds: null, message: 'Preparing' });

    const modelSize = { width: m.width, height: m.height };
    let condFrame: Uint8Array | null = null;
    const provInputs: GenerationProvenance['inputs'] = [];
    if (req.referenceImage || req.task === 'image-to-video') {
      const ref = inputs.referenceImage;
      if (!ref) throw new ShotlineError('invalid_input', 'Image-to-video needs a reference image.');
      condFrame = ref.lastFrameOfVideo
        ? await decodeLastFrame(this.engine, ref.path, modelSize, opts.signal, ref.name)
        : await decodeReferenceImage(this.engine, ref.path, modelSize, opts.signal, ref.name);
      provInputs.push({ role: 'reference', sha256: ref.sha256, name: ref.name });
    }
    let init: { frames: Uint8Array; strength: number } | null = null;
    if (req.task === 'video-to-video') {
      const src = inputs.remixSource;
      if (!src || !req.remix) throw new ShotlineError('invalid_input', 'A remix needs a source clip.');
      init = { frames: await decodeClipFrames(this.engine, src.path, { frames: m.frames, ...modelSize }, src.durationSeconds ?? req.durationSeconds, opts.signal, src.name), strength: req.remix.strength };
      provInputs.push({ role: 'remix-source', sha256: src.sha256, name: src.name });
    }

    // ETA from the measured pace of steps (the first step includes loading the sessions once).
    let firstStepAt: number | null = null;
    let firstStep = 0;
    const res = await this.runner.generate(
      this.pack.dir,
      { prompt: req.prompt, seed: req.seed, steps: req.steps, guidance: req.guidance, condFrame, init },
      {
        signal: opts.signal,
        onStep: (step, total) => {
          const now = performance.now();
          if (firstStepAt === null) {
            firstStepAt = now;
            firstStep = step;
          }
          const perStep = step > firstStep ? (now - firstStepAt) / 1000 / (step - firstStep) : (now - t0) / 1000 / step;
          report({
            fraction: DENOISE_FROM + ((DENOISE_TO - DENOISE_FROM) * step) / total,
            step,
            totalSteps: total,
            etaSeconds: perStep * (total - step) + 0.5,
            message: `Step ${step}/${total}`,
          });
        },
      },
    );
    this.provider = res.stats.provider;
    if (opts.signal?.aborted) throw new ShotlineError('canceled', 'Generation canceled.');
    report({ fraction: DENOISE_TO, etaSeconds: 0.5, message: 'Encoding' });
    await encodeFramesToMp4(this.engine, res.frames, { width: m.width, height: m.height, fps: m.fps }, m.output, opts.outPath, opts.signal);
    report({ fraction: 1, etaSeconds: 0, message: 'Done' });
    return {
      file: opts.outPath,
      provenance: {
        backend: this.id,
        model: { name: m.name, version: m.version },
        executionProvider: res.stats.provider,
        task: req.task,
        prompt: req.prompt,
        seed: req.seed,
        steps: req.steps,
        guidance: req.guidance,
        durationSeconds: req.durationSeconds,
        size: req.size,
        fps: m.fps,
        ...(req.remix ? { strength: req.remix.strength } : {}),
        inputs: provInputs,
        secondsTaken: Number(((performance.now() - t0) / 1000).toFixed(3)),
      },
    };
  }
}
