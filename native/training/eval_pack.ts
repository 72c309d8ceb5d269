/**
 * Evaluates a model pack the way the app runs it: clips made by the TypeScript runner
 * (onnxruntime-node) for the held-out colour x shape x motion prompts, scored by the TypeScript
 * analyzer (native/analysis/adherence.ts). The prompts and seeds are evaluate.eval_specs(held, samples, 100).
 *
 *   npx tsx native/training/eval_pack.ts resources/models/shotline-shapes-tiny [--samples 2] [--threads 2]
 *       [--write-manifest] [--out eval_ts.json]
 *
 * --write-manifest stores the figures, every per-clip result and a small fixed CI subset in
 * manifest.metrics.eval_ts; tests/integration/generation/pack-claims.test.ts checks that the claims
 * follow from the records and that the subset regenerates to the same analysis.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyzeClip, BACKGROUNDS, canonicalCaption, scoreAdherence, type AdherenceRecord } from '../analysis/adherence.js';
import { hfEnergy } from '../analysis/quality.js';
import { OnnxRunner } from '../runner/client.js';

const args = process.argv.slice(2);
const packDir = path.resolve(args[0] ?? 'resources/models/shotline-shapes-tiny');
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
const samples = Number(opt('samples', '2'));
const threads = Number(opt('threads', '2'));
const limit = Number(opt('limit', '0')); // first N clips only (a quick look; never with --write-manifest)
const manifestPath = path.join(packDir, 'manifest.json');
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
const { frames: F, height: H, width: W } = manifest;
const heldPath = path.join(path.dirname(new URL(import.meta.url).pathname), 'held_out.json');
const combos: { color: string; shape: string; motion: string }[] = JSON.parse(fs.readFileSync(heldPath, 'utf8')).combos;

export interface EvalRecord extends AdherenceRecord {
  shape: string;
  background: string;
  seed: number;
  prompt: string;
  hf_energy: number;
  analysis: { color: string; direction: string; size: string; shape: string };
}

const specs = [];
for (let k = 0; k < samples; k++)
  for (let j = 0; j < combos.length; j++) {
    const c = combos[j]!;
    const background = BACKGROUNDS[(j + k) % 3]!;
    specs.push({ ...c, background, seed: 100 + 1000 * k + j, prompt: canonicalCaption(c.color, c.shape, c.motion, background) });
  }

if (limit > 0) specs.splice(limit);
if (limit > 0 && args.includes('--write-manifest')) throw new Error('--limit and --write-manifest do not go together: the manifest claims the full evaluation');
const runner = new OnnxRunner({ threads });
const steps = manifest.scheduler.default_steps;
const guidance = manifest.guidance.default;
const records: EvalRecord[] = [];
const t0 = performance.now();
try {
  for (const sp of specs) {
    const r = await runner.generate(packDir, { prompt: sp.prompt, seed: sp.seed, steps, guidance });
    const a = analyzeClip(r.frames, F, H, W);
    records.push({ ...sp, hf_energy: hfEnergy(r.frames, F, H, W), analysis: { color: a.color, direction: a.direction, size: a.size, shape: a.shape } });
    if (records.length % 10 === 0) console.log(`${records.length}/${specs.length} clips`);
  }
} finally {
  await runner.dispose();
}
const secs = (performance.now() - t0) / 1000;
const score = scoreAdherence(records);
const hf = records.reduce((s, r) => s + r.hf_energy, 0) / records.length;
const summary = { ...score, hf_energy: +hf.toFixed(6), clips: records.length, steps, guidance, seconds: +secs.toFixed(1) };
console.log(JSON.stringify(summary));
// The CI subset: every 10th clip (8 of 80), plus two clips with a screen direction the test asserts by name.
const ci = records.filter((_, i) => i % 10 === 0).map((r) => ({ prompt: r.prompt, seed: r.seed, color: r.color, shape: r.shape, motion: r.motion, analysis: r.analysis }));
const out = opt('out', '');
// What goes into manifest.metrics.eval_ts (here with --write-manifest, or by export_onnx.py --eval-ts OUT).
const block = {
  what: 'native/training/eval_pack.ts: TypeScript runner (onnxruntime-node) + TypeScript analyzer on evaluate.eval_specs(held-out, samples, 100)',
  held_out_t2v: summary,
  ci_subset: ci,
  records: records.map((r) => ({ prompt: r.prompt, seed: r.seed, color: r.color, shape: r.shape, motion: r.motion, analysis: r.analysis, hf_energy: r.hf_energy })),
};
if (out) fs.writeFileSync(out, JSON.stringify(block, null, 1));
if (args.includes('--write-manifest')) {
  manifest.metrics = manifest.metrics ?? {};
  manifest.metrics.eval_ts = block;
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  console.log(`wrote manifest.metrics.eval_ts (${records.length} clips, CI subset ${ci.length})`);
}
