/**
 * The local runner on the shipped model pack, in its worker thread: reproduces golden.json
 * (the PyTorch reference sampler) within what fp16 weights and float32 allow, is
 * deterministic, reports every step, caches sessions, and cancels within one step.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMainThread, threadId } from 'node:worker_threads';
import { OnnxRunner } from '../../../native/runner/client.js';
import { NO_PACK, PACK_DIR, readGolden, type Golden } from './find-pack.js';

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};
const mean = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
};
const std = (a: ArrayLike<number>) => {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - m) ** 2;
  return Math.sqrt(s / a.length);
};

/** 4×4 box-downsampled frame f of uint8 [F, H, W, 3] (as reference_sampler.golden does). */
function down4(u8: Uint8Array, f: number, H: number, W: number): number[][][] {
  const rows: number[][][] = [];
  for (let y = 0; y < H / 4; y++) {
    const row: number[][] = [];
    for (let x = 0; x < W / 4; x++) {
      const px = [0, 0, 0];
      for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 4; dx++) for (let c = 0; c < 3; c++) px[c]! += u8[((f * H + y * 4 + dy) * W + x * 4 + dx) * 3 + c]! / 16;
      row.push(px);
    }
    rows.push(row);
  }
  return rows;
}

describe.skipIf(!PACK_DIR)('local runner on the shipped pack (worker thread, onnxruntime-node)', () => {
  let runner: OnnxRunner;
  const dir = PACK_DIR!;
  beforeAll(() => {
    runner = new OnnxRunner({ threads: 1 });
  });
  afterAll(async () => {
    await runner?.dispose();
  });

  it('loads once, reports the execution provider, reuses the sessions', async () => {
    const first = await runner.load(dir);
    expect(first.provider).toBe('cpu'); // no GPU provider on the test machines
    expect(first.threads).toBe(1);
    const again = await runner.load(dir);
    expect(again.fresh).toBe(false);
    expect(runner.workerThreadId).not.toBeNull();
    expect(runner.workerThreadId).not.toBe(threadId);
    expect(isMainThread).toBe(true);
  });

  for (const key of ['text_to_video', 'image_to_video'] as const) {
    it(`reproduces golden.json ${key} (tolerance for fp16 weights / float32)`, async () => {
      const g: Golden = readGolden(dir)[key];
      const steps: number[] = [];
      const cond = g.cond_frame ? Uint8Array.from(g.cond_frame.uint8_hwc) : null;
      const r = await runner.generate(dir, { prompt: g.prompt, seed: g.seed, steps: g.steps, guidance: g.guidance, condFrame: cond, returnLatent: true }, { onStep: (s) => steps.push(s) });
      expect(steps).toEqual(Array.from({ length: g.steps }, (_, i) => i + 1));
      const x = r.latent!;
      const m = { first8: maxAbs(x.slice(0, 8), g.output.x_first8), mean: Math.abs(mean(x) - g.output.x_mean), std: Math.abs(std(x) - g.output.x_std) };
      const { frames: F, height: H, width: W } = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { frames: number; height: number; width: number };
      const d0 = maxAbs(down4(r.frames, 0, H, W).flat(2), g.output.frame0_4x4_downsampled.flat(2));
      const dl = maxAbs(down4(r.frames, F - 1, H, W).flat(2), g.output.frame_last_4x4_downsampled.flat(2));
      console.log(`golden ${key}: x_first8 ${m.first8.toExponential(2)}, mean ${m.mean.toExponential(2)}, std ${m.std.toExponential(2)}, frame0 ${d0.toFixed(3)}, last ${dl.toFixed(3)} (uint8, 4x4 mean); ${r.stats.seconds.toFixed(2)} s on ${r.stats.provider}`);
      expect(m.first8).toBeLessThanOrEqual(2e-3);
      expect(m.mean).toBeLessThanOrEqual(1e-3);
      expect(m.std).toBeLessThanOrEqual(1e-3);
      g.output.channel_mean.forEach((cm, c) => expect(Math.abs(mean(x.subarray((c * x.length) / 3, ((c + 1) * x.length) / 3)) - cm)).toBeLessThanOrEqual(1e-3));
      expect(Math.abs(mean(r.frames) - g.output.frames_uint8_mean)).toBeLessThanOrEqual(0.5);
      // The golden frames are rounded to 2 decimals; a flipped uint8 here and there moves a 4×4 mean by 1/16.
      expect(d0).toBeLessThanOrEqual(1);
      expect(dl).toBeLessThanOrEqual(1);
    });
  }

  it('is deterministic: same seed → identical frames; another seed → other frames', async () => {
    const p = { prompt: 'a green square moves to the right on a gray background', seed: 1234, steps: 8, guidance: 4 };
    const a = await runner.generate(dir, p);
    const b = await runner.generate(dir, p);
    expect(Buffer.from(a.frames).equals(Buffer.from(b.frames))).toBe(true);
    const c = await runner.generate(dir, { ...p, seed: 1235 });
    expect(Buffer.from(a.frames).equals(Buffer.from(c.frames))).toBe(false);
  });

  it('cancels within one step, and the runner keeps working afterwards', async () => {
    const ac = new AbortController();
    let abortedAt = 0;
    let last = 0;
    const t0 = performance.now();
    let abortTime = 0;
    const run = runner.generate(dir, { prompt: 'a red circle', seed: 5, steps: 50, guidance: 4 }, {
      signal: ac.signal,
      onStep: (s) => {
        last = s;
        if (s === 3) {
          abortedAt = s;
          abortTime = performance.now();
          ac.abort();
        }
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'canceled' });
    const stopMs = performance.now() - abortTime;
    console.log(`cancel: asked after step ${abortedAt}, last step reported ${last}, stopped ${stopMs.toFixed(0)} ms later (${(performance.now() - t0).toFixed(0)} ms in all)`);
    expect(last - abortedAt).toBeLessThanOrEqual(1);
    const after = await runner.generate(dir, { prompt: 'a red circle', seed: 5, steps: 2, guidance: 4 });
    expect(after.stats.stepsRun).toBe(2);
    // An already-aborted signal never starts.
    await expect(runner.generate(dir, { prompt: 'x', seed: 1, steps: 2, guidance: 4 }, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'canceled' });
  });
});

describe.skipIf(!!PACK_DIR)('local runner (no pack)', () => {
  it('is skipped', () => console.warn(NO_PACK));
});
