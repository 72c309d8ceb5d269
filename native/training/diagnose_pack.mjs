// Measures a pack in onnxruntime-node on clips written by diagnose_pack.py (see there):
//   node native/training/diagnose_pack.mjs PACK DIR [--ddpm-clips 2]
// Writes DIR/diagnosis.json (per-timestep x0 RMSE with right / empty / other caption) and DIR/samples.json
// (DDIM-20 and ancestral DDPM-1000 samples of canonical training prompts) for diagnose_pack.py --score.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');
const [packDir, dir] = process.argv.slice(2);
const ddpmClips = Number(process.argv[process.argv.indexOf('--ddpm-clips') + 1] || 2);
const manifest = JSON.parse(fs.readFileSync(path.join(packDir, 'manifest.json'), 'utf8'));
const meta = JSON.parse(fs.readFileSync(path.join(dir, 'clips.json'), 'utf8'));
const F = manifest.frames, H = manifest.height, W = manifest.width, N = 3 * F * H * W;
const readF32 = (f) => { const b = fs.readFileSync(path.join(dir, f)); return new Float32Array(b.buffer, b.byteOffset, b.length / 4); };
const X0 = readF32('x0.f32'), EPS = readF32('eps.f32');
const so = { intraOpNumThreads: 1, interOpNumThreads: 1 };
const te = await ort.InferenceSession.create(path.join(packDir, manifest.graphs.text_encoder.file), so);
const dn = await ort.InferenceSession.create(path.join(packDir, manifest.graphs.denoiser.file), so);
const s = manifest.scheduler.cosine_s;
const abar = (t) => (t < 0 ? 1 : Math.min(1, Math.max(0, Math.cos((((t + 1) / 1000 + s) / (1 + s)) * Math.PI / 2) ** 2 / Math.cos((s / (1 + s)) * Math.PI / 2) ** 2)));
const L = manifest.tokenizer.max_length;
async function encode(idsList) {
  const flat = BigInt64Array.from(idsList.flat().map(BigInt));
  const out = await te.run({ input_ids: new ort.Tensor('int64', flat, [idsList.length, L]) });
  return out.text_emb.data;
}
const D = manifest.graphs.text_encoder.outputs[0].shape[1];
async function denoise(x, tArr, emb, B) {
  const out = await dn.run({
    x_t: new ort.Tensor('float32', x, [B, 3, F, H, W]), t: new ort.Tensor('float32', Float32Array.from(tArr), [B]),
    text_emb: new ort.Tensor('float32', emb, [B, D]), cond_frame: new ort.Tensor('float32', new Float32Array(B * 3 * H * W), [B, 3, H, W]),
    cond_mask: new ort.Tensor('float32', new Float32Array(B), [B, 1]),
  });
  return out.v.data;
}
const n = meta.n;
const embRight = await encode(meta.ids);
const embEmpty = await encode(Array(n).fill(meta.empty_ids));
const other = meta.ids.map((_, i) => meta.ids[(i + 1) % n]); // the caption of another clip
const embOther = await encode(other);
const ts = [999, 900, 750, 600, 450, 300, 150, 50, 10];
const rows = [];
for (const t of ts) {
  const a = abar(t), sa = Math.sqrt(a), s1 = Math.sqrt(1 - a);
  const xt = new Float32Array(n * N);
  for (let k = 0; k < n * N; k++) xt[k] = sa * X0[k] + s1 * EPS[k];
  const row = { t, abar: +a.toFixed(5), snr: +(a / Math.max(1e-12, 1 - a)).toFixed(4) };
  for (const [name, emb] of [['right', embRight], ['empty', embEmpty], ['other', embOther]]) {
    const v = await denoise(xt, Array(n).fill(t), emb, n);
    let se = 0, seNaive = 0;
    for (let k = 0; k < n * N; k++) {
      const x0 = Math.min(1, Math.max(-1, sa * xt[k] - s1 * v[k]));
      se += (x0 - X0[k]) ** 2;
      seNaive += (Math.min(1, Math.max(-1, sa ? xt[k] / sa : 0)) - X0[k]) ** 2; // "no denoising" baseline
    }
    row[`x0_rmse_${name}`] = +Math.sqrt(se / (n * N)).toFixed(4);
    if (name === 'right') row.x0_rmse_identity = +Math.sqrt(seNaive / (n * N)).toFixed(4);
  }
  rows.push(row);
  console.log(JSON.stringify(row));
}
fs.writeFileSync(path.join(dir, 'diagnosis.json'), JSON.stringify({ pack: manifest.name, version: manifest.version, rows }, null, 1));

// ---- DDIM-20 vs ancestral DDPM-1000 on canonical training prompts (guidance 4, same seed)
function gaussian(seed, count) { // any fixed normal source will do here
  let st = seed >>> 0;
  const next = () => { st = (st + 0x6d2b79f5) >>> 0; let t = Math.imul(st ^ (st >>> 15), st | 1); t = ((t + Math.imul(t ^ (t >>> 7), t | 61)) >>> 0) ^ t; return (t ^ (t >>> 14)) >>> 0; };
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) { const u1 = (next() + 0.5) / 4294967296, u2 = (next() + 0.5) / 4294967296, r = Math.sqrt(-2 * Math.log(u1)); out[i] = r * Math.cos(2 * Math.PI * u2); if (i + 1 < count) out[i + 1] = r * Math.sin(2 * Math.PI * u2); }
  return out;
}
const g = manifest.guidance.default;
async function run(prompt, seed, timesteps, ancestral) {
  const emb = await encode([prompt, meta.empty_ids]);
  let x = gaussian(seed, N);
  const z = gaussian(seed + 1000003, N * timesteps.length);
  for (let i = 0; i < timesteps.length; i++) {
    const t = timesteps[i], a = abar(t), an = abar(i + 1 < timesteps.length ? timesteps[i + 1] : -1);
    const x2 = new Float32Array(2 * N); x2.set(x); x2.set(x, N);
    const v2 = await denoise(x2, [t, t], emb, 2);
    const nx = new Float32Array(N);
    for (let k = 0; k < N; k++) {
      const v = v2[N + k] + g * (v2[k] - v2[N + k]);
      const x0 = Math.min(1, Math.max(-1, Math.sqrt(a) * x[k] - Math.sqrt(1 - a) * v));
      const eps = Math.sqrt(1 - a) * x[k] + Math.sqrt(a) * v;
      if (!ancestral) nx[k] = Math.sqrt(an) * x0 + Math.sqrt(1 - an) * eps;
      else { // DDPM posterior q(x_{t-1} | x_t, x0)
        const at = a / an, bt = 1 - at;
        const mean = (Math.sqrt(an) * bt / (1 - a)) * x0 + (Math.sqrt(at) * (1 - an) / (1 - a)) * x[k];
        const varr = ((1 - an) / (1 - a)) * bt;
        nx[k] = mean + (i + 1 < timesteps.length ? Math.sqrt(Math.max(0, varr)) * z[i * N + k] : 0);
      }
    }
    x = nx;
  }
  return Array.from(x, (v) => Math.floor(Math.min(255, Math.max(0, (v + 1) * 127.5 + 0.5))));
}
const toHWC = (arr) => { const o = new Array(N); for (let c = 0; c < 3; c++) for (let f = 0; f < F; f++) for (let p = 0; p < H * W; p++) o[(f * H * W + p) * 3 + c] = arr[(c * F + f) * H * W + p]; return o; };
const ddim = Array.from({ length: 20 }, (_, i) => Math.floor(((20 - i) * 1000) / 20) - 1);
const ddpm = Array.from({ length: 1000 }, (_, i) => 999 - i);
const samples = { ddim20: [], ddpm1000: [] };
for (let i = 0; i < ddpmClips; i++) {
  const spec = meta.specs[i];
  const prompt = meta.canonical_ids[i];
  samples.ddim20.push({ spec, frames: toHWC(await run(prompt, 7 + i, ddim, false)) });
  const t0 = Date.now();
  samples.ddpm1000.push({ spec, frames: toHWC(await run(prompt, 7 + i, ddpm, true)) });
  console.log(`clip ${i}: ddpm-1000 in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
fs.writeFileSync(path.join(dir, 'samples.json'), JSON.stringify(samples));
