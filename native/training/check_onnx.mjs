// Checks a Shotline model pack in onnxruntime-node (CPU):
//   1. both graphs load and run, with batch 1 and 2;
//   2. single calls match torch (max abs diff) on the tensors export_onnx.py dumped (--parity DIR);
//   3. a JavaScript port of reference_sampler.py (tokenizer, mulberry32 + Box-Muller noise, trailing DDIM
//      timesteps, v-prediction CFG update) reproduces golden.json and torch's full sample;
//   4. times one full default clip (steps from the manifest, CFG batch 2) with 1 and 2 intra-op threads.
//
//   node native/training/check_onnx.mjs resources/models/shotline-shapes-tiny [--parity native/training/runs/small/parity]
//        [--threads 1,2] [--repeat 3] [--json out.json]
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');

const args = process.argv.slice(2);
const packDir = args[0];
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const parityDir = opt('parity', null);
const threadList = opt('threads', '1,2').split(',').map(Number);
const repeat = Number(opt('repeat', '3'));
const jsonOut = opt('json', null);

const manifest = JSON.parse(fs.readFileSync(path.join(packDir, 'manifest.json'), 'utf8'));
const vocab = JSON.parse(fs.readFileSync(path.join(packDir, manifest.tokenizer.vocab_file), 'utf8'));
const golden = JSON.parse(fs.readFileSync(path.join(packDir, manifest.golden), 'utf8'));
const F = manifest.frames, H = manifest.height, W = manifest.width;
const N = 3 * F * H * W;
const report = { pack: manifest.name, checks: {} };

// ---------------- tokenizer
const index = new Map(vocab.tokens.map((t, i) => [t, i]));
function tokenize(text) {
  const tk = manifest.tokenizer;
  const lower = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const words = lower.replace(/[^a-z0-9]+/g, ' ').split(' ').filter(Boolean);
  const ids = [tk.bos_id, ...words.map((w) => (index.has(w) ? index.get(w) : tk.unk_id))].slice(0, tk.max_length);
  while (ids.length < tk.max_length) ids.push(tk.pad_id);
  return ids;
}

// ---------------- noise
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t = ((t + Math.imul(t ^ (t >>> 7), t | 61)) >>> 0) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}
function gaussianNoise(seed, n) {
  const next = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = (next() + 0.5) / 4294967296;
    const u2 = (next() + 0.5) / 4294967296;
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

// ---------------- schedule
const T = manifest.scheduler.train_timesteps;
const S0 = manifest.scheduler.cosine_s;
function abar(t) {
  if (t < 0) return 1;
  const g = (u) => Math.cos(((u + S0) / (1 + S0)) * Math.PI / 2) ** 2;
  return Math.min(1, Math.max(0, g((t + 1) / T) / g(0)));
}
const timesteps = (steps) => Array.from({ length: steps }, (_, i) => Math.floor(((steps - i) * T) / steps) - 1);

// ---------------- sessions
async function sessions(threads) {
  const so = { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1,
    graphOptimizationLevel: 'all' };
  const te = await ort.InferenceSession.create(path.join(packDir, manifest.graphs.text_encoder.file), so);
  const dn = await ort.InferenceSession.create(path.join(packDir, manifest.graphs.denoiser.file), so);
  return { te, dn };
}
const i64 = (ids, rows) => new ort.Tensor('int64', BigInt64Array.from(ids.flat().map(BigInt)), [rows, ids[0].length]);
async function encode(s, prompts) {
  const out = await s.te.run({ input_ids: i64(prompts.map(tokenize), prompts.length) });
  return out.text_emb;
}

async function sample(s, { prompt, seed, steps, guidance, condFrame = null }) {
  const D = manifest.graphs.text_encoder.outputs[0].shape[1];
  const emb = await encode(s, [prompt, '']);
  let x = gaussianNoise(seed, N);
  const cf = new Float32Array(2 * 3 * H * W);
  const cm = new Float32Array(2);
  if (condFrame) { cf.set(condFrame, 0); cf.set(condFrame, 3 * H * W); cm.fill(1); }
  const ts = timesteps(steps);
  const b = guidance === 1 ? 1 : 2; // guidance 1: the prompt row alone (as the runner and reference_sampler.py)
  const x2 = new Float32Array(b * N);
  for (let i = 0; i < ts.length; i++) {
    const a = abar(ts[i]);
    const an = abar(i + 1 < ts.length ? ts[i + 1] : -1);
    x2.set(x, 0); if (b === 2) x2.set(x, N);
    const out = await s.dn.run({
      x_t: new ort.Tensor('float32', x2, [b, 3, F, H, W]),
      t: new ort.Tensor('float32', new Float32Array(b).fill(ts[i]), [b]),
      text_emb: new ort.Tensor('float32', emb.data.subarray(0, b * D), [b, D]),
      cond_frame: new ort.Tensor('float32', cf.subarray(0, b * 3 * H * W), [b, 3, H, W]),
      cond_mask: new ort.Tensor('float32', cm.subarray(0, b), [b, 1]),
    });
    let v = out.v.data;
    if (b === 1) { v = new Float32Array(2 * N); v.set(out.v.data, 0); v.set(out.v.data, N); } // v_u = v_c: the update below gives v_c
    const g = b === 2 ? Math.fround(guidance) : 1;
    const sa = Math.fround(Math.sqrt(a)), s1a = Math.fround(Math.sqrt(1 - a));
    const san = Math.fround(Math.sqrt(an)), s1an = Math.fround(Math.sqrt(1 - an));
    const nx = new Float32Array(N);
    for (let k = 0; k < N; k++) {
      const vu = v[N + k];
      const vv = Math.fround(vu + Math.fround(g * Math.fround(v[k] - vu)));
      let x0 = Math.fround(Math.fround(sa * x[k]) - Math.fround(s1a * vv));
      x0 = Math.min(1, Math.max(-1, x0));
      const eps = Math.fround(Math.fround(s1a * x[k]) + Math.fround(sa * vv));
      nx[k] = Math.fround(Math.fround(san * x0) + Math.fround(s1an * eps));
    }
    x = nx;
  }
  return x;
}

const maxAbs = (a, b) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); return m; };
const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
const std = (a) => { const m = mean(a); return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / a.length); };
function toUint8(x) { // [3,F,H,W] -> uint8 [F,H,W,3]
  const out = new Uint8Array(N);
  for (let c = 0; c < 3; c++) for (let f = 0; f < F; f++) for (let p = 0; p < H * W; p++) {
    const v = Math.floor(Math.min(255, Math.max(0, (x[(c * F + f) * H * W + p] + 1) * 127.5 + 0.5)));
    out[(f * H * W + p) * 3 + c] = v;
  }
  return out;
}
function down4(u8, f) { // box 4x4 downsample of frame f -> [H/4][W/4][3]
  const rows = [];
  for (let y = 0; y < H / 4; y++) { const row = []; for (let x = 0; x < W / 4; x++) { const px = [0, 0, 0];
    for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 4; dx++) for (let c = 0; c < 3; c++)
      px[c] += u8[((f * H + y * 4 + dy) * W + x * 4 + dx) * 3 + c] / 16;
    row.push(px); } rows.push(row); }
  return rows;
}
const maxAbsNested = (a, b) => maxAbs(a.flat(3), b.flat(3));

const s1 = await sessions(1);
// 1. load + run with batch 1 and 2
{
  const e1 = await encode(s1, ['a red circle']);
  const e2 = await encode(s1, ['a red circle', '']);
  report.checks.batch = { text_emb_batch1_vs_batch2: maxAbs(e1.data, e2.data.slice(0, e1.data.length)) };
}
// 2. parity with torch, single calls
if (parityDir) {
  const idx = JSON.parse(fs.readFileSync(path.join(parityDir, 'index.json'), 'utf8'));
  const load = (k) => {
    const b = fs.readFileSync(path.join(parityDir, `${k}.bin`));
    const ab = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    return idx.tensors[k].dtype === 'int64' ? new BigInt64Array(ab) : new Float32Array(ab);
  };
  const te = await s1.te.run({ input_ids: new ort.Tensor('int64', load('input_ids'), idx.tensors.input_ids.shape) });
  const dn = await s1.dn.run({
    x_t: new ort.Tensor('float32', load('x_t'), idx.tensors.x_t.shape),
    t: new ort.Tensor('float32', load('t'), idx.tensors.t.shape),
    text_emb: new ort.Tensor('float32', load('text_emb'), idx.tensors.text_emb.shape),
    cond_frame: new ort.Tensor('float32', load('cond_frame'), idx.tensors.cond_frame.shape),
    cond_mask: new ort.Tensor('float32', load('cond_mask'), idx.tensors.cond_mask.shape),
  });
  const sm = idx.sample;
  const xs = await sample(s1, { prompt: sm.prompt, seed: sm.seed, steps: sm.steps, guidance: sm.guidance });
  const ref = load('sample_x');
  report.checks.torch_parity = {
    text_encoder_max_abs_diff: maxAbs(te.text_emb.data, load('text_emb')),
    denoiser_max_abs_diff: maxAbs(dn.v.data, load('v')),
    denoiser_output_std: std(Array.from(load('v'))),
    full_sample_max_abs_diff: maxAbs(xs, ref),
    full_sample_uint8_max_diff: maxAbs(toUint8(xs), toUint8(ref)),
  };
}
// 3. golden
for (const key of ['text_to_video', 'image_to_video']) {
  const g = golden[key];
  const ids = tokenize(g.prompt);
  const noise = gaussianNoise(g.seed, N);
  let condFrame = null;
  if (g.cond_frame) {
    const u8 = g.cond_frame.uint8_hwc;
    condFrame = new Float32Array(3 * H * W);
    for (let p = 0; p < H * W; p++) for (let c = 0; c < 3; c++) condFrame[c * H * W + p] = Math.fround(u8[p * 3 + c] / 127.5 - 1);
  }
  const emb = await encode(s1, [g.prompt, '']);
  const x = await sample(s1, { prompt: g.prompt, seed: g.seed, steps: g.steps, guidance: g.guidance, condFrame });
  const u8 = toUint8(x);
  report.checks[`golden_${key}`] = {
    token_ids_equal: JSON.stringify(ids) === JSON.stringify(g.token_ids),
    timesteps_equal: JSON.stringify(timesteps(g.steps)) === JSON.stringify(g.timesteps),
    abar_max_abs_diff: maxAbs(timesteps(g.steps).map(abar), g.abar),
    noise_first8_max_abs_diff: maxAbs(noise.slice(0, 8), g.noise.first8),
    noise_mean_diff: Math.abs(mean(noise) - g.noise.mean),
    text_emb_first8_max_abs_diff: maxAbs(emb.data.slice(0, 8), g.text_emb_first8),
    x_first8_max_abs_diff: maxAbs(x.slice(0, 8), g.output.x_first8),
    x_mean_diff: Math.abs(mean(x) - g.output.x_mean),
    x_std_diff: Math.abs(std(x) - g.output.x_std),
    frame0_down4_max_diff: maxAbsNested(down4(u8, 0), g.output.frame0_4x4_downsampled),
    frame_last_down4_max_diff: maxAbsNested(down4(u8, F - 1), g.output.frame_last_4x4_downsampled),
  };
}
// 4. timing of one default clip
report.timing = {};
const steps = manifest.scheduler.default_steps;
for (const th of threadList) {
  const s = th === 1 ? s1 : await sessions(th);
  await sample(s, { prompt: 'warm up', seed: 1, steps: 2, guidance: 4 });
  const times = [];
  for (let r = 0; r < repeat; r++) {
    const t0 = performance.now();
    await sample(s, { prompt: 'a green square moves to the right', seed: 100 + r, steps, guidance: manifest.guidance.default });
    times.push((performance.now() - t0) / 1000);
  }
  const best = Math.min(...times);
  report.timing[`threads_${th}`] = { steps, seconds_per_clip: times.map((t) => +t.toFixed(3)), best: +best.toFixed(3),
    denoiser_calls_per_s: +(steps / best).toFixed(2) };
}
console.log(JSON.stringify(report, null, 1));
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(report, null, 1) + '\n');
