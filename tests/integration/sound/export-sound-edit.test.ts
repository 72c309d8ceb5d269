/**
 * Sound editing, measured in what export makes with real ffmpeg:
 *  - the export's audio graph equals an independent sample-domain mix of the sources (J/L
 *    cuts, gaps, volume keyframes, crossfades, pan, mute/solo) to float precision, sample for
 *    sample, so every cut lands on its sample;
 *  - the exported MP4 (AAC) has each sound at its place (best lag 0) and each level where
 *    the keyframes put it; a segmented export (many inputs) gives the same sound as one pass;
 *  - crossfades: correlated material (the same recording either side of a cut) sums without a
 *    dip over 1 dB with the equal-gain curve 'auto' picks for it; equal-power on the same
 *    material would bulge ~3 dB (why it is not used there); uncorrelated noise crossfaded
 *    equal-power stays level.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute } from '../../../app/commands/engine.js';
import { applyPatch } from '../../../app/commands/patch.js';
import type { CommandName } from '../../../app/commands/registry.js';
import { findPreset } from '../../../app/export/presets.js';
import type { ProjectState } from '../../../app/model/types.js';
import { inputsAndGraph } from '../../../app/render/ffmpeg-args.js';
import { compileRenderPlan } from '../../../app/render/plan.js';
import { splitRenderPlan } from '../../../app/render/segments.js';
import { checkInvariants } from '../../../app/timeline/invariants.js';
import { clipsOnTrack, tracksOfKind } from '../../../app/timeline/query.js';
import { runExport } from '../../../main/export/run-export.js';
import { makeTempDir } from '../../helpers/media-fixtures.js';
import { counterIds } from '../../helpers/state.js';
import { assetFor, native, project, s } from '../export/helpers.js';
import { at, bestLag, correlation, dB, decodeStereo, graphAudio, maxAbsDiff, noiseVideo, referenceMix, rmsOf, toneWav, whiteNoiseWav, type Stereo } from './mix-reference.js';

const ids = counterIds();
function edit(st: ProjectState, command: CommandName, args: unknown): ProjectState {
  const next = applyPatch(st, execute(st, command, args, ids).entry.patch);
  expect(checkInvariants(next)).toEqual([]);
  return next;
}
const PRESET = findPreset('720p-draft')!;

let tmp: { dir: string; cleanup: () => Promise<void> };
const sources: Record<string, Stereo> = {};
let base: ProjectState;

beforeAll(async () => {
  tmp = await makeTempDir('shotline-sound-edit-');
  fs.mkdirSync(path.join(tmp.dir, 'media'));
  const files: [string, () => Promise<void>][] = [
    ['na.mov', () => noiseVideo(path.join(tmp.dir, 'media/na.mov'), 11, 4)],
    ['nb.mov', () => noiseVideo(path.join(tmp.dir, 'media/nb.mov'), 22, 4)],
    ['nc.mov', () => noiseVideo(path.join(tmp.dir, 'media/nc.mov'), 33, 4)],
    ['sine.wav', () => toneWav(path.join(tmp.dir, 'media/sine.wav'), 1000, 0.25, 6)],
    ['t440.wav', () => toneWav(path.join(tmp.dir, 'media/t440.wav'), 440, 0.2, 2)],
    ['t1000.wav', () => toneWav(path.join(tmp.dir, 'media/t1000.wav'), 1000, 0.2, 2)],
    ['t1600.wav', () => toneWav(path.join(tmp.dir, 'media/t1600.wav'), 1600, 0.2, 2)],
    ['t2200.wav', () => toneWav(path.join(tmp.dir, 'media/t2200.wav'), 2200, 0.2, 2)],
    ['wa.wav', () => whiteNoiseWav(path.join(tmp.dir, 'media/wa.wav'), 5, 4)],
    ['wb.wav', () => whiteNoiseWav(path.join(tmp.dir, 'media/wb.wav'), 6, 4)],
  ];
  for (const [, make] of files) await make();
  const assets = await Promise.all(files.map(([name]) => assetFor(tmp.dir, name.replace(/\..*$/, ''), `media/${name}`)));
  for (const a of assets) sources[a.id] = await decodeStereo(path.join(tmp.dir, a.path));
  base = project('Sound', assets, []);
}, 240_000);

afterAll(async () => {
  await tmp?.cleanup();
});

/** The plan's own graph run by ffmpeg to PCM, and the reference mix of the same state. */
async function graphVsReference(st: ProjectState): Promise<{ got: Stereo; want: Stereo }> {
  const plan = compileRenderPlan(st, { width: PRESET.width, height: PRESET.height, fit: 'fit' });
  const g = inputsAndGraph(plan, PRESET, { resolvePath: (p) => path.join(tmp.dir, p) });
  return { got: await graphAudio(g.args, g.audioOut, g.videoOut), want: referenceMix(st, sources) };
}

async function exportTo(st: ProjectState, name: string, maxInputsPerRun?: number): Promise<Stereo> {
  const out = path.join(tmp.dir, name);
  await runExport({ state: st, projectDir: tmp.dir, engine: await native(), presetId: PRESET.id, fit: 'fit', outPath: out, overwrite: true, ...(maxInputsPerRun ? { maxInputsPerRun } : {}) });
  return decodeStereo(out);
}

describe('J and L cuts, keyframes and a crossfade in one timeline', () => {
  let st: ProjectState;
  beforeAll(() => {
    st = base;
    // Three pictures with sound, butted: A [0,2) src 0…2, B [2,4) src 1…3, C [4,6) src 1…3.
    st = edit(st, 'clip.add', { trackId: 'v1', assetId: 'na', startFlicks: 0, inFlicks: 0, outFlicks: s(2) });
    st = edit(st, 'clip.add', { trackId: 'v1', assetId: 'nb', startFlicks: s(2), inFlicks: s(1), outFlicks: s(3) });
    st = edit(st, 'clip.add', { trackId: 'v1', assetId: 'nc', startFlicks: s(4), inFlicks: s(1), outFlicks: s(3) });
    const [a, b, c] = clipsOnTrack(st, 'a1');
    // L cut: A's sound runs 0.5 s under B's picture (B's sound starts late).
    st = edit(st, 'clip.trim', { clipId: b!.id, edge: 'in', toFlicks: s(2.5), alone: true });
    st = edit(st, 'clip.trim', { clipId: a!.id, edge: 'out', toFlicks: s(2.5), alone: true });
    // J cut: C's sound starts 0.25 s before its picture.
    st = edit(st, 'clip.trim', { clipId: b!.id, edge: 'out', toFlicks: s(3.75), alone: true });
    st = edit(st, 'clip.trim', { clipId: c!.id, edge: 'in', toFlicks: s(3.75), alone: true });
    // After a gap: D [6.5, 8.5) and E [8.5, 10), their sounds crossfaded 0.4 s (different media: equal power),
    // D's sound with a rubber band rising from 0.5 to 1.5 across its middle.
    st = edit(st, 'clip.add', { trackId: 'v1', assetId: 'na', startFlicks: s(6.5), inFlicks: s(1), outFlicks: s(3) });
    st = edit(st, 'clip.add', { trackId: 'v1', assetId: 'nb', startFlicks: s(8.5), inFlicks: s(1), outFlicks: s(2.5) });
    const [, , , d, e] = clipsOnTrack(st, 'a1');
    st = edit(st, 'clip.setGainKeyframes', { clipId: d!.id, keyframes: [{ sourceFlicks: s(1.5), gain: 0.5 }, { sourceFlicks: s(2.5), gain: 1.5 }] });
    st = edit(st, 'clip.crossfade', { clipId: e!.id, durationFlicks: s(0.4) });
  });

  it('the graph’s sound equals the sample-domain mix to float precision, sample for sample', async () => {
    const { got, want } = await graphVsReference(st);
    expect(got.l.length).toBe(at(10));
    expect(maxAbsDiff(got.l, want.l).max).toBeLessThan(2e-5);
    expect(maxAbsDiff(got.r, want.r).max).toBeLessThan(2e-5);
    // The cuts really are where the model says: A's sound one sample past 2.5 s would differ by a whole noise sample.
    const aSrc = sources.na!.l;
    expect(got.l[at(2.5) - 1]).toBeCloseTo(aSrc[at(2.5) - 1]!, 5);
    expect(got.l[at(2.5)]).toBeCloseTo(sources.nb!.l[at(2.5) - at(1)]!, 5);
    expect(got.l[at(3.75)]).toBeCloseTo(sources.nc!.l[at(0.75)]!, 5);
    expect(got.l[at(3.75) - 1]).toBeCloseTo(sources.nb!.l[at(2.75) - 1]!, 5);
  }, 120_000);

  it('the MP4 holds each sound at its sample (best lag 0) and levels where the keyframes put them; segmented = one pass', async () => {
    const want = referenceMix(st, sources);
    const single = await exportTo(st, 'jl.mp4');
    // The AAC decoder hands out whole 1,024-sample frames; the file's own duration is the timeline's.
    expect(single.l.length).toBeGreaterThanOrEqual(at(10));
    expect(single.l.length).toBeLessThan(at(10) + 1024);
    for (const [from, to] of [[0.1, 1.9], [2.05, 2.45], [2.55, 3.7], [3.8, 3.95], [4.1, 5.9], [6.6, 8.2], [8.8, 9.9]] as const) {
      expect(bestLag(single.l, want.l, at(from), at(to), 40)).toBe(0);
      expect(correlation(single.l, want.l, at(from), at(to))).toBeGreaterThan(0.9);
    }
    // The L cut: under B's picture (2.0–2.5 s) it is A's sound, not B's.
    expect(correlation(single.l, sources.na!.l, at(2.05), at(2.45))).toBeGreaterThan(0.9);
    // Keyframed gain on D (source 1.5 → 2.5 s is timeline 7.0 → 8.0 s): 0.5 → 1.0 → 1.5 of the source level.
    const srcLevel = (t: number) => rmsOf(sources.na!.l, at(t - 6.5 + 1 - 0.05), at(t - 6.5 + 1 + 0.05));
    for (const [t, g] of [[6.8, 0.5], [7.5, 1.0], [8.05, 1.5]] as const)
      expect(Math.abs(dB(rmsOf(single.l, at(t - 0.05), at(t + 0.05)) / (g * srcLevel(t))))).toBeLessThan(0.5);
    // Segmented: this timeline splits into 2 runs at 4 inputs a run, and sounds the same.
    const plan = compileRenderPlan(st, { width: PRESET.width, height: PRESET.height, fit: 'fit' });
    expect(splitRenderPlan(plan, { maxInputs: 4 }).length).toBeGreaterThan(1);
    const seg = await exportTo(st, 'jl-seg.mp4', 4);
    expect(seg.l.length).toBe(single.l.length);
    expect(maxAbsDiff(seg.l, single.l).max).toBeLessThan(1e-3);
  }, 240_000);
});

describe('keyframed gain on a sine, measured at known times', () => {
  it('follows the rubber band (including above 1×) in the graph exactly and in the MP4 within 0.25 dB', async () => {
    let st = edit(base, 'clip.add', { assetId: 'sine', startFlicks: 0, inFlicks: 0, outFlicks: s(5) });
    const clip = clipsOnTrack(st, 'a1')[0]!;
    st = edit(st, 'clip.setGainKeyframes', { clipId: clip.id, keyframes: [{ sourceFlicks: s(1), gain: 1 }, { sourceFlicks: s(2), gain: 0.25 }, { sourceFlicks: s(3.5), gain: 3 }] });
    const { got, want } = await graphVsReference(st);
    expect(maxAbsDiff(got.l, want.l).max).toBeLessThan(2e-5);
    const mp4 = await exportTo(st, 'kf.mp4');
    const sineRms = 0.25 / Math.SQRT2;
    // Piecewise linear in amplitude: held 1 before 1 s; 0.625 at 1.5 s; 0.25 at 2 s; 1.625 at 2.75 s; 3 from 3.5 s.
    for (const [t, g] of [[0.5, 1], [1.5, 0.625], [2.0, 0.25], [2.75, 1.625], [4.2, 3]] as const) {
      const level = rmsOf(mp4.l, at(t - 0.01), at(t + 0.01));
      expect(Math.abs(dB(level / (g * sineRms)))).toBeLessThan(0.25);
    }
  }, 180_000);
});

describe('mute, solo and pan', () => {
  it('muted and unsoloed tracks are silent; pan follows the StereoPanner law, in the graph and the MP4', async () => {
    let st = base;
    for (const id of ['t440', 't1000', 't1600', 't2200']) st = edit(st, 'clip.add', { assetId: id, startFlicks: 0 });
    const [a1, a2, a3] = tracksOfKind(st, 'audio');
    st = edit(st, 'track.update', { trackId: a1!.id, muted: true, solo: true });
    st = edit(st, 'track.update', { trackId: a2!.id, solo: true, pan: -1, volume: 0.5 });
    st = edit(st, 'track.update', { trackId: a3!.id, solo: true, pan: 0.5 });
    const { got, want } = await graphVsReference(st);
    expect(maxAbsDiff(got.l, want.l).max).toBeLessThan(2e-5);
    expect(maxAbsDiff(got.r, want.r).max).toBeLessThan(2e-5);
    const mp4 = await exportTo(st, 'pan.mp4');
    const tone = (x: Float32Array, hz: number) => {
      // Amplitude of one tone by projection on sin/cos over a whole number of periods (0.5 s).
      const [from, to] = [at(0.5), at(1.0)];
      let sn = 0;
      let cs = 0;
      for (let i = from; i < to; i++) {
        sn += x[i]! * Math.sin((2 * Math.PI * hz * i) / 48000);
        cs += x[i]! * Math.cos((2 * Math.PI * hz * i) / 48000);
      }
      return (2 * Math.hypot(sn, cs)) / (to - from);
    };
    // A2 (0.5× fader, hard left): L = 0.5·(l + r) = 0.2, R = 0. A3 (pan +0.5): L = cos(π/4)·0.2, R = (1 + sin(π/4))·0.2.
    expect(tone(mp4.l, 1000)).toBeCloseTo(0.2, 1);
    expect(tone(mp4.r, 1000)).toBeLessThan(0.002);
    expect(tone(mp4.l, 1600) / 0.2).toBeCloseTo(Math.SQRT1_2, 1);
    expect(tone(mp4.r, 1600) / 0.2).toBeCloseTo(1 + Math.SQRT1_2, 1);
    // A1 is muted (its solo does not bring it back); A4 is not soloed.
    for (const hz of [440, 2200]) expect(Math.max(tone(mp4.l, hz), tone(mp4.r, hz))).toBeLessThan(0.002);
  }, 180_000);
});

describe('crossfades on correlated and uncorrelated material', () => {
  /** Level in 10 ms windows across [from, to) s, in dB against `ref`. */
  const levels = (x: Float32Array, from: number, to: number, ref: number) => {
    const out: number[] = [];
    for (let t = from; t < to - 0.01; t += 0.01) out.push(dB(rmsOf(x, at(t), at(t + 0.01)) / ref));
    return out;
  };

  it('the same recording either side of a cut sums without a dip (equal gain); equal power would bulge', async () => {
    // One sine, split at 2 s, the two halves crossfaded over 1 s from their handles.
    let st = edit(base, 'clip.add', { trackId: 'a1', assetId: 'sine', startFlicks: 0, inFlicks: 0, outFlicks: s(4) });
    st = edit(st, 'clip.split', { clipId: clipsOnTrack(st, 'a1')[0]!.id, atFlicks: s(2) });
    const right = clipsOnTrack(st, 'a1')[1]!;
    st = edit(st, 'clip.crossfade', { clipId: right.id, durationFlicks: s(1) });
    const { got, want } = await graphVsReference(st);
    expect(maxAbsDiff(got.l, want.l).max).toBeLessThan(2e-5);
    const mp4 = await exportTo(st, 'xf-correlated.mp4');
    const ref = 0.25 / Math.SQRT2;
    const across = levels(mp4.l, 1.3, 2.7, ref);
    console.log(`correlated crossfade (equal gain), 10 ms windows: ${Math.min(...across).toFixed(2)} … ${Math.max(...across).toFixed(2)} dB`);
    expect(Math.min(...across)).toBeGreaterThan(-1);
    expect(Math.max(...across)).toBeLessThan(1);
    // Equal power on the same material: +3 dB in the middle of the fade.
    const ep = edit(st, 'clip.crossfade', { clipId: right.id, durationFlicks: s(1), curve: 'equal-power' });
    const bulge = await graphVsReference(ep);
    const bulgeDb = dB(rmsOf(bulge.got.l, at(1.99), at(2.01)) / ref);
    console.log(`same crossfade forced to equal power: ${bulgeDb.toFixed(2)} dB mid-fade`);
    expect(bulgeDb).toBeGreaterThan(2.5);
  }, 180_000);

  it('two different noises crossfaded equal-power keep their level through the fade', async () => {
    // White noise: steady level in short windows (pink noise's low end makes 50 ms windows swing by decibels).
    let st = edit(base, 'clip.add', { trackId: 'a1', assetId: 'wa', startFlicks: 0, inFlicks: 0, outFlicks: s(2) });
    st = edit(st, 'clip.add', { trackId: 'a1', assetId: 'wb', startFlicks: s(2), inFlicks: s(1), outFlicks: s(3) });
    st = edit(st, 'clip.crossfade', { clipId: clipsOnTrack(st, 'a1')[1]!.id, durationFlicks: s(1) });
    const mp4 = await exportTo(st, 'xf-noise.mp4');
    // The reference level is the export's own before the fade (AAC drops the top of the band).
    const ref = rmsOf(mp4.l, at(0.2), at(1.2));
    // 50 ms windows: the noise's own level varies about ±0.3 dB window to window.
    const across: number[] = [];
    for (let t = 1.5; t < 2.5; t += 0.05) across.push(dB(rmsOf(mp4.l, at(t), at(t + 0.05)) / ref));
    console.log(`uncorrelated crossfade (equal power), 50 ms windows: ${Math.min(...across).toFixed(2)} … ${Math.max(...across).toFixed(2)} dB`);
    expect(Math.min(...across)).toBeGreaterThan(-1);
    expect(Math.max(...across)).toBeLessThan(1);
  }, 180_000);
});
