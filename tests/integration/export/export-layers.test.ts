/**
 * Layers and tracks: an image on an upper video track composited over the base for just
 * its span (letterbox padding transparent), an audio-track clip mixed in at its start,
 * a muted track left out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport } from '../../../main/export/run-export.js';
import { ffmpeg, ffprobeJson, makeTempDir, makeTestAudio, makeTestVideo } from '../../helpers/media-fixtures.js';
import { assetFor, clip, decodeMono, goertzel, native, project, rgbOfFrame } from './helpers.js';

const W = 1280;
const H = 720;
const SR = 48000;
let tmp: { dir: string; cleanup: () => Promise<void> };
let out: string;
let samples: Float32Array;

// Base: 320x240 video with a 440 Hz tone, 0–2 s. V2: a red 100x200 still, 0.5–1.5 s.
// A1: 2000 Hz tone at 1.0–2.0 s. A2 (muted): 3000 Hz tone, 0–2 s.
beforeAll(async () => {
  tmp = await makeTempDir('shotline-export-layers-');
  const media = path.join(tmp.dir, 'media');
  fs.mkdirSync(media);
  await Promise.all([
    makeTestVideo({ path: path.join(media, 'base.mp4'), seconds: 2, width: 320, height: 240, fps: 30, toneHz: 440, withAudio: true }),
    ffmpeg(['-f', 'lavfi', '-i', 'color=c=red:s=100x200', '-frames:v', '1', '-update', '1', path.join(media, 'red.png')]),
    makeTestAudio({ path: path.join(media, 'music.wav'), seconds: 2, toneHz: 2000 }),
    makeTestAudio({ path: path.join(media, 'muted.wav'), seconds: 2, toneHz: 3000 }),
  ]);
  const assets = await Promise.all(
    ['base.mp4', 'red.png', 'music.wav', 'muted.wav'].map((f) => assetFor(tmp.dir, f.split('.')[0]!, `media/${f}`)),
  );
  expect(assets.map((a) => a.kind)).toEqual(['video', 'image', 'audio', 'audio']);
  const state = project(
    'Layers',
    assets,
    [clip('b', 'v1', 'base', 0, 0, 2), clip('r', 'v2', 'red', 0.5, 0, 1), clip('m', 'a1', 'music', 1, 0, 1), clip('x', 'a2', 'muted', 0, 0, 2)],
    [
      { id: 'v2', kind: 'video', index: 1, name: 'V2', muted: false },
      { id: 'a2', kind: 'audio', index: 1, name: 'A2', muted: true },
    ],
  );
  out = path.join(tmp.dir, 'layers.mp4');
  await runExport({ state, projectDir: tmp.dir, engine: await native(), presetId: '720p-draft', fit: 'fit', outPath: out, overwrite: false });
  samples = await decodeMono(out, SR);
}, 120_000);

afterAll(async () => {
  await tmp?.cleanup();
});

function pixel(rgb: Uint8Array, x: number, y: number): [number, number, number] {
  const i = (y * W + x) * 3;
  return [rgb[i]!, rgb[i + 1]!, rgb[i + 2]!];
}

const isRed = ([r, g, b]: [number, number, number]) => r > 200 && g < 60 && b < 60;
const isBlack = ([r, g, b]: [number, number, number]) => r < 30 && g < 30 && b < 30;

describe('layers and tracks', () => {
  it('shows the overlay only during its span, centred, with the base visible around it', async () => {
    // Base 4:3 in 16:9: pillarboxed to x 160..1120. Red 1:2 still: 360 wide at x 460..820.
    const [before, during, after] = await Promise.all([rgbOfFrame(out, 10), rgbOfFrame(out, 30), rgbOfFrame(out, 50)]);
    expect(isRed(pixel(before, 640, 360))).toBe(false);
    expect(isRed(pixel(during, 640, 360))).toBe(true);
    expect(isRed(pixel(during, 470, 100))).toBe(true);
    // Transparent padding: the base shows beside the overlay, and the base's own black bars stay black.
    // (x 1000 is in testsrc2's cyan/magenta bars; its left bar is red, so avoid that side.)
    expect(isRed(pixel(during, 1000, 360))).toBe(false);
    expect(isBlack(pixel(during, 1000, 360))).toBe(false);
    expect(isBlack(pixel(during, 60, 360))).toBe(true);
    expect(isRed(pixel(after, 640, 360))).toBe(false);
    // The last overlay frame is 44 and the first base-only frame 45.
    const [last, next] = await Promise.all([rgbOfFrame(out, 44), rgbOfFrame(out, 45)]);
    expect(isRed(pixel(last, 640, 360))).toBe(true);
    expect(isRed(pixel(next, 640, 360))).toBe(false);
  });

  it('mixes the audio-track clip in at its start and leaves the muted track out', () => {
    const at = (sec: number) => Math.round(sec * SR);
    const level = (hz: number, a: number, b: number) => Math.sqrt(goertzel(samples, at(a), at(b), hz, SR));
    const base = level(440, 0.2, 0.8);
    expect(base).toBeGreaterThan(0.05);
    // 2000 Hz absent before 1.0 s, present after.
    expect(level(2000, 0.2, 0.8)).toBeLessThan(base * 0.02);
    expect(level(2000, 1.2, 1.8)).toBeGreaterThan(base * 0.5);
    // The muted 3000 Hz track never sounds.
    expect(level(3000, 0.1, 1.9)).toBeLessThan(base * 0.02);
  });
});

describe('a source shorter than its probe said', () => {
  it('holds the last frame for the rest of the clip and keeps the timeline length', async () => {
    const media = path.join(tmp.dir, 'media');
    await makeTestVideo({ path: path.join(media, 'short.mp4'), seconds: 1, width: 320, height: 240, fps: 30, withAudio: true });
    const asset = await assetFor(tmp.dir, 'short', 'media/short.mp4');
    // Claim 2 s (probe durations are estimates; some files end early).
    asset.probe = { ...asset.probe, durationFlicks: 2 * 705_600_000 };
    const state = project('Short', [asset], [clip('c', 'v1', 'short', 0, 0, 2)]);
    const outShort = path.join(tmp.dir, 'short-out.mp4');
    await runExport({ state, projectDir: tmp.dir, engine: await native(), presetId: '720p-draft', fit: 'fit', outPath: outShort, overwrite: false });
    const probe = await ffprobeJson(outShort);
    const v = probe.streams.find((x) => x.codec_type === 'video')!;
    expect(Number(v.nb_frames)).toBe(60);
    expect(Math.abs(Number(probe.format.duration) - 2)).toBeLessThanOrEqual(1 / 30);
    // Frames 40 and 59 are both the source's last frame.
    const [a, b] = await Promise.all([rgbOfFrame(outShort, 40), rgbOfFrame(outShort, 59)]);
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff += Math.abs(a[i]! - b[i]!);
    expect(diff / a.length).toBeLessThan(2);
  });
});
