/**
 * Speed and loop in the exported file, by measurement. The source burns its frame number
 * into the picture as black/white blocks (24 fps, on a 30 fps project), so for every
 * exported frame we read back which source frame it shows and compare it with the time
 * map (nearest synthesis): frame count, duration and every frame must match. Sound:
 * constant speeds keep their pitch (atempo), ramps follow like tape (resample) or go silent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineError } from '../../../app/errors.js';
import type { Asset, Clip, ProjectState } from '../../../app/model/types.js';
import { compileRenderPlan } from '../../../app/render/plan.js';
import { reversedSpans } from '../../../app/render/reverse-memory.js';
import { clipDuration } from '../../../app/timeline/query.js';
import { FLICKS_PER_SECOND, secondsToFlicks } from '../../../app/time/flicks.js';
import { presetKeyframes } from '../../../app/timing/curve.js';
import { discreteTiming, outputFrameTable, sampleOutputFrame } from '../../../app/timing/timemap.js';
import { DEFAULT_SPEED, type LoopEffect, type SpeedEffect } from '../../../app/model/timing.js';
import { runExport } from '../../../main/export/run-export.js';
import { ffprobeJson, makeTempDir } from '../../helpers/media-fixtures.js';
import { decodeBlocks, makeFrameCodedVideo, readBlockLumas } from '../../helpers/timing-fixtures.js';
import { assetFor, clip, decodeMono, dominantHz, native, project, rms } from '../export/helpers.js';

const FPS = { num: 30, den: 1 };
const SRC_FPS = { num: 24, den: 1 };
const OUT = { width: 1280, height: 720 };
const SR = 48000;

let tmp: { dir: string; cleanup: () => Promise<void> };
let asset: Asset;

beforeAll(async () => {
  tmp = await makeTempDir('shotline-timing-export-');
  fs.mkdirSync(path.join(tmp.dir, 'media'));
  fs.mkdirSync(path.join(tmp.dir, 'out'));
  await makeFrameCodedVideo({ path: path.join(tmp.dir, 'media/bits.mp4'), seconds: 6, fps: 24, withAudio: true, toneHz: 440 });
  asset = await assetFor(tmp.dir, 'bits', 'media/bits.mp4');
}, 60_000);

afterAll(async () => {
  await tmp?.cleanup();
});

const speed = (p: Partial<SpeedEffect>): SpeedEffect => ({ ...DEFAULT_SPEED, ...p });
const loop = (p: Partial<LoopEffect>): LoopEffect => ({ mode: 'count', count: 2, fillFlicks: 0, crossfadeFlicks: 0, ...p });

interface Exported {
  state: ProjectState;
  clip: Clip;
  file: string;
  lumas: number[][];
  frames: number;
  videoSeconds: number;
  audioSeconds: number;
}

async function exportOne(name: string, c: Clip): Promise<Exported> {
  const state = project(name, [asset], [c]);
  const file = path.join(tmp.dir, 'out', `${name}.mp4`);
  await runExport({ state, projectDir: tmp.dir, engine: await native(), presetId: '720p-draft', fit: 'fit', outPath: file, overwrite: true });
  const [probe, lumas] = await Promise.all([ffprobeJson(file), readBlockLumas(file, OUT)]);
  const v = probe.streams.find((x) => x.codec_type === 'video')!;
  const a = probe.streams.find((x) => x.codec_type === 'audio')!;
  return { state, clip: c, file, lumas, frames: Number(v.nb_frames), videoSeconds: Number(v.duration), audioSeconds: Number(a.duration) };
}

/** Every frame: outside dissolves the decoded number is the time map's frame; inside, the block levels are its blend. */
function expectFramesMatch(e: Exported): { checked: number; dissolves: number } {
  const d = discreteTiming(e.clip, SRC_FPS, FPS, SR);
  const all = e.lumas.flat();
  const black = Math.min(...all);
  const white = Math.max(...all);
  let dissolves = 0;
  for (let f = 0; f < d.totalFrames; f++) {
    const want = sampleOutputFrame(d, f);
    const lum = e.lumas[f]!;
    if (!want.previous) {
      expect({ f, got: decodeBlocks(lum) }).toEqual({ f, got: want.sourceFrame });
      continue;
    }
    dissolves++;
    for (let b = 0; b < 10; b++) {
      const level = (n: number) => ((n >> b) & 1 ? white : black);
      const expected = want.mix * level(want.sourceFrame) + (1 - want.mix) * level(want.previous.sourceFrame);
      expect({ f, b, diff: Math.abs(lum[b]! - expected) < 40 }).toEqual({ f, b, diff: true });
    }
  }
  return { checked: d.totalFrames, dissolves };
}

/** Frame count and durations equal the time map's prediction (the plan's frame count, from clipDuration). */
function expectLength(e: Exported): void {
  const d = discreteTiming(e.clip, SRC_FPS, FPS, SR);
  const plan = compileRenderPlan(e.state, { width: OUT.width, height: OUT.height, fit: 'fit' });
  expect(plan.frameCount).toBe(d.totalFrames);
  expect(e.frames).toBe(d.totalFrames);
  const seconds = clipDuration(e.clip) / FLICKS_PER_SECOND;
  expect(Math.abs(e.videoSeconds - seconds)).toBeLessThanOrEqual(1 / 30 + 1e-3);
  expect(Math.abs(e.audioSeconds - seconds)).toBeLessThanOrEqual(1 / 30 + 1e-3);
  expect(e.lumas.length).toBe(d.totalFrames);
}

const s = secondsToFlicks;
const results: { name: string; frames: number; predicted: number; dissolves: number }[] = [];

describe('speed export: frame-exact against the time map (24 fps source, 30 fps project)', () => {
  const cases: [string, () => Clip][] = [
    ['constant 0.5x', () => clip('c', 'v1', 'bits', 0, 0.5, 2.0, { speed: speed({ rate: 0.5 }) })],
    ['constant 0.37x', () => clip('c', 'v1', 'bits', 0, 1.0, 2.0, { speed: speed({ rate: 0.37 }) })],
    ['constant 2.5x reversed', () => clip('c', 'v1', 'bits', 0, 1.0, 4.0, { speed: speed({ rate: 2.5, reverse: true }) })],
    ['ramp in', () => clip('c', 'v1', 'bits', 0, 0.25, 3.25, { speed: speed({ keyframes: presetKeyframes('ramp-in') }) })],
    ['hero, reversed', () => clip('c', 'v1', 'bits', 0, 0, 3, { speed: speed({ keyframes: presetKeyframes('hero', 1.5), reverse: true }) })],
    ['custom curve 4x→0.3x→2x', () => clip('c', 'v1', 'bits', 0, 0.5, 5.5, { speed: speed({ keyframes: [{ at: 0, speed: 4, ease: 'linear' }, { at: 0.5, speed: 0.3, ease: 'ease' }, { at: 1, speed: 2, ease: 'linear' }] }) })],
    ['loop x3, 1.5x', () => clip('c', 'v1', 'bits', 0, 1.0, 2.5, { speed: speed({ rate: 1.5 }), loop: loop({ count: 3 }) })],
    ['loop fill 3 s, crossfade 5 frames, ramp out', () => clip('c', 'v1', 'bits', 0, 0.5, 2.0, { speed: speed({ keyframes: presetKeyframes('ramp-out') }), loop: loop({ mode: 'fill', fillFlicks: s(3), crossfadeFlicks: 5 * (FLICKS_PER_SECOND / 30) }) })],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      const e = await exportOne(name.replace(/[^a-z0-9]+/gi, '-'), make());
      expectLength(e);
      const { checked, dissolves } = expectFramesMatch(e);
      results.push({ name, frames: e.frames, predicted: checked, dissolves });
      if (name.includes('crossfade')) expect(dissolves).toBeGreaterThan(0);
    }, 60_000);
  }

  afterAll(() => {
    for (const r of results) console.log(`timing export: ${r.name}: ${r.frames} frames exported, ${r.predicted} predicted, ${r.dissolves} dissolve frames; every frame matched`);
  });
});

describe('speed export: sound', () => {
  it('keeps pitch at a constant 0.5x, follows a ramp like tape, or mutes it', async () => {
    const slow = await exportOne('tone-slow', clip('c', 'v1', 'bits', 0, 0.5, 2.0, { speed: speed({ rate: 0.5 }) }));
    const x = await decodeMono(slow.file, SR);
    expect(Math.abs(dominantHz(x, SR * 0.5, SR * 2.5, SR) - 440)).toBeLessThan(15);

    // A linear ramp 0.4x → 0.6x: halfway through the source the rate is 0.5, so tape pitch is 220 Hz.
    const rampClip = clip('c', 'v1', 'bits', 0, 0.5, 2.5, { speed: speed({ keyframes: [{ at: 0, speed: 0.4, ease: 'linear' }, { at: 1, speed: 0.6, ease: 'linear' }] }) });
    const ramp = await exportOne('tone-ramp', rampClip);
    const y = await decodeMono(ramp.file, SR);
    const mid = Math.round((clipDuration(rampClip) / FLICKS_PER_SECOND) * SR * Math.log(1.25) / Math.log(1.5)); // output time where u = 0.5
    const hz = dominantHz(y, mid - SR / 8, mid + SR / 8, SR);
    console.log(`ramp 0.4→0.6x, resample: ${hz.toFixed(1)} Hz halfway (tape pitch 220 Hz); constant 0.5x: pitch kept`);
    expect(Math.abs(hz - 220)).toBeLessThan(20);

    const muted = await exportOne('tone-mute', { ...rampClip, effects: { ...rampClip.effects, speed: { ...rampClip.effects.speed!, rampAudio: 'mute' } } });
    const z = await decodeMono(muted.file, SR);
    expect(rms(z, SR / 2, SR * 3)).toBeLessThan(1e-3);
  }, 120_000);
});

describe('frame synthesis for slow motion', () => {
  it('blend and motion-interpolated keep the exact frame count', async () => {
    for (const frames of ['blend', 'motion'] as const) {
      const e = await exportOne(`synth-${frames}`, clip('c', 'v1', 'bits', 0, 0.5, 1.5, { speed: speed({ rate: 0.3, frames }) }));
      expectLength(e);
      // The picture still follows the map: the first and last frames are (close to) the span's ends.
      const table = outputFrameTable(discreteTiming(e.clip, SRC_FPS, FPS, SR));
      expect(Math.abs(decodeBlocks(e.lumas[0]!) - table[0]!)).toBeLessThanOrEqual(1);
    }
  }, 120_000);
});

describe('reverse and memory', () => {
  it('refuses, before encoding, a reversed span that would not fit in memory, and names the clip and a length that fits', async () => {
    const c = clip('c', 'v1', 'bits', 0, 0, 6, { speed: speed({ reverse: true }), loop: loop({ count: 2 }) });
    const state = project('rev-mem', [asset], [c]);
    const spans = reversedSpans(compileRenderPlan(state, { ...OUT, fit: 'fit' }), state);
    // One span per loop iteration, each 6 s × 24 fps of source-size yuv420p frames.
    const { width, height } = asset.probe;
    expect(spans.map((s) => s.bytes)).toEqual([144 * width! * height! * 1.5, 144 * width! * height! * 1.5]);
    const file = path.join(tmp.dir, 'out', 'rev-mem.mp4');
    const budget = spans[0]!.bytes / 3;
    const err = await runExport({ state, projectDir: tmp.dir, engine: await native(), presetId: '720p-draft', fit: 'fit', outPath: file, overwrite: true, reverseMemoryBudget: budget }).then(
      () => null,
      (e: unknown) => e as ShotlineError,
    );
    expect(err?.code).toBe('invalid_input');
    expect(err?.message).toMatch(/^Reversing "bits\.mp4" \(6\.0 s\) needs about \d+ MB of memory/);
    expect(err?.hint).toBe('Split the clip (S) and reverse pieces of at most 2 s each, or trim it shorter, then export again.');
    expect(fs.readdirSync(path.join(tmp.dir, 'out')).filter((f) => f.startsWith('rev-mem') || f.includes('partial'))).toEqual([]);
    // Within the budget it exports.
    await runExport({ state, projectDir: tmp.dir, engine: await native(), presetId: '720p-draft', fit: 'fit', outPath: file, overwrite: true, reverseMemoryBudget: spans[0]!.bytes });
    expect(fs.statSync(file).size).toBeGreaterThan(0);
  }, 120_000);
});
