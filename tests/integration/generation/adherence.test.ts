/**
 * Prompt adherence of the shipped pack on HELD-OUT colour × shape × motion prompts
 * (native/training/held_out.json), measured by the TypeScript port of evaluate.py's analyzer
 * on clips made by the TypeScript runner. Prints per-attribute accuracy and checks it against
 * the figure the Python evaluation reported (manifest.metrics.eval), minus a margin for the
 * smaller subset. The port itself is checked on synthetic clips, and against the Python
 * analyzer when /usr/bin/python3 with numpy + torch is present.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeClip, BACKGROUNDS, canonicalCaption, scoreAdherence, SCREEN_DIRECTION, shapeSdf, SHAPES, type AdherenceRecord } from '../../../native/analysis/adherence.js';
import { hfEnergy, psnr } from '../../../native/analysis/quality.js';
import { OnnxRunner } from '../../../native/runner/client.js';
import { NO_PACK, PACK_DIR, REPO_ROOT } from './find-pack.js';

/** A coloured square moving across a horizontal gradient: what the analyzer must get right. */
function synthetic(F: number, S: number, rgb: [number, number, number], dx: number, dy: number): Uint8Array {
  const out = new Uint8Array(F * S * S * 3);
  for (let f = 0; f < F; f++) {
    const cx = S / 2 + (dx * (f - (F - 1) / 2)) / (F - 1);
    const cy = S / 2 + (dy * (f - (F - 1) / 2)) / (F - 1);
    for (let y = 0; y < S; y++)
      for (let x = 0; x < S; x++) {
        const inside = Math.abs(x + 0.5 - cx) < 4 && Math.abs(y + 0.5 - cy) < 4;
        const bg = [0.1 + (0.2 * x) / S, 0.12, 0.2 - (0.1 * x) / S];
        for (let c = 0; c < 3; c++) out[((f * S + y) * S + x) * 3 + c] = Math.round(255 * (inside ? rgb[c]! : bg[c]!));
      }
  }
  return out;
}

/** One dataset shape (anti-aliased like dataset.render_clip) of radius r moving by (dx, dy) px on a dark plane. */
function drawShape(F: number, S: number, shape: string, rgb: [number, number, number], r: number, tilt: number, dx: number): Uint8Array {
  const out = new Uint8Array(F * S * S * 3);
  const ppu = S / 2;
  for (let f = 0; f < F; f++) {
    const ox = -0.1 + ((dx / ppu) * f) / (F - 1);
    for (let y = 0; y < S; y++)
      for (let x = 0; x < S; x++) {
        const lx = ((x + 0.5) / S) * 2 - 1 - ox;
        const ly = ((y + 0.5) / S) * 2 - 1 - 0.05;
        const px = Math.cos(tilt) * lx + Math.sin(tilt) * ly;
        const py = -Math.sin(tilt) * lx + Math.cos(tilt) * ly;
        const a = Math.min(1, Math.max(0, 0.5 - shapeSdf(shape, px, py, r) * ppu));
        for (let c = 0; c < 3; c++) out[((f * S + y) * S + x) * 3 + c] = Math.round(255 * (0.08 * (1 - a) + rgb[c]! * a));
      }
  }
  return out;
}

describe('adherence analyzer (port of evaluate.py)', () => {
  it('tells the five dataset shapes apart and ignores a small tilt', () => {
    for (const shape of SHAPES)
      for (const [r, tilt] of [
        [0.22, 0.2],
        [0.3, -0.2],
      ] as const) {
        const a = analyzeClip(drawShape(16, 32, shape, [0.15, 0.3, 0.98], r, tilt, 8), 16, 32, 32);
        expect([shape, a.shape, a.color, a.direction]).toEqual([shape, shape, 'blue', 'right']);
      }
  });

  it('measures grain (high-frequency energy) and PSNR', () => {
    const clean = drawShape(16, 32, 'circle', [0.92, 0.12, 0.1], 0.25, 0, 6);
    const noisy = Uint8Array.from(clean, (v, i) => Math.min(255, Math.max(0, v + ((i * 7919) % 41) - 20)));
    expect(hfEnergy(noisy, 16, 32, 32)).toBeGreaterThan(3 * hfEnergy(clean, 16, 32, 32));
    expect(psnr(clean, clean)).toBe(99);
    expect(psnr(clean, noisy)).toBeGreaterThan(20);
    expect(psnr(clean, noisy)).toBeLessThan(30);
  });

  it('finds colour and direction of a moving object on synthetic clips', () => {
    const cases: [string, [number, number, number], number, number, string][] = [
      ['red', [0.92, 0.12, 0.1], -16, 0, 'left'],
      ['cyan', [0.1, 0.85, 0.9], 14, 1, 'right'],
      ['yellow', [0.96, 0.9, 0.12], 0, -12, 'up'],
      ['purple', [0.62, 0.2, 0.88], 1, 12, 'down'],
      ['white', [0.96, 0.96, 0.96], 0, 0, 'static'],
    ];
    for (const [color, rgb, dx, dy, dir] of cases) {
      const a = analyzeClip(synthetic(16, 32, rgb, dx, dy), 16, 32, 32);
      expect([a.color, a.direction]).toEqual([color, dir]);
      expect(a.size).toBe('same');
    }
    expect(canonicalCaption('red', 'circle', 'pan_left', 'gray')).toBe('camera pans left past a red circle on a gray background');
    expect(scoreAdherence([{ color: 'red', motion: 'left', analysis: { color: 'red', direction: 'right', size: 'same' } }])).toMatchObject({ color_acc: 1, motion_acc: 0, both_acc: 0 });
  });
});

interface Combo {
  color: string;
  shape: string;
  motion: string;
}

describe.skipIf(!PACK_DIR)('prompt adherence of the shipped pack on held-out prompts', () => {
  let runner: OnnxRunner;
  let tmp: string;
  beforeAll(() => {
    runner = new OnnxRunner();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-adherence-'));
  });
  afterAll(async () => {
    await runner?.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('reports per-attribute accuracy at least the Python figure minus a margin', async () => {
    const dir = PACK_DIR!;
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    const { frames: F, height: H, width: W } = manifest;
    const combos: Combo[] = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'native', 'training', 'held_out.json'), 'utf8')).combos;
    // evaluate.eval_specs(held, samples, seed0=100), first sample round (k = 0), every other combo: 20 prompts.
    const specs = combos
      .map((c, j) => ({ ...c, background: BACKGROUNDS[j % 3]!, seed: 100 + j }))
      .filter((_, j) => j % 2 === 0)
      .map((s) => ({ ...s, prompt: canonicalCaption(s.color, s.shape, s.motion, s.background) }));
    const steps = manifest.scheduler.default_steps;
    const guidance = manifest.guidance.default;
    const records: (AdherenceRecord & { prompt: string })[] = [];
    const clips: Uint8Array[] = [];
    const t0 = performance.now();
    for (const sp of specs) {
      const r = await runner.generate(dir, { prompt: sp.prompt, seed: sp.seed, steps, guidance });
      clips.push(r.frames);
      const a = analyzeClip(r.frames, F, H, W);
      records.push({ color: sp.color, shape: sp.shape, motion: sp.motion, prompt: sp.prompt, analysis: { color: a.color, direction: a.direction, size: a.size, shape: a.shape } });
    }
    const secs = (performance.now() - t0) / 1000;
    const score = scoreAdherence(records);
    const py = manifest.metrics?.eval?.held_out_t2v as { color_acc?: number; motion_acc?: number; both_acc?: number } | undefined;
    console.log(
      `prompt adherence, ${specs.length} held-out prompts (${steps} steps, guidance ${guidance}, ${secs.toFixed(1)} s): ` +
        `colour ${score.color_acc?.toFixed(3)} (n=${score.n_color}), shape ${score.shape_acc?.toFixed(3)}, motion ${score.motion_acc?.toFixed(3)} (n=${score.n_motion}), both ${score.both_acc?.toFixed(3)}, size ${score.size_acc ?? '-'} (n=${score.n_size})` +
        (py ? `; Python eval on all held-out prompts: colour ${py.color_acc}, motion ${py.motion_acc}, both ${py.both_acc}` : '; no Python figure in manifest.metrics.eval'),
    );
    for (const r of records.filter((x) => x.motion in SCREEN_DIRECTION)) console.log(`  ${r.prompt}: colour ${r.analysis.color}, direction ${r.analysis.direction}`);
    // 20 prompts (10 with a direction): a margin of 0.2 is about two standard errors.
    if (py?.color_acc !== undefined) expect(score.color_acc!).toBeGreaterThanOrEqual(py.color_acc - 0.2);
    if (py?.motion_acc !== undefined) expect(score.motion_acc!).toBeGreaterThanOrEqual(py.motion_acc - 0.25);

    // Same frames through the Python analyzer, where Python is available: the port must agree.
    let python = false;
    try {
      execFileSync('/usr/bin/python3', ['-c', 'import numpy, torch'], { stdio: 'ignore' });
      python = true;
    } catch {
      console.log('Python analyzer cross-check skipped (no /usr/bin/python3 with numpy + torch).');
    }
    if (python) {
      const n = Math.min(6, clips.length);
      fs.writeFileSync(path.join(tmp, 'clips.u8'), Buffer.concat(clips.slice(0, n).map((c) => Buffer.from(c))));
      const script = `
import json, sys, numpy as np
sys.path.insert(0, ${JSON.stringify(path.join(REPO_ROOT, 'native', 'training'))})
from evaluate import analyze
x = np.fromfile(${JSON.stringify(path.join(tmp, 'clips.u8'))}, np.uint8).reshape(${n}, ${F}, ${H}, ${W}, 3)
print(json.dumps([{k: analyze(c)[k] for k in ("color", "direction", "size", "shape")} for c in x]))`;
      const out = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' })) as { color: string; direction: string; size: string; shape: string }[];
      expect(records.slice(0, n).map((r) => r.analysis)).toEqual(out);
    }
  }, 600_000);
});

describe.skipIf(!!PACK_DIR)('prompt adherence (no pack)', () => {
  it('is skipped', () => console.warn(NO_PACK));
});
