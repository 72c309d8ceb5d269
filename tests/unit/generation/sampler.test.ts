/**
 * The runner's maths: tokenizer, noise and schedule against the pack's golden.json (from the
 * Python reference), and the whole sampling loop (tokenize → encode → CFG batch of 2 → DDIM
 * v-prediction with clipping; image conditioning; remix) through real onnxruntime sessions on
 * a tiny hand-built graph, against an independent float64 reimplementation.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Ort from 'onnxruntime-node';
import { ShotlineError } from '../../../app/errors.js';
import { loadModelPack, type ModelPack } from '../../../native/pack/load.js';
import { gaussianNoise, mulberry32 } from '../../../native/runner/noise.js';
import { createSessions, loadOrt, providerCandidates, type LoadedSessions } from '../../../native/runner/providers.js';
import { sample, type SamplerConfig, type SamplerModel } from '../../../native/runner/sampler.js';
import { alphaBar, ddimTimesteps, remixStepCount } from '../../../native/runner/scheduler.js';
import { normalizeWords, WordTokenizer } from '../../../native/runner/tokenizer.js';
import { NO_PACK, PACK_DIR, readGolden } from '../../integration/generation/find-pack.js';
import { TINY, TINY_W, writeTinyPack } from './tiny-pack.js';

describe('tokenizer, noise and schedule', () => {
  it('normalizes like dataset.py: ASCII lower-case, runs of non [a-z0-9] → one space', () => {
    expect(normalizeWords("A Red-CIRCLE, moves  LEFT!!\tÉtoile 3D")).toEqual(['a', 'red', 'circle', 'moves', 'left', 'toile', '3d']);
    expect(normalizeWords('')).toEqual([]);
    const tok = new WordTokenizer({ tokens: ['<pad>', '<unk>', '<bos>', 'a', 'red'] }, { max_length: 4, pad_id: 0, unk_id: 1, bos_id: 2, eos_id: null });
    expect(tok.encode('A red zebra')).toEqual([2, 3, 4, 1]);
    expect(tok.encode('a red a red a')).toEqual([2, 3, 4, 3]);
    expect(tok.encode('')).toEqual([2, 0, 0, 0]);
    expect(tok.unknownWords('a red zebra, Zebra')).toEqual(['zebra']);
  });

  it('mulberry32 matches its published reference outputs', () => {
    const next = mulberry32(0);
    // First outputs of the canonical mulberry32 with seed 0 (identical to the numpy port in reference_sampler.py).
    const first = [next(), next(), next()];
    const again = mulberry32(0);
    expect([again(), again(), again()]).toEqual(first);
    expect(first.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)).toBe(true);
    expect(gaussianNoise(7, 5).length).toBe(5);
    expect(Array.from(gaussianNoise(7, 4))).toEqual(Array.from(gaussianNoise(7, 6).slice(0, 4)));
  });

  it('remix strength → steps run: round(strength · S), at least 1 when above 0', () => {
    expect([0, 0.01, 0.25, 0.5, 0.6, 1].map((s) => remixStepCount(20, s))).toEqual([0, 1, 5, 10, 12, 20]);
    expect(ddimTimesteps(20, 1000)).toEqual([999, 949, 899, 849, 799, 749, 699, 649, 599, 549, 499, 449, 399, 349, 299, 249, 199, 149, 99, 49]);
    expect(ddimTimesteps(3, 1000)).toEqual([999, 665, 332]);
    expect(alphaBar(-1, { train_timesteps: 1000, cosine_s: 0.008 })).toBe(1);
  });

  it('provider order is cuda, dml, coreml, webgpu, cpu; SHOTLINE_EP forces one', () => {
    const c = providerCandidates(null);
    expect(c.at(-1)).toBe('cpu');
    const order = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'];
    expect(c.map((p) => order.indexOf(p))).toEqual([...c.map((p) => order.indexOf(p))].sort((a, b) => a - b));
    expect(providerCandidates('cpu')).toEqual(['cpu']);
    expect(() => providerCandidates('tpu')).toThrow(/Unknown execution provider "tpu"/);
  });

  describe.skipIf(!PACK_DIR)('against golden.json of the shipped pack', () => {
    it('token ids, noise, timesteps and ᾱ match the Python reference exactly', async () => {
      if (!PACK_DIR) return console.warn(NO_PACK);
      const pack = await loadModelPack(PACK_DIR, { verifyChecksums: false });
      const tok = new WordTokenizer(pack.vocab, pack.manifest.tokenizer);
      const m = pack.manifest;
      const n = 3 * m.frames * m.height * m.width;
      const golden = readGolden(PACK_DIR);
      for (const g of [golden.text_to_video, golden.image_to_video]) {
        expect(tok.encode(g.prompt)).toEqual(g.token_ids);
        expect(tok.encode(m.guidance.uncond_prompt)).toEqual(g.empty_token_ids);
        const noise = gaussianNoise(g.seed, n);
        expect(g.noise.count).toBe(n);
        expect(Array.from(noise.slice(0, 8))).toEqual(g.noise.first8);
        let s = 0;
        for (const v of noise) s += v;
        const mean = s / n;
        let ss = 0;
        for (const v of noise) ss += (v - mean) ** 2;
        expect(Math.abs(mean - g.noise.mean)).toBeLessThan(1e-9);
        expect(Math.abs(Math.sqrt(ss / n) - g.noise.std)).toBeLessThan(1e-9);
        expect(ddimTimesteps(g.steps, m.scheduler.train_timesteps)).toEqual(g.timesteps);
        g.timesteps.forEach((t, i) => expect(Math.abs(alphaBar(t, m.scheduler) - g.abar[i]!)).toBeLessThan(1e-15));
      }
    });
  });
});

// ---------------------------------------------------------------- tiny graph, float64 reference

function refSample(opts: { ids: number[][]; seed: number; steps: number; g: number; cond?: Float64Array | null; init?: { x0: Float64Array; strength: number } }): Float64Array {
  const { F, H, W, L, D, K1, K2, K3 } = TINY;
  const N = 3 * F * H * W;
  const spec = { train_timesteps: 1000, cosine_s: 0.008 };
  const mean = (ids: number[]) => {
    let s = 0;
    for (let d = 0; d < D; d++) for (let l = 0; l < L; l++) s += ids[l]! * TINY_W[l * D + d]!;
    return s / D;
  };
  const mc = mean(opts.ids[0]!);
  const mu = mean(opts.ids[1]!);
  const all = ddimTimesteps(opts.steps, 1000);
  const noise = Float64Array.from(gaussianNoise(opts.seed, N));
  let start = 0;
  let x = noise;
  if (opts.init) {
    const k = remixStepCount(opts.steps, opts.init.strength);
    start = opts.steps - k;
    const a = k === 0 ? 1 : alphaBar(all[start]!, spec);
    x = opts.init.x0.map((v, i) => (k === 0 ? v : Math.sqrt(a) * v + Math.sqrt(1 - a) * noise[i]!));
  }
  const ts = all.slice(start);
  ts.forEach((t, i) => {
    const a = alphaBar(t, spec);
    const an = alphaBar(i + 1 < ts.length ? ts[i + 1]! : -1, spec);
    const nx = new Float64Array(N);
    for (let k = 0; k < N; k++) {
      const c = Math.floor(k / (F * H * W));
      const p = k % (H * W);
      const condTerm = opts.cond ? K3 * opts.cond[c * H * W + p]! : 0;
      const base = K1 * x[k]! + K2 * t + condTerm;
      const v = base + mu + opts.g * (base + mc - (base + mu));
      const x0 = Math.min(1, Math.max(-1, Math.sqrt(a) * x[k]! - Math.sqrt(1 - a) * v));
      const eps = Math.sqrt(1 - a) * x[k]! + Math.sqrt(a) * v;
      nx[k] = Math.sqrt(an) * x0 + Math.sqrt(1 - an) * eps;
    }
    x = nx;
  });
  return x;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('sampling loop on a tiny hand-built graph (real onnxruntime sessions)', () => {
  let tmp: string;
  let pack: ModelPack;
  let sessions: LoadedSessions;
  let cfg: SamplerConfig;
  let calls = 0;
  const batches: number[] = [];
  let model: SamplerModel;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-tiny-'));
    pack = await loadModelPack(writeTinyPack(path.join(tmp, 'tiny')));
    sessions = await createSessions(pack, { provider: 'cpu', threads: 1 });
    const ort = loadOrt();
    const { F, H, W, L, D } = TINY;
    cfg = { frames: F, height: H, width: W, textDim: D, schedule: pack.manifest.scheduler, uncondPrompt: '', tokenizer: new WordTokenizer(pack.vocab, pack.manifest.tokenizer) };
    model = {
      encode: async (ids, b) => ((await sessions.textEncoder.run({ input_ids: new ort.Tensor('int64', ids, [b, L]) })).text_emb as Ort.Tensor).data as Float32Array,
      denoise: async (x, t, emb, cf, cm) => {
        calls++;
        const b = t.length;
        batches.push(b);
        // CFG batching: both rows see the same x, t and conditioning; only the text differs.
        if (b === 2) {
          expect(Array.from(x.subarray(0, x.length / 2))).toEqual(Array.from(x.subarray(x.length / 2)));
          expect(t[0]).toBe(t[1]);
        }
        const out = await sessions.denoiser.run({
          x_t: new ort.Tensor('float32', x, [b, 3, F, H, W]),
          t: new ort.Tensor('float32', t, [b]),
          text_emb: new ort.Tensor('float32', emb, [b, D]),
          cond_frame: new ort.Tensor('float32', cf, [b, 3, H, W]),
          cond_mask: new ort.Tensor('float32', cm, [b, 1]),
        });
        return (out.v as Ort.Tensor).data as Float32Array;
      },
    };
  });
  afterAll(async () => {
    await sessions?.textEncoder.release();
    await sessions?.denoiser.release();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const ids = [
    [2, 3, 4, 5, 6, 7],
    [2, 0, 0, 0, 0, 0],
  ];

  it('text-to-video: DDIM + CFG (batch 2: prompt row, empty row) matches float64 maths', async () => {
    calls = 0;
    batches.length = 0;
    const steps: number[] = [];
    const r = await sample(model, cfg, { prompt: 'A red circle moves LEFT', seed: 11, steps: 6, guidance: 3 }, { onStep: (s, n) => steps.push(s * 100 + n) });
    expect(calls).toBe(6);
    expect(steps).toEqual([106, 206, 306, 406, 506, 606]);
    expect(r.timesteps).toEqual([999, 832, 665, 499, 332, 165]);
    const ref = refSample({ ids, seed: 11, steps: 6, g: 3 });
    expect(maxDiff(r.x, ref)).toBeLessThan(2e-5);
    expect(batches.every((b) => b === 2)).toBe(true);
    // Guidance matters (the two rows really carry different text).
    batches.length = 0;
    const g1 = await sample(model, cfg, { prompt: 'a red circle moves left', seed: 11, steps: 6, guidance: 1 });
    expect(maxDiff(g1.x, r.x)).toBeGreaterThan(1e-3);
    expect(maxDiff(g1.x, refSample({ ids, seed: 11, steps: 6, g: 1 }))).toBeLessThan(2e-5);
    // At guidance 1 the unconditional row is not computed: one prompt-only call per step.
    expect(batches).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('image-to-video: the first frame conditions both rows (cond_mask = 1)', async () => {
    const { H, W } = TINY;
    const cond = new Float32Array(3 * H * W).map((_, i) => ((i % 7) - 3) / 3);
    const r = await sample(model, cfg, { prompt: 'a red circle moves left', seed: 5, steps: 4, guidance: 2, condFrame: cond });
    expect(maxDiff(r.x, refSample({ ids, seed: 5, steps: 4, g: 2, cond: Float64Array.from(cond) }))).toBeLessThan(2e-5);
    const plain = await sample(model, cfg, { prompt: 'a red circle moves left', seed: 5, steps: 4, guidance: 2 });
    expect(maxDiff(plain.x, r.x)).toBeGreaterThan(1e-3);
  });

  it('remix: source noised to t_{S-k} then k steps; strength 0 keeps the source, 1 equals text-to-video', async () => {
    const N = 3 * TINY.F * TINY.H * TINY.W;
    const x0 = new Float32Array(N).map((_, i) => Math.sin(i) * 0.8);
    calls = 0;
    const half = await sample(model, cfg, { prompt: 'a red circle moves left', seed: 9, steps: 10, guidance: 3, init: { x0, strength: 0.3 } });
    expect(calls).toBe(3);
    expect(half.timesteps).toEqual([299, 199, 99]);
    expect(maxDiff(half.x, refSample({ ids, seed: 9, steps: 10, g: 3, init: { x0: Float64Array.from(x0), strength: 0.3 } }))).toBeLessThan(2e-5);
    const none = await sample(model, cfg, { prompt: 'x', seed: 9, steps: 10, guidance: 3, init: { x0, strength: 0 } });
    expect(Array.from(none.x)).toEqual(Array.from(x0));
    const full = await sample(model, cfg, { prompt: 'a red circle moves left', seed: 9, steps: 10, guidance: 3, init: { x0, strength: 1 } });
    const t2v = await sample(model, cfg, { prompt: 'a red circle moves left', seed: 9, steps: 10, guidance: 3 });
    expect(Array.from(full.x)).toEqual(Array.from(t2v.x));
  });

  it('is deterministic, and stops between steps when asked', async () => {
    const a = await sample(model, cfg, { prompt: 'a red circle', seed: 3, steps: 5, guidance: 4 });
    const b = await sample(model, cfg, { prompt: 'a red circle', seed: 3, steps: 5, guidance: 4 });
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    calls = 0;
    let done = 0;
    await expect(sample(model, cfg, { prompt: 'a', seed: 3, steps: 5, guidance: 4 }, { onStep: (s) => (done = s), shouldStop: () => done >= 2 })).rejects.toMatchObject({
      code: 'canceled',
    });
    expect(calls).toBe(2);
    await expect(sample(model, cfg, { prompt: 'a', seed: 3, steps: 5, guidance: 4 }, { shouldStop: () => true })).rejects.toBeInstanceOf(ShotlineError);
  });
});
