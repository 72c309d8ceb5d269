/**
 * What comes out of an export, measured independently: container and streams (ffprobe),
 * picture (PSNR against plain ffmpeg doing the same scale/pad on the source frame), sound
 * (tones, levels and silence from decoded samples).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportProgress } from '../../../main/export/run-export.js';
import { runExport } from '../../../main/export/run-export.js';
import { conformPlacement } from '../../../app/render/geometry.js';
import type { ProjectState } from '../../../app/model/types.js';
import { FFPROBE, ffprobeJson, makeTempDir, makeTestVideo, type FfprobeOutput } from '../../helpers/media-fixtures.js';
import { assetFor, clip, decodeMono, dominantHz, lumaOfFrame, native, partialsIn, project, psnrAgainstSource, rms, SD_TO_709 } from './helpers.js';

const FPS = 30;
const SR = 48000;
const FRAME = 1 / FPS;

// Timeline (seconds):   0 ── clip 1 ── 1.5  gap  2.0 ── clip 2 ── 4.0
//   clip 1: src1 (320x240, 440 Hz) from 0.5 s, fade in 0.2 s
//   clip 2: src2 (640x360, 1000 Hz) from 0.4 s, volume 0.5, fade out 0.3 s
const C1 = { start: 0, in: 0.5, out: 2.0 };
const C2 = { start: 2.0, in: 0.4, out: 2.4 };
const END = 4.0;

let tmp: { dir: string; cleanup: () => Promise<void> };
let state: ProjectState;
let outPath: string;
let probe: FfprobeOutput;
let samples: Float32Array;
let progress: ExportProgress[] = [];
let result: Awaited<ReturnType<typeof runExport>>;

beforeAll(async () => {
  tmp = await makeTempDir('shotline-export-media-');
  const media = path.join(tmp.dir, 'media');
  fs.mkdirSync(media);
  await Promise.all([
    makeTestVideo({ path: path.join(media, 'src1.mp4'), seconds: 2.5, width: 320, height: 240, fps: FPS, toneHz: 440, withAudio: true }),
    makeTestVideo({ path: path.join(media, 'src2.mp4'), seconds: 3, width: 640, height: 360, fps: FPS, toneHz: 1000, withAudio: true }),
  ]);
  const [a1, a2] = await Promise.all([assetFor(tmp.dir, 'src1', 'media/src1.mp4'), assetFor(tmp.dir, 'src2', 'media/src2.mp4')]);
  state = project('Two Tones', [a1, a2], [
    clip('c1', 'v1', 'src1', C1.start, C1.in, C1.out, { fadeInFlicks: 0.2 * 705_600_000 }),
    clip('c2', 'v1', 'src2', C2.start, C2.in, C2.out, { volume: 0.5, fadeOutFlicks: 0.3 * 705_600_000 }),
  ]);
  outPath = path.join(tmp.dir, 'out', 'vertical.mp4');
  fs.mkdirSync(path.dirname(outPath));
  result = await runExport({
    state,
    projectDir: tmp.dir,
    engine: await native(),
    presetId: 'vertical-1080',
    fit: 'fit',
    outPath,
    overwrite: false,
    onProgress: (p) => progress.push(p),
  });
  [probe, samples] = await Promise.all([ffprobeJson(outPath), decodeMono(outPath, SR)]);
}, 120_000);

afterAll(async () => {
  await tmp?.cleanup();
  progress = [];
});

describe('export of two trimmed clips to the vertical preset', () => {
  it('writes H.264 + AAC at 1080x1920 for exactly the timeline duration', () => {
    expect(result).toMatchObject({ outPath, durationFlicks: END * 705_600_000 });
    expect(result.bytes).toBe(fs.statSync(outPath).size);
    const v = probe.streams.find((x) => x.codec_type === 'video')!;
    const a = probe.streams.find((x) => x.codec_type === 'audio')!;
    expect(v).toMatchObject({ codec_name: 'h264', width: 1080, height: 1920, r_frame_rate: '30/1' });
    expect(v as unknown).toMatchObject({ profile: 'High', pix_fmt: 'yuv420p', sample_aspect_ratio: '1:1' });
    expect(a).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
    expect(Number(v.nb_frames)).toBe(END * FPS);
    for (const d of [probe.format.duration, v.duration, a.duration]) expect(Math.abs(Number(d) - END)).toBeLessThanOrEqual(FRAME);
    expect(partialsIn(path.dirname(outPath))).toEqual([]);
  });

  it('carries the title and a provenance comment', async () => {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(FFPROBE, ['-v', 'error', '-show_entries', 'format_tags', '-of', 'json', outPath], (e, out) => (e ? reject(e) : resolve(out))),
    );
    const tags = (JSON.parse(stdout) as { format: { tags: Record<string, string> } }).format.tags;
    expect(tags.title).toBe('Two Tones');
    expect(tags.comment).toContain('Made with Shotline');
    expect(tags.comment).toContain('src1.mp4');
  });

  it('reported monotonic progress ending at 1', () => {
    expect(progress.length).toBeGreaterThan(1);
    const fractions = progress.map((p) => p.fraction);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]!).toBeGreaterThanOrEqual(fractions[i - 1]!);
    expect(fractions.at(-1)).toBe(1);
    expect(progress.slice(0, -1).every((p) => p.fraction < 1)).toBe(true);
  });

  it('shows the right source frame in the middle of clip 2 (PSNR against plain ffmpeg ≥ 35 dB)', async () => {
    const t = 3.0; // timeline time, 1.0 s into clip 2
    const outFrame = Math.round(t * FPS);
    const srcFrame = Math.round((C2.in + (t - C2.start)) * FPS);
    const src = path.join(tmp.dir, 'media/src2.mp4');
    const letterbox = `${SD_TO_709}scale=1080:1920:force_original_aspect_ratio=decrease:force_divisible_by=2,setsar=1,pad=1080:1920:(ow-iw)/2:(oh-ih)/2:color=black`;
    const right = await psnrAgainstSource(outPath, outFrame, src, srcFrame, letterbox);
    console.log(`PSNR mid clip 2: ${right.toFixed(2)} dB`);
    expect(right).toBeGreaterThanOrEqual(35);
    // A frame a few away must score clearly worse, or the check would not catch a slip.
    const wrong = await psnrAgainstSource(outPath, outFrame, src, srcFrame + 3, letterbox);
    console.log(`PSNR against a frame 3 away: ${wrong.toFixed(2)} dB`);
    expect(wrong).toBeLessThan(right - 3);
  });

  it('letterboxes where conformPlacement says (what the preview draws)', async () => {
    const place = conformPlacement({ width: 640, height: 360 }, { width: 1080, height: 1920 }, 'fit');
    const y = await lumaOfFrame(outPath, 90);
    const row = (r: number) => y.subarray(r * 1080, (r + 1) * 1080);
    const mean = (a: Uint8Array) => a.reduce((acc, v) => acc + v, 0) / a.length;
    expect(mean(row(place.y - 4))).toBeLessThan(20);
    expect(mean(row(place.y + 4))).toBeGreaterThan(40);
    expect(mean(row(place.y + place.scaledHeight - 4))).toBeGreaterThan(40);
    expect(mean(row(place.y + place.scaledHeight + 4))).toBeLessThan(20);
  });

  it('plays each clip’s own tone in its range, at its volume, with its fades', () => {
    const at = (sec: number) => Math.round(sec * SR);
    // Interiors, clear of fades and codec transients at the cuts.
    expect(dominantHz(samples, at(0.4), at(1.3))).toBeCloseTo(440, -1);
    expect(dominantHz(samples, at(2.2), at(3.5))).toBeCloseTo(1000, -1);
    const level1 = rms(samples, at(0.4), at(1.3));
    const level2 = rms(samples, at(2.2), at(3.5));
    expect(level1).toBeGreaterThan(0.1);
    expect(level2 / level1).toBeGreaterThan(0.45);
    expect(level2 / level1).toBeLessThan(0.55);
    // Fade in over the first 0.2 s: the first 50 ms is far quieter than the body.
    expect(rms(samples, at(0.0), at(0.05))).toBeLessThan(level1 * 0.35);
    // Fade out over the last 0.3 s: the last 50 ms is far quieter than the body of clip 2.
    expect(rms(samples, at(END - 0.05), at(END))).toBeLessThan(level2 * 0.25);
  });

  it('keeps the gap silent and black', async () => {
    const at = (sec: number) => Math.round(sec * SR);
    expect(rms(samples, at(1.6), at(1.9))).toBeLessThan(0.003);
    const y = await lumaOfFrame(outPath, Math.round(1.75 * FPS));
    expect(y.length).toBe(1080 * 1920);
    let sum = 0;
    let max = 0;
    for (const v of y) {
      sum += v;
      max = Math.max(max, v);
    }
    expect(max).toBeLessThanOrEqual(20);
    expect(sum / y.length).toBeLessThan(20);
  });

  it('starts clip 2 on its frame: the cut lands exactly at 2.0 s', async () => {
    // Last gap frame is black; the first frame of clip 2 is the source frame at its in point.
    const before = await lumaOfFrame(outPath, 59);
    const mean = (a: Uint8Array) => a.reduce((acc, v) => acc + v, 0) / a.length;
    expect(mean(before)).toBeLessThan(20);
    const src = path.join(tmp.dir, 'media/src2.mp4');
    const letterbox = `${SD_TO_709}scale=1080:1920:force_original_aspect_ratio=decrease:force_divisible_by=2,setsar=1,pad=1080:1920:(ow-iw)/2:(oh-ih)/2:color=black`;
    expect(await psnrAgainstSource(outPath, 60, src, Math.round(C2.in * FPS), letterbox)).toBeGreaterThanOrEqual(35);
  });
});
