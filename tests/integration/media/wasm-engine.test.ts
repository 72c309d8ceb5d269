// The wasm engine (@ffmpeg/core in worker threads): real encodes, file mapping, abort,
// and probing/peaks/filmstrips through it, checked with native ffprobe.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShotlineError } from '../../../app/errors.js';
import { FLICKS_PER_SECOND } from '../../../app/time/flicks.js';
import type { FfmpegProgress } from '../../../main/media/engine.js';
import { makeFilmstrip } from '../../../main/media/filmstrip.js';
import { computePeaks, type PeaksFile } from '../../../main/media/peaks.js';
import { probeMedia } from '../../../main/media/probe.js';
import { createWasmEngine, type WasmEngine } from '../../../main/media/wasm-engine.js';
import { ffmpeg as ffmpegCli, ffprobeJson, makeCorruptFile, makeTempDir, makeTestAudio, makeTestVideo, makeTruncatedVideo } from '../../helpers/media-fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
let engine: WasmEngine;
const f = (name: string) => path.join(dir, name);

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  engine = await createWasmEngine();
  await Promise.all([
    makeTestVideo({ path: f('src clip.mp4'), seconds: 1, width: 160, height: 120, fps: 25, withAudio: true }),
    makeTestAudio({ path: f('sine.wav'), seconds: 1, toneHz: 1000, amplitude: 0.5 }),
    makeCorruptFile(f('notes.mp4'), 'text'),
    makeTruncatedVideo({ path: f('cut.mp4'), faststart: true, width: 160, height: 120, withAudio: true }),
  ]);
}, 60_000);
afterAll(() => cleanup());

describe('wasm engine', () => {
  it('reports its version and lacks vid.stab', () => {
    expect(engine.kind).toBe('wasm');
    expect(engine.version).toMatch(/^\d+\.\d+/);
    expect(engine.hasFilter('vidstabdetect')).toBe(false);
    expect(engine.hasFilter('lut3d')).toBe(true);
    expect(engine.hasFilter('scale')).toBe(true);
    expect(engine.canPipeStdout).toBe(false);
  });

  it('encodes a 1 s 160x120 clip to H.264 mp4 from a real file, with progress', async () => {
    const out = f('wasm out.mp4');
    const events: FfmpegProgress[] = [];
    await engine.run({
      args: ['-i', f('src clip.mp4'), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', out],
      expectedDurationFlicks: FLICKS_PER_SECOND,
      onProgress: (p) => events.push(p),
    });
    const probe = await ffprobeJson(out);
    const video = probe.streams.find((s) => s.codec_type === 'video');
    expect(video).toMatchObject({ codec_name: 'h264', width: 160, height: 120 });
    expect(probe.streams.some((s) => s.codec_type === 'audio' && s.codec_name === 'aac')).toBe(true);
    expect(Number(probe.format.duration)).toBeCloseTo(1, 1);
    expect(events.length).toBeGreaterThan(0);
    for (let i = 1; i < events.length; i++) expect(events[i]!.outTimeFlicks).toBeGreaterThanOrEqual(events[i - 1]!.outTimeFlicks);
    expect(events.at(-1)!.fraction).toBeCloseTo(1, 1);
  });

  it('fails with ffmpeg_failed naming the real (not the in-memory) path', async () => {
    const err = (await engine.run({ args: ['-i', f('notes.mp4'), '-f', 'null', '-'] }).catch((e: unknown) => e)) as ShotlineError;
    expect(err).toBeInstanceOf(ShotlineError);
    expect(err.code).toBe('ffmpeg_failed');
    expect(err.message).toContain(f('notes.mp4'));
    expect(err.message).toMatch(/Invalid data found/);
    expect(err.message).toContain(`${f('notes.mp4')}: Invalid data found`);
    expect(err.message).not.toMatch(/\/in\/0\/|Aborted\(\)/);
  });

  it('reports a full disk when copying the output out fails with ENOSPC', async () => {
    await expect(engine.run({ args: ['-f', 'lavfi', '-i', 'testsrc2=size=160x120:duration=0.2', '-f', 'mpegts', '/dev/full'] })).rejects.toMatchObject({ code: 'disk_full', message: expect.stringContaining('/dev/full') });
  });

  it('refuses stdout streaming', async () => {
    await expect(engine.run({ args: ['-version'], onStdout: () => {} })).rejects.toMatchObject({ code: 'unsupported' });
  });

  it('abort terminates a long run promptly and rejects canceled', async () => {
    const ac = new AbortController();
    let started = false;
    const out = f('never.mp4');
    const run = engine.run({
      args: ['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30:duration=600', '-c:v', 'libx264', '-preset', 'medium', out],
      signal: ac.signal,
      onProgress: () => (started = true),
    });
    const deadline = Date.now() + 20_000;
    while (!started && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(started).toBe(true);
    const t0 = Date.now();
    ac.abort();
    await expect(run).rejects.toMatchObject({ code: 'canceled' });
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('media functions on the wasm engine', () => {
  it('probes through the ffmpeg -i log', async () => {
    const r = await probeMedia(f('src clip.mp4'), engine);
    expect(r).toMatchObject({ kind: 'video', probe: { width: 160, height: 120, fps: { num: 25, den: 1 }, hasAudio: true, videoCodec: 'h264' } });
    expect(Math.abs(r.probe.durationFlicks - FLICKS_PER_SECOND)).toBeLessThanOrEqual(FLICKS_PER_SECOND / 25);
  });

  it('rejects non-media and truncated files', async () => {
    await expect(probeMedia(f('notes.mp4'), engine)).rejects.toMatchObject({ code: 'media_unreadable' });
    await expect(probeMedia(f('cut.mp4'), engine)).rejects.toMatchObject({ code: 'media_unreadable' });
  });

  it('computes peaks through a temp file', async () => {
    const out = f('sine.peaks.json');
    const r = await computePeaks(engine, f('sine.wav'), out);
    expect(Math.abs(r.length - 100)).toBeLessThanOrEqual(1);
    const data = (JSON.parse(fs.readFileSync(out, 'utf8')) as PeaksFile).data;
    expect(Math.max(...data)).toBeGreaterThan(0.48);
    expect(Math.max(...data)).toBeLessThan(0.52);
  });

  it('makes a filmstrip', async () => {
    const { probe } = await probeMedia(f('src clip.mp4'), engine);
    const out = f('strip.jpg');
    const r = await makeFilmstrip(engine, f('src clip.mp4'), probe, out, { frames: 5, tileHeight: 48 });
    expect(r).toEqual({ frames: 5, tileWidth: 64, tileHeight: 48 });
    expect((await ffprobeJson(out)).streams[0]).toMatchObject({ width: 320, height: 48 });
  });

  it('a run stuck on a still that never decodes is stopped by the no-progress watchdog, naming the file', async () => {
    // A half-downloaded PNG under `-loop 1`: the image demuxer retries it forever at 0 %.
    await makeTestVideo({ path: f('whole.mp4'), seconds: 1, width: 160, height: 120 });
    await ffmpegCli(['-i', f('whole.mp4'), '-frames:v', '1', f('whole.png')]);
    fs.writeFileSync(f('half poster.png'), fs.readFileSync(f('whole.png')).subarray(0, 600));
    const t0 = Date.now();
    const err = await engine
      .run({ args: ['-loop', '1', '-i', f('half poster.png'), '-t', '5', '-c:v', 'libx264', '-preset', 'ultrafast', f('stuck.mp4')], stallTimeoutMs: 3000 })
      .then(() => null, (e: unknown) => e as ShotlineError);
    expect(err?.code).toBe('ffmpeg_failed');
    expect(err?.message).toMatch(/made no progress for 3 s reading "half poster\.png"/);
    // Stopped by the watchdog, not by a timeout of the test: well under a minute even on a busy machine.
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(fs.existsSync(f('stuck.mp4'))).toBe(false);
  }, 120_000);
});
