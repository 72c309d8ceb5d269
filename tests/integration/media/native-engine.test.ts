// The native engine against the real ffmpeg binary: discovery, progress, failures, abort.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShotlineError } from '../../../app/errors.js';
import { FLICKS_PER_SECOND } from '../../../app/time/flicks.js';
import type { FfmpegProgress } from '../../../main/media/engine.js';
import { createNativeEngine, findNativeFfmpeg, type NativeFfmpegEngine } from '../../../main/media/native-engine.js';
import { ffprobeJson, makeTempDir, makeTestVideo } from '../../helpers/media-fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
let engine: NativeFfmpegEngine;
let clip: string;

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  const found = await findNativeFfmpeg({});
  if (!found) throw new Error('these tests need ffmpeg on PATH');
  engine = await createNativeEngine(found);
  clip = await makeTestVideo({ path: path.join(dir, 'clip.mp4'), seconds: 2, withAudio: true });
});
afterAll(() => cleanup());

/** Errors are ShotlineErrors with a code; this pulls it out of a rejection. */
async function rejection(p: Promise<unknown>): Promise<ShotlineError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ShotlineError);
    return e as ShotlineError;
  }
  throw new Error('expected a rejection');
}

/** ffmpeg processes whose command line mentions `marker` (Linux /proc). */
function programOf(pid: number): string {
  try {
    return path.basename(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]!);
  } catch {
    return 'gone';
  }
}

function processesMentioning(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

describe('findNativeFfmpeg', () => {
  it('finds ffmpeg and ffprobe on PATH with a version', async () => {
    const found = await findNativeFfmpeg({});
    expect(found).toMatchObject({ source: 'path', ffmpeg: expect.stringMatching(/ffmpeg$/), ffprobe: expect.stringMatching(/ffprobe$/) });
    expect(found?.version).toMatch(/^\S+$/);
  });

  it('prefers the setting, then the bundled binary, and skips broken candidates', async () => {
    const system = (await findNativeFfmpeg({}))!;
    const resources = path.join(dir, 'resources');
    const bundled = path.join(resources, 'ffmpeg', `${process.platform}-${process.arch}`);
    fs.mkdirSync(bundled, { recursive: true });
    fs.symlinkSync(system.ffmpeg, path.join(bundled, 'ffmpeg'));
    const setting = path.join(dir, 'custom-ffmpeg');
    fs.symlinkSync(system.ffmpeg, setting);
    const notFfmpeg = path.join(dir, 'not-ffmpeg');
    fs.writeFileSync(notFfmpeg, '#!/bin/sh\necho hello\n', { mode: 0o755 });

    expect(await findNativeFfmpeg({ ffmpegPath: setting, resourcesDir: resources })).toMatchObject({ source: 'setting', ffmpeg: setting });
    expect(await findNativeFfmpeg({ ffmpegPath: notFfmpeg, resourcesDir: resources })).toMatchObject({ source: 'bundled', ffmpeg: path.join(bundled, 'ffmpeg') });
    expect(await findNativeFfmpeg({ ffmpegPath: path.join(dir, 'missing'), resourcesDir: path.join(dir, 'nothing-here') })).toMatchObject({ source: 'path' });
    expect(await findNativeFfmpeg({ ffmpegPath: notFfmpeg, envPath: dir })).toBeNull();
  });
});

describe('native engine', () => {
  it('knows its filters', () => {
    expect(engine.hasFilter('vidstabdetect')).toBe(true);
    expect(engine.hasFilter('lut3d')).toBe(true);
    expect(engine.hasFilter('no_such_filter')).toBe(false);
  });

  it('encodes with monotonic progress ending at fraction 1', async () => {
    const out = path.join(dir, 'progress out.mp4'); // a space: args are never shell-parsed
    const events: FfmpegProgress[] = [];
    await engine.run({
      args: ['-i', clip, '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', out],
      expectedDurationFlicks: 2 * FLICKS_PER_SECOND,
      onProgress: (p) => events.push(p),
    });
    expect(events.length).toBeGreaterThan(0);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.outTimeFlicks).toBeGreaterThanOrEqual(events[i - 1]!.outTimeFlicks);
      expect(events[i]!.fraction!).toBeGreaterThanOrEqual(events[i - 1]!.fraction!);
    }
    const last = events.at(-1)!;
    expect(last.fraction).toBeCloseTo(1, 2);
    expect(last.outTimeFlicks / FLICKS_PER_SECOND).toBeGreaterThan(1.9);
    const probe = await ffprobeJson(out);
    expect(Number(probe.format.duration)).toBeCloseTo(2, 1);
  });

  it('reports a failing run as ffmpeg_failed with the stderr tail', async () => {
    const err = await rejection(engine.run({ args: ['-i', clip, '-c:v', 'no_such_encoder', path.join(dir, 'x.mp4')] }));
    expect(err.code).toBe('ffmpeg_failed');
    expect(err.message).toContain('x.mp4');
    expect(err.message).toMatch(/Unknown encoder 'no_such_encoder'/);
    expect(err.hint).toBeTruthy();
  });

  it('reports a full disk as disk_full even though ffmpeg exits 0', async () => {
    // /dev/full fails every write with ENOSPC.
    const err = await rejection(engine.run({ args: ['-f', 'lavfi', '-i', 'testsrc2=size=160x120:duration=1', '-f', 'mpegts', '/dev/full'] }));
    expect(err.code).toBe('disk_full');
    expect(err.message).toContain('/dev/full');
    expect(err.hint).toMatch(/free some disk space or choose another folder/i);
  });

  it('reports a missing binary as ffmpeg_failed naming it', async () => {
    const broken = await createNativeEngine({ ffmpeg: path.join(dir, 'nope', 'ffmpeg'), ffprobe: null, version: 'x' });
    const err = await rejection(broken.run({ args: ['-version'] }));
    expect(err.code).toBe('ffmpeg_failed');
    expect(err.message).toContain(path.join(dir, 'nope', 'ffmpeg'));
  });

  it('streams stdout and still reports progress', async () => {
    let bytes = 0;
    const events: FfmpegProgress[] = [];
    await engine.run({
      args: ['-i', clip, '-vn', '-ac', '1', '-ar', '8000', '-f', 'f32le', 'pipe:1'],
      expectedDurationFlicks: 2 * FLICKS_PER_SECOND,
      onStdout: (c) => (bytes += c.length),
      onProgress: (p) => events.push(p),
    });
    expect(bytes).toBeGreaterThanOrEqual(2 * 8000 * 4 * 0.98);
    expect(bytes % 4).toBe(0);
    expect(events.at(-1)?.fraction).toBe(1);
  });

  it('abort kills a long run within ~2 s, rejects canceled and leaves no process', async () => {
    const marker = `abort-marker-${process.pid}-${Date.now()}`;
    const out = path.join(dir, `${marker}.mp4`);
    const ac = new AbortController();
    let started = false;
    const run = engine.run({
      // Ten minutes of 720p encoding: far longer than the test.
      args: ['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30:duration=600', '-c:v', 'libx264', '-preset', 'medium', out],
      signal: ac.signal,
      onProgress: () => (started = true),
    });
    const deadline = Date.now() + 10_000;
    while (!started && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(started).toBe(true);
    // ffmpeg itself and the sleeping watcher that kills it if we die (media/supervised.ts).
    expect(processesMentioning(marker).map(programOf).sort()).toEqual(['ffmpeg', 'sh']);
    const t0 = Date.now();
    ac.abort();
    const err = await rejection(run);
    const took = Date.now() - t0;
    expect(err.code).toBe('canceled');
    expect(took).toBeLessThan(2_500);
    expect(processesMentioning(marker)).toEqual([]);
  });

  it('escalates to SIGKILL when the process ignores SIGTERM', async () => {
    // A stand-in "ffmpeg" that ignores SIGTERM (the disposition survives exec) and never ends.
    const stubborn = path.join(dir, 'stubborn-ffmpeg');
    fs.writeFileSync(stubborn, `#!/bin/sh\ncase "$*" in *-filters*) echo Filters:; exit 0;; esac\ntrap '' TERM\nexec sleep 60\n`, { mode: 0o755 });
    const stub = await createNativeEngine({ ffmpeg: stubborn, ffprobe: null, version: 'stub' });
    const ac = new AbortController();
    const run = stub.run({ args: ['-i', 'x', 'y'], signal: ac.signal });
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    ac.abort();
    const err = await rejection(run);
    const took = Date.now() - t0;
    expect(err.code).toBe('canceled');
    expect(took).toBeGreaterThanOrEqual(1_900);
    expect(took).toBeLessThan(3_000);
    expect(processesMentioning(stubborn)).toEqual([]);
  });

  it('rejects at once when already aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    expect((await rejection(engine.run({ args: ['-version'], signal: ac.signal }))).code).toBe('canceled');
  });
});
