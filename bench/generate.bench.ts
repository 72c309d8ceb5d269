/**
 * Local generation benchmark: `npx tsx bench/generate.bench.ts` (part of `npm run bench`).
 *
 * (i)  Seconds per default clip with the shipped pack on the CPU provider, end to end through
 *      the local backend: worker round trips, tokenizer, noise, 20 CFG denoiser calls (batch 2),
 *      DDIM updates, frames back, H.264 encode of the 256×256 MP4. Median of 3 (after a warm-up).
 *      Target ≤ 5 s on 2 cores.
 * (ii) Baseline in the same run: the bare denoiser called `steps` times with batch-2 inputs in
 *      this thread, same thread count, nothing else. Runner ÷ baseline = the runner's overhead.
 * (iii) Peak resident memory of the process (the worker thread included).
 *
 * Threads: SHOTLINE_ORT_THREADS, else min(4, cores), the app's default. Exits 0 (and says so)
 * when no pack is installed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { LocalOnnxBackend } from '../main/backends/local-onnx.js';
import { shippedModelsDir } from '../main/backends/registry.js';
import { selectEngine } from '../main/media/select-engine.js';
import { discoverModelPacks } from '../native/pack/discover.js';
import { OnnxRunner, defaultThreadCount } from '../native/runner/client.js';
import { loadOrt } from '../native/runner/providers.js';
import { printTable, type Row } from './report.js';

const RUNS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const roots = [shippedModelsDir(), ...(process.env.SHOTLINE_MODELS_DIR ? [process.env.SHOTLINE_MODELS_DIR] : [])];
  const pack = (await discoverModelPacks(roots)).find((f) => f.pack)?.pack;
  if (!pack) {
    console.log(`generate bench skipped: no model pack in ${roots.join(', ')}`);
    return;
  }
  const m = pack.manifest;
  const threads = defaultThreadCount();
  const steps = m.scheduler.default_steps;
  const guidance = m.guidance.default;
  const engine = await selectEngine({});
  const runner = new OnnxRunner({ provider: 'cpu', threads });
  const backend = new LocalOnnxBackend(pack, runner, engine);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-genbench-'));
  const size = { width: m.output.width, height: m.output.height };
  const request = (seed: number) => ({ task: 'text-to-video' as const, prompt: 'a green square moves to the right on a gray background', seed, durationSeconds: m.frames / m.fps, size });

  // Warm-up: sessions created and cached in the worker, ffmpeg binary in the page cache.
  await backend.generate({ ...request(1), steps: 2 }, {}, { outPath: path.join(tmp, 'warm.mp4') });

  // Bare denoiser: same graph, same threads, in this thread, no runner around it.
  const ort = loadOrt();
  const so = {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all' as const,
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
  const dn = await ort.InferenceSession.create(pack.files.denoiser, so);
  const [C, F, H, W] = m.latent.shape as [number, number, number, number];
  const D = m.graphs.text_encoder.outputs[0]!.shape[1] as number;
  const feeds = {
    x_t: new ort.Tensor('float32', new Float32Array(2 * C * F * H * W).map((_, i) => Math.sin(i)), [2, C, F, H, W]),
    t: new ort.Tensor('float32', Float32Array.of(500, 500), [2]),
    text_emb: new ort.Tensor('float32', new Float32Array(2 * D).fill(0.1), [2, D]),
    cond_frame: new ort.Tensor('float32', new Float32Array(2 * C * H * W), [2, C, H, W]),
    cond_mask: new ort.Tensor('float32', new Float32Array(2), [2, 1]),
  };
  await dn.run(feeds);

  const e2e: number[] = [];
  const runnerSecs: number[] = [];
  const bare: number[] = [];
  // Alternate so that load on the shared machine hits both sides alike.
  for (let r = 0; r < RUNS; r++) {
    let t0 = performance.now();
    for (let i = 0; i < steps; i++) (await dn.run(feeds)).v as Ort.Tensor;
    bare.push((performance.now() - t0) / 1000);
    t0 = performance.now();
    const out = await backend.generate({ ...request(100 + r), steps, guidance }, {}, { outPath: path.join(tmp, `clip${r}.mp4`) });
    e2e.push((performance.now() - t0) / 1000);
    runnerSecs.push(out.provenance.secondsTaken);
  }
  // The runner alone (no encode): time one more clip through the runner directly.
  const rr: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    await runner.generate(pack.dir, { prompt: 'a red circle moves to the left', seed: 200 + r, steps, guidance });
    rr.push((performance.now() - t0) / 1000);
  }
  await dn.release();
  await runner.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });

  const peakMb = process.resourceUsage().maxRSS / 1024;
  const bareMed = median(bare);
  const rows: Row[] = [
    {
      name: `generate one default clip end to end (${m.name}, ${steps} steps, CFG batch 2, ${m.output.width}x${m.output.height} MP4, cpu, ${threads} threads), median of ${RUNS}`,
      value: median(e2e),
      unit: 's',
      baseline: bareMed,
      baselineName: `bare denoiser x${steps}`,
      target: '≤ 5 s on 2 cores',
    },
    { name: 'runner only (worker, tokenizer, noise, DDIM, frames back; no encode)', value: median(rr), unit: 's', baseline: bareMed, baselineName: `bare denoiser x${steps}` },
    { name: 'runner steps per second', value: steps / median(rr), unit: 'steps/s', baseline: steps / bareMed, baselineName: 'bare denoiser calls/s' },
    { name: 'peak resident memory (process incl. worker)', value: peakMb, unit: 'MB' },
  ];
  printTable(rows);
  console.log(`samples: end-to-end ${e2e.map((x) => x.toFixed(2)).join(', ')} s; runner ${rr.map((x) => x.toFixed(2)).join(', ')} s; bare ${bare.map((x) => x.toFixed(2)).join(', ')} s; load avg ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
