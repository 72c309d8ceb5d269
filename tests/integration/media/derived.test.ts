// Filmstrips, waveform peaks and content hashes, measured independently with ffprobe/ffmpeg.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLICKS_PER_SECOND } from '../../../app/time/flicks.js';
import type { FfmpegEngine } from '../../../main/media/engine.js';
import { makeFilmstrip } from '../../../main/media/filmstrip.js';
import { sha256File } from '../../../main/media/hash.js';
import { createNativeEngine, findNativeFfmpeg } from '../../../main/media/native-engine.js';
import { computePeaks, type PeaksFile } from '../../../main/media/peaks.js';
import { probeMedia } from '../../../main/media/probe.js';
import { ffmpeg, ffprobeJson, makeTempDir, makeTestAudio, makeTestImage, makeTestVideo } from '../../helpers/media-fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
let engine: FfmpegEngine;
const f = (name: string) => path.join(dir, name);

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  const found = await findNativeFfmpeg({});
  if (!found) throw new Error('these tests need ffmpeg on PATH');
  engine = await createNativeEngine(found);
  await Promise.all([
    makeTestVideo({ path: f('clip.mp4'), seconds: 2, fps: 30, withAudio: true, toneHz: 1000, amplitude: 0.5 }),
    makeTestVideo({ path: f('short.mp4'), seconds: 0.3, fps: '30000/1001' }),
    makeTestVideo({ path: f('portrait.mp4'), seconds: 1, width: 144, height: 256 }),
    makeTestImage({ path: f('still.png') }),
    makeTestAudio({ path: f('sine.wav'), seconds: 2, toneHz: 1000, amplitude: 0.5 }),
    makeTestAudio({ path: f('silence.wav'), seconds: 1, amplitude: 0 }),
  ]);
}, 60_000);
afterAll(() => cleanup());

/** Mean luma (0..255) of tile `i` of a strip, measured by ffmpeg's signalstats. */
async function tileLuma(jpg: string, i: number, w: number, h: number): Promise<number> {
  const out = await ffmpeg(['-i', jpg, '-vf', `crop=${w}:${h}:${i * w}:0,signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=-`, '-f', 'null', '-']);
  const m = /lavfi\.signalstats\.YAVG=([\d.]+)/.exec(out);
  if (!m) throw new Error(`no YAVG in: ${out}`);
  return Number(m[1]);
}

describe('makeFilmstrip', () => {
  it.each([
    ['a 2 s landscape clip', 'clip.mp4', 10, 72, 96],
    ['a 0.3 s clip with fewer frames than tiles', 'short.mp4', 10, 72, 96],
    ['a portrait clip', 'portrait.mp4', 6, 64, 36],
    ['a still image', 'still.png', 4, 72, 96],
  ])('makes one sprite of evenly sized tiles for %s', async (_what, name, frames, tileHeight, tileWidth) => {
    const { probe } = await probeMedia(f(name), engine);
    const out = f(`${name}.strip.jpg`);
    const r = await makeFilmstrip(engine, f(name), probe, out, { frames, tileHeight });
    expect(r).toEqual({ frames, tileWidth, tileHeight });
    const [stream] = (await ffprobeJson(out)).streams;
    expect(stream).toMatchObject({ codec_name: 'mjpeg', width: frames * tileWidth, height: tileHeight });
    // testsrc2 is bright everywhere: a black (unfilled) tile would read ~16.
    expect(await tileLuma(out, 0, tileWidth, tileHeight)).toBeGreaterThan(50);
    expect(await tileLuma(out, frames - 1, tileWidth, tileHeight)).toBeGreaterThan(50);
    expect(fs.readdirSync(dir).filter((n) => n.includes('.partial-'))).toEqual([]);
  });

  it('refuses audio-only assets', async () => {
    const { probe } = await probeMedia(f('sine.wav'), engine);
    await expect(makeFilmstrip(engine, f('sine.wav'), probe, f('x.jpg'))).rejects.toMatchObject({ code: 'unsupported' });
  });
});

describe('computePeaks', () => {
  const read = (p: string) => JSON.parse(fs.readFileSync(p, 'utf8')) as PeaksFile;

  it('a 1 kHz sine at amplitude 0.5 peaks at ±0.5', async () => {
    const out = f('sine.peaks.json');
    const r = await computePeaks(engine, f('sine.wav'), out, { durationFlicks: 2 * FLICKS_PER_SECOND });
    const file = read(out);
    expect(r).toEqual({ peaksPerSecond: 100, length: file.length });
    expect(file.data.length).toBe(2 * file.length);
    expect(Math.abs(file.length - 200)).toBeLessThanOrEqual(1);
    const maxes = file.data.filter((_, i) => i % 2 === 1);
    const mins = file.data.filter((_, i) => i % 2 === 0);
    // Every 10 ms bucket holds 10 full cycles, so every bucket reaches the amplitude.
    for (const m of maxes.slice(1, -1)) expect(m).toBeCloseTo(0.5, 1);
    expect(Math.max(...maxes)).toBeGreaterThan(0.48);
    expect(Math.max(...maxes)).toBeLessThan(0.52);
    expect(Math.min(...mins)).toBeLessThan(-0.48);
    expect(Math.min(...mins)).toBeGreaterThan(-0.52);
    expect(file.data.every((v) => Math.round(v * 1000) / 1000 === v)).toBe(true);
  });

  it('silence is ~0 everywhere, at the requested resolution', async () => {
    const out = f('silence.peaks.json');
    const r = await computePeaks(engine, f('silence.wav'), out, { peaksPerSecond: 50 });
    expect(r.peaksPerSecond).toBe(50);
    expect(Math.abs(r.length - 50)).toBeLessThanOrEqual(1);
    expect(read(out).data.every((v) => Math.abs(v) < 0.001)).toBe(true);
  });

  it('reads the audio of a video file', async () => {
    const out = f('clip.peaks.json');
    const r = await computePeaks(engine, f('clip.mp4'), out, {});
    expect(Math.abs(r.length - 200)).toBeLessThanOrEqual(2);
    expect(Math.max(...read(out).data)).toBeGreaterThan(0.45);
  });

  it('a video without audio gives an empty waveform, not an error', async () => {
    const out = f('mute.peaks.json');
    expect(await computePeaks(engine, f('portrait.mp4'), out)).toEqual({ peaksPerSecond: 100, length: 0 });
    expect(read(out)).toEqual({ peaksPerSecond: 100, length: 0, data: [] });
  });

  it('an unreadable input fails with ffmpeg_failed and writes nothing', async () => {
    fs.writeFileSync(f('junk.wav'), 'not audio');
    await expect(computePeaks(engine, f('junk.wav'), f('junk.peaks.json'))).rejects.toMatchObject({ code: 'ffmpeg_failed' });
    expect(fs.existsSync(f('junk.peaks.json'))).toBe(false);
  });
});

describe('sha256File', () => {
  it('matches a one-shot hash and the known empty-input digest', async () => {
    const bytes = fs.readFileSync(f('clip.mp4'));
    expect(await sha256File(f('clip.mp4'))).toBe(createHash('sha256').update(bytes).digest('hex'));
    fs.writeFileSync(f('empty'), '');
    expect(await sha256File(f('empty'))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
