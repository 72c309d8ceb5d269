/**
 * Keeps the shipped pack honest (issue 10):
 *   1. two held-out prompts (the first two held-out combos with a screen direction, at their
 *      evaluation seeds) regenerate through onnxruntime-node and the TypeScript analyzer finds the
 *      colour and the direction the prompt asks for (issue 10's check), and the shape too once the
 *      pack claims the shape target;
 *   2. the adherence figures in manifest.metrics.eval_ts follow from its per-clip records (≥ 80
 *      held-out clips), and a fixed subset of those clips regenerates to the same analysis;
 *   3. the Python evaluation's figures (manifest.metrics.eval, torch sampler) and the TypeScript
 *      ones agree within a tolerance: the same clips, two implementations.
 * The prompts reach the model verbatim: nothing outside the model reads them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeClip, BACKGROUNDS, canonicalCaption, scoreAdherence, SCREEN_DIRECTION } from '../../../native/analysis/adherence.js';
import { OnnxRunner } from '../../../native/runner/client.js';
import { NO_PACK, PACK_DIR, REPO_ROOT } from './find-pack.js';

interface Rec {
  prompt: string;
  seed: number;
  color: string;
  shape: string;
  motion: string;
  analysis: { color: string; direction: string; size: string; shape: string };
  hf_energy?: number;
}

const manifest = PACK_DIR ? JSON.parse(fs.readFileSync(path.join(PACK_DIR, 'manifest.json'), 'utf8')) : null;
const evalTs = manifest?.metrics?.eval_ts as { held_out_t2v: Record<string, number>; records: Rec[]; ci_subset: Rec[] } | undefined;

describe.skipIf(!PACK_DIR)('the shipped pack does what its manifest claims', () => {
  let runner: OnnxRunner;
  beforeAll(() => {
    runner = new OnnxRunner({ threads: 2 });
  });
  afterAll(async () => {
    await runner?.dispose();
  });
  const gen = async (prompt: string, seed: number) => {
    const { frames: F, height: H, width: W } = manifest;
    const r = await runner.generate(PACK_DIR!, { prompt, seed, steps: manifest.scheduler.default_steps, guidance: manifest.guidance.default });
    return analyzeClip(r.frames, F, H, W);
  };

  // Runs once the pack claims the issue-10 adherence targets (colour >= 90 %); packs 0.1.0-0.4.0 did
  // not (see docs/model-packs.md), and this check must not be weakened to pass it. The shape is
  // asserted once the pack claims the shape target (>= 70 %): a pack that claims 51 % shapes gets
  // about one of two clips' shape wrong, which is what it says it does.
  const claimsTargets = (evalTs?.held_out_t2v.color_acc ?? 0) >= 0.9;
  const claimsShape = (evalTs?.held_out_t2v.shape_acc ?? 0) >= 0.7;
  if (!claimsTargets) console.warn(`pack-claims: the shipped pack claims colour ${evalTs?.held_out_t2v.color_acc ?? '?'} on held-out prompts, below the 0.9 target; the two-clip adherence check is skipped until a pack claims it.`);
  it.skipIf(!claimsTargets)('draws two held-out prompts with the asked colour and direction (and shape, once claimed)', async () => {
    const combos: { color: string; shape: string; motion: string }[] = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'native', 'training', 'held_out.json'), 'utf8')).combos;
    const picked = combos.map((c, j) => ({ ...c, j })).filter((c) => c.motion in SCREEN_DIRECTION).slice(0, 2);
    expect(picked.map((c) => `${c.color} ${c.shape} ${c.motion}`)).toEqual(['red circle left', 'red diamond down']);
    for (const c of picked) {
      const prompt = canonicalCaption(c.color, c.shape, c.motion, BACKGROUNDS[c.j % 3]);
      const a = await gen(prompt, 100 + c.j); // its seed in evaluate.eval_specs(held, k=0, seed0=100)
      console.log(`${prompt} (seed ${100 + c.j}): colour ${a.color}, direction ${a.direction}, shape ${a.shape}`);
      expect({ color: a.color, direction: a.direction }).toEqual({ color: c.color, direction: SCREEN_DIRECTION[c.motion] });
      if (claimsShape) expect(a.shape).toBe(c.shape);
    }
  }, 300_000);

  it.skipIf(!evalTs)('claims figures that follow from ≥ 80 per-clip records', () => {
    const recs = evalTs!.records;
    expect(recs.length).toBeGreaterThanOrEqual(80);
    const s = scoreAdherence(recs);
    for (const k of ['color_acc', 'motion_acc', 'shape_acc', 'both_acc', 'size_acc'] as const) expect(evalTs!.held_out_t2v[k]).toBeCloseTo(s[k] ?? NaN, 6);
    const hf = recs.reduce((a, r) => a + (r.hf_energy ?? 0), 0) / recs.length;
    expect(evalTs!.held_out_t2v.hf_energy).toBeCloseTo(hf, 5);
  });

  it.skipIf(!evalTs)('regenerates the CI subset of its evaluation to the recorded analysis', async () => {
    const subset = evalTs!.ci_subset;
    expect(subset.length).toBeGreaterThanOrEqual(6);
    let same = 0;
    const fresh: Rec[] = [];
    for (const r of subset) {
      const a = await gen(r.prompt, r.seed);
      fresh.push({ ...r, analysis: { color: a.color, direction: a.direction, size: a.size, shape: a.shape } });
      if (a.color === r.analysis.color && a.direction === r.analysis.direction && a.shape === r.analysis.shape) same++;
    }
    // Float differences between machines may move one borderline clip; more means the claims are stale.
    expect(same).toBeGreaterThanOrEqual(subset.length - 1);
    const a = scoreAdherence(fresh);
    const b = scoreAdherence(subset);
    expect(Math.abs(a.color_acc! - b.color_acc!)).toBeLessThanOrEqual(1 / subset.length + 1e-9);
    expect(Math.abs(a.shape_acc! - b.shape_acc!)).toBeLessThanOrEqual(1 / subset.length + 1e-9);
  }, 300_000);

  it.skipIf(!evalTs || !manifest?.metrics?.eval?.held_out_t2v)('agrees with the Python evaluation (torch sampler, same prompts and seeds)', () => {
    const py = manifest.metrics.eval.held_out_t2v;
    const ts = evalTs!.held_out_t2v;
    expect(py.n_color).toBe(ts.n_color);
    const keys = (['color_acc', 'motion_acc', 'shape_acc'] as const).filter((k) => typeof py[k] === 'number');
    expect(keys).toContain('color_acc');
    for (const k of keys) expect(Math.abs(py[k] - ts[k]!)).toBeLessThanOrEqual(0.05);
  });
});

describe.skipIf(!!PACK_DIR)('pack claims (no pack)', () => {
  it('is skipped', () => console.warn(NO_PACK));
});
