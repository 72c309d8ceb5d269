// probeMedia on real generated files, through ffprobe and through the `ffmpeg -i` fallback.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShotlineError } from '../../../app/errors.js';
import { flicksPerFrame, FLICKS_PER_SECOND } from '../../../app/time/flicks.js';
import type { FfmpegEngine } from '../../../main/media/engine.js';
import { createNativeEngine, findNativeFfmpeg } from '../../../main/media/native-engine.js';
import { probeColorTags, probeMedia, type ProbeResult } from '../../../main/media/probe.js';
import { ffmpeg, makeCorruptFile, makeTempDir, makeTestAudio, makeTestImage, makeTestVideo, makeTruncatedVideo } from '../../helpers/media-fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
let withProbe: FfmpegEngine;
/** The same native ffmpeg with ffprobe hidden: exercises the `ffmpeg -i` log parser against real output. */
let withoutProbe: FfmpegEngine;
const f = (name: string) => path.join(dir, name);

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  const found = await findNativeFfmpeg({});
  if (!found) throw new Error('these tests need ffmpeg on PATH');
  withProbe = await createNativeEngine(found);
  withoutProbe = await createNativeEngine({ ...found, ffprobe: null });
  await Promise.all([
    makeTestVideo({ path: f('ntsc.mp4'), seconds: 2, fps: '30000/1001', withAudio: true }),
    makeTestVideo({ path: f('silent25.mov'), seconds: 1, width: 256, height: 144, fps: 25 }),
    makeTestAudio({ path: f('tone.wav'), seconds: 1.5, sampleRate: 44100, channels: 2 }),
    makeTestAudio({ path: f('tone.mp3'), seconds: 1 }),
    makeTestImage({ path: f('still.png'), width: 200, height: 100 }),
    makeTestImage({ path: f('still.jpg') }),
    makeTestImage({ path: f('still.webp') }),
    makeCorruptFile(f('notes.mp4'), 'text'),
    makeCorruptFile(f('empty.mp4'), 'zero'),
    makeCorruptFile(f('noise.mov'), 'random'),
    makeTruncatedVideo({ path: f('cut-moov-at-end.mp4'), faststart: false, withAudio: true }),
    makeTruncatedVideo({ path: f('cut-faststart.mp4'), faststart: true, withAudio: true }),
  ]);
}, 60_000);
afterAll(() => cleanup());

async function unreadable(file: string, engine: FfmpegEngine): Promise<ShotlineError> {
  try {
    await probeMedia(file, engine);
  } catch (e) {
    expect(e).toBeInstanceOf(ShotlineError);
    return e as ShotlineError;
  }
  throw new Error(`expected ${file} to be rejected`);
}

const ENGINES = [
  ['ffprobe', () => withProbe],
  ['ffmpeg -i fallback', () => withoutProbe],
] as const;

describe.each(ENGINES)('probeMedia via %s', (_name, engine) => {
  it('reads a 29.97 fps clip with audio exactly', async () => {
    const r = await probeMedia(f('ntsc.mp4'), engine());
    expect(r.kind).toBe('video');
    expect(r.ext).toBe('mp4');
    const p = r.probe;
    expect(p.fps).toEqual({ num: 30000, den: 1001 });
    expect(Number.isInteger(p.durationFlicks)).toBe(true);
    expect(Math.abs(p.durationFlicks - 2 * FLICKS_PER_SECOND)).toBeLessThanOrEqual(flicksPerFrame(p.fps!));
    expect(p).toMatchObject({ hasVideo: true, hasAudio: true, width: 320, height: 240, videoCodec: 'h264', audioCodec: 'aac', sampleRate: 48000, channels: 1 });
  });

  it('reads a 25 fps clip without audio', async () => {
    const r = await probeMedia(f('silent25.mov'), engine());
    expect(r).toMatchObject({ kind: 'video', ext: 'mov', probe: { hasVideo: true, hasAudio: false, width: 256, height: 144, fps: { num: 25, den: 1 } } });
    expect(Math.abs(r.probe.durationFlicks - FLICKS_PER_SECOND)).toBeLessThanOrEqual(flicksPerFrame({ num: 25, den: 1 }));
    expect(r.probe.audioCodec).toBeUndefined();
  });

  it('reads audio files', async () => {
    const wav = await probeMedia(f('tone.wav'), engine());
    expect(wav).toMatchObject({ kind: 'audio', ext: 'wav', probe: { hasVideo: false, hasAudio: true, audioCodec: 'pcm_s16le', sampleRate: 44100, channels: 2 } });
    expect(Math.abs(wav.probe.durationFlicks - 1.5 * FLICKS_PER_SECOND)).toBeLessThan(0.02 * FLICKS_PER_SECOND);
    expect(wav.probe.width).toBeUndefined();
    const mp3 = await probeMedia(f('tone.mp3'), engine());
    expect(mp3).toMatchObject({ kind: 'audio', probe: { audioCodec: 'mp3', hasVideo: false } });
  });

  it('reads still images as images with zero duration', async () => {
    const expectImage = (r: ProbeResult, codec: string, w: number, h: number) =>
      expect(r).toMatchObject({ kind: 'image', probe: { durationFlicks: 0, hasVideo: true, hasAudio: false, width: w, height: h, videoCodec: codec } });
    expectImage(await probeMedia(f('still.png'), engine()), 'png', 200, 100);
    expectImage(await probeMedia(f('still.jpg'), engine()), 'mjpeg', 320, 240);
    expectImage(await probeMedia(f('still.webp'), engine()), 'webp', 320, 240);
  });

  it.each([
    ['a text file named .mp4', 'notes.mp4'],
    ['a zero-byte file', 'empty.mp4'],
    ['random bytes', 'noise.mov'],
    ['a truncated mp4 with its moov at the end', 'cut-moov-at-end.mp4'],
    ['a truncated faststart mp4 (index intact, data cut)', 'cut-faststart.mp4'],
  ])('rejects %s as media_unreadable naming the file', async (_what, name) => {
    const err = await unreadable(f(name), engine());
    expect(err.code).toBe('media_unreadable');
    expect(err.message).toContain(name);
    expect(err.hint).toMatch(/not a video, audio or image file that ffmpeg can read, or it is damaged/);
  });
});

describe('probeMedia edge cases', () => {
  it('says not_found for a missing file', async () => {
    await expect(probeMedia(f('missing.mp4'), withProbe)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('the faststart truncation is caught by the tail decode, not by the probe itself', async () => {
    const r = await probeMedia(f('cut-faststart.mp4'), withProbe, { decodeCheck: false });
    expect(r.kind).toBe('video');
  });

  it('records the colour tags of a video at import (untagged: nulls; without ffprobe: unknown)', async () => {
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=0.4', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv', f('tagged709.mp4')]);
    const tagged = await probeMedia(f('tagged709.mp4'), withProbe);
    expect(tagged.probe.color).toEqual({ matrix: 'bt709', primaries: 'bt709', transfer: 'bt709', range: 'tv' });
    expect(await probeColorTags(f('tagged709.mp4'), withProbe)).toEqual(tagged.probe.color);
    const plain = await probeMedia(f('silent25.mov'), withProbe);
    expect(plain.probe.color).toMatchObject({ matrix: null, primaries: null, transfer: null });
    expect((await probeMedia(f('tagged709.mp4'), withoutProbe)).probe.color).toBeUndefined();
    expect(await probeColorTags(f('tagged709.mp4'), withoutProbe)).toBeNull();
    expect((await probeMedia(f('still.png'), withProbe)).probe.color).toBeUndefined();
  });

  it('selects an engine itself when none is given', async () => {
    expect((await probeMedia(f('still.png'))).kind).toBe('image');
  });
});
