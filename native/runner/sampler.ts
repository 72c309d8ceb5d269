/**
 * The sampling loop (native/training/reference_sampler.py `sample`, one clip): tokenize
 * prompt and the unconditional prompt, encode both in one batch, draw seeded noise, then for
 * each trailing DDIM timestep run the denoiser once with batch 2 (row 0 = prompt, row 1 =
 * unconditional), combine with classifier-free guidance and step. At guidance 1 the guided v is the
 * conditional v, so the unconditional row is not computed (batch 1: half the work per clip). Graph-agnostic: the model
 * is two async functions, so tests can drive it with tiny hand-built graphs.
 */
import { ShotlineError } from '../../app/errors.js';
import { gaussianNoise } from './noise.js';
import { alphaBar, combineGuidance, ddimStep, ddimTimesteps, noiseTo, remixStepCount, type ScheduleSpec } from './scheduler.js';
import type { WordTokenizer } from './tokenizer.js';

export interface SamplerModel {
  /** int64 ids [B, L] → float32 [B, D]. */
  encode(ids: BigInt64Array, batch: number): Promise<Float32Array>;
  /** One denoiser call with batch B = t.length (2: prompt row, unconditional row; 1: prompt only); returns v [B, 3, F, H, W]. */
  denoise(x: Float32Array, t: Float32Array, emb: Float32Array, condFrame: Float32Array, condMask: Float32Array): Promise<Float32Array>;
}

export interface SamplerConfig {
  frames: number;
  height: number;
  width: number;
  textDim: number;
  schedule: ScheduleSpec;
  uncondPrompt: string;
  tokenizer: WordTokenizer;
}

export interface SampleParams {
  prompt: string;
  seed: number;
  steps: number;
  guidance: number;
  /** Image-to-video: the first frame, model space [3, H, W]; cond_mask = 1 in both CFG rows. */
  condFrame?: Float32Array | null;
  /** Remix: the source clip in model space [3, F, H, W] and how far to move from it (0..1). */
  init?: { x0: Float32Array; strength: number } | null;
}

export interface SampleHooks {
  /** Called after each denoising step (1-based `step` of `total`). */
  onStep?(step: number, total: number): void;
  /** Checked before every denoiser call; true stops with a 'canceled' error. */
  shouldStop?(): boolean;
}

export interface SampleResult {
  /** Final sample [3, F, H, W] in [-1, 1]. */
  x: Float32Array;
  stepsRun: number;
  timesteps: number[];
  denoiseSeconds: number;
}

export function canceled(): ShotlineError {
  return new ShotlineError('canceled', 'Generation canceled.');
}

export async function sample(model: SamplerModel, cfg: SamplerConfig, p: SampleParams, hooks: SampleHooks = {}): Promise<SampleResult> {
  const { frames: F, height: H, width: W, textDim: D, schedule } = cfg;
  const N = 3 * F * H * W;
  const HW3 = 3 * H * W;
  const stop = () => {
    if (hooks.shouldStop?.()) throw canceled();
  };
  stop();
  const ids = cfg.tokenizer.encodeBatch([p.prompt, cfg.uncondPrompt]);
  const emb = await model.encode(ids, 2);
  if (emb.length !== 2 * D) throw new ShotlineError('internal', `The text encoder returned ${emb.length} values, expected ${2 * D}.`);

  const all = ddimTimesteps(p.steps, schedule.train_timesteps);
  const noise = gaussianNoise(p.seed, N);
  let x: Float32Array;
  let start = 0;
  if (p.init) {
    if (p.init.x0.length !== N) throw new ShotlineError('internal', `The remix source has ${p.init.x0.length} values, expected ${N}.`);
    const k = remixStepCount(p.steps, p.init.strength);
    start = p.steps - k;
    x = k === 0 ? Float32Array.from(p.init.x0) : noiseTo(p.init.x0, noise, alphaBar(all[start]!, schedule), new Float32Array(N));
  } else {
    x = noise;
  }
  const ts = all.slice(start);

  const cf = new Float32Array(2 * HW3);
  const cm = new Float32Array(2);
  if (p.condFrame) {
    if (p.condFrame.length !== HW3) throw new ShotlineError('internal', `The reference frame has ${p.condFrame.length} values, expected ${HW3}.`);
    cf.set(p.condFrame, 0);
    cf.set(p.condFrame, HW3);
    cm.fill(1);
  }
  // Guidance 1: v = v_u + 1 (v_c - v_u) = v_c, so only the prompt row runs (the Python reference does the same).
  const rows = p.guidance === 1 ? 1 : 2;
  const x2 = new Float32Array(rows * N);
  const t2 = new Float32Array(rows);
  const v = new Float32Array(N);
  const embRows = rows === 2 ? emb : emb.subarray(0, D);
  const cfRows = rows === 2 ? cf : cf.subarray(0, HW3);
  const cmRows = rows === 2 ? cm : cm.subarray(0, 1);
  let denoiseSeconds = 0;
  for (let i = 0; i < ts.length; i++) {
    stop();
    const t = ts[i]!;
    const a = alphaBar(t, schedule);
    const aNext = alphaBar(i + 1 < ts.length ? ts[i + 1]! : -1, schedule);
    x2.set(x, 0);
    if (rows === 2) x2.set(x, N);
    t2.fill(t);
    const t0 = performance.now();
    const out = await model.denoise(x2, t2, embRows, cfRows, cmRows);
    denoiseSeconds += (performance.now() - t0) / 1000;
    if (out.length !== rows * N) throw new ShotlineError('internal', `The denoiser returned ${out.length} values, expected ${rows * N}.`);
    if (rows === 2) combineGuidance(out, N, p.guidance, v);
    else v.set(out);
    ddimStep(x, v, a, aNext, schedule);
    hooks.onStep?.(i + 1, ts.length);
  }
  return { x, stepsRun: ts.length, timesteps: ts, denoiseSeconds };
}
