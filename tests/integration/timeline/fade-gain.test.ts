/**
 * The Viewer's audio level (app/timeline/fades.ts clipGainAt) against what export does: the
 * gain and fade filters the export graph holds for a clip are run by real ffmpeg on a
 * constant signal, so each output sample is the gain the MP4 applies at that instant.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findPreset } from '../../../app/export/presets.js';
import { planToFfmpegArgs } from '../../../app/render/ffmpeg-args.js';
import { compileRenderPlan } from '../../../app/render/plan.js';
import { FLICKS_PER_SECOND } from '../../../app/time/flicks.js';
import { clipGainAt, fadeGainAt } from '../../../app/timeline/fades.js';
import { audioAsset, clip, s, timeline, track } from '../../unit/render/fixtures.js';

const SR = 48000;

describe('clip gain in the Viewer = gain and fades in the export', () => {
  it('matches ffmpeg running the export graph’s volume/afade filters, sample by sample', () => {
    const c = clip('c1', 'a1', 'tone', 0.5, 1, 4, { volume: 0.8, fadeInFlicks: s(0.4), fadeOutFlicks: s(0.9) });
    const st = timeline({ assets: [audioAsset('tone', 10)], tracks: [track('a1', 'audio', 0)], clips: [c] });
    const plan = compileRenderPlan(st, { width: 1280, height: 720, fit: 'fit' });
    const args = planToFfmpegArgs(plan, findPreset('720p-draft')!, '/o.mp4', { resolvePath: (p) => `/p/${p}` });
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    // Only the level filters of this clip's chain, in the export's order.
    const level = graph.match(/(volume=[^,;[]+|afade=[^,;[]+)/g)!;
    expect(level.length).toBe(3);
    const length = 3; // clip seconds (in 1 s → out 4 s)
    const raw = execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `aevalsrc=0.5:s=${SR}:d=${length}`, '-af', level.join(','), '-f', 'f32le', '-ac', '1', '-'], {
      maxBuffer: 64 << 20,
    });
    const got = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    expect(got.length).toBe(length * SR);
    let worst = 0;
    for (let i = 0; i < got.length; i += 97) {
      const t = c.startFlicks + Math.round((i / SR) * FLICKS_PER_SECOND);
      worst = Math.max(worst, Math.abs(got[i]! - 0.5 * clipGainAt(c, t)));
    }
    // One sample of ramp (1/19200 of the 0.4 s fade) is ~1e-4 of 0.4: allow a few.
    expect(worst).toBeLessThan(2e-3);
    // The shape itself: silent at the edges, full level between the fades, half way up mid-fade.
    expect(fadeGainAt(c, c.startFlicks)).toBe(0);
    expect(fadeGainAt(c, c.startFlicks + s(0.2))).toBeCloseTo(0.5, 9);
    expect(fadeGainAt(c, c.startFlicks + s(1.5))).toBe(1);
    expect(fadeGainAt(c, c.startFlicks + s(3))).toBe(0);
    expect(fadeGainAt(c, c.startFlicks - 1)).toBe(1);
  });
});
