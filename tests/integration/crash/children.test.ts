/**
 * ffmpeg dies with Shotline (issue 8, item 9). A real `shotline studio` (and `shotline
 * generate`) is SIGKILLed while one of its ffmpeg/ffprobe children runs, for each job kind
 * that runs one: import (ffprobe), waveform peaks, filmstrip, stabilize analysis, export, and
 * the local generation's encode. After a short grace nothing started for the project may remain.
 *
 * The child is frozen (SIGSTOP) the moment it is seen, just before Shotline is killed: it then
 * stands for an ffmpeg with a long way to go, whatever the machine's load (the generation
 * encode and a probe are over in a fraction of a second otherwise). A SIGKILL still ends a
 * stopped process, so only a supervisor that actually kills it passes; before media/supervised.ts
 * every one of these stayed behind.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../../app/jobs/types.js';
import type { ProjectSnapshot } from '../../../app/api/contract.js';
import { makeTestVideo } from '../../helpers/media-fixtures.js';
import { ROOT, startStudio, type StudioProcess } from '../../helpers/studio-process.js';
import { PACK_DIR, SHIPPED_MODELS } from '../generation/find-pack.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-children-'));
const home = path.join(tmp, 'home');
const dir = path.join(tmp, 'film');
const clip = path.join(tmp, 'long.mp4');
const clip2 = path.join(tmp, 'other.mp4');
// Scratch folders (generation encode) land under the test's folder, so every child mentions it.
const env = { TMPDIR: tmp, SHOTLINE_ORT_THREADS: '1' };

interface Proc {
  pid: number;
  ppid: number;
  state: string;
  argv: string[];
}

function proc(pid: number): Proc | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return { pid, state: rest[0]!, ppid: Number(rest[1]), argv };
  } catch {
    return null; // gone while we looked
  }
}

function allProcs(): Proc[] {
  return fs
    .readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map((n) => proc(Number(n)))
    .filter((p): p is Proc => p !== null);
}

/** Live (not zombie) processes whose command line mentions this test's folder. */
const leftovers = () => allProcs().filter((p) => !/[ZX]/.test(p.state) && p.pid !== process.pid && p.argv.some((a) => a.includes(tmp)));

const isMedia = (p: Proc) => /^ff(mpeg|probe)$/.test(path.basename(p.argv[0] ?? ''));

/** Waits for a child ffmpeg/ffprobe of `parent` whose arguments satisfy `match`, polling /proc. */
async function childRunning(parent: ChildProcess, match: (argv: string[]) => boolean, limitMs: number, what: string): Promise<Proc> {
  const t0 = Date.now();
  while (Date.now() - t0 < limitMs) {
    const found = allProcs().find((p) => p.ppid === parent.pid && isMedia(p) && match(p.argv) && !/[ZX]/.test(p.state));
    if (found) return found;
    if (parent.exitCode !== null) throw new Error(`shotline exited before running ${what}`);
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`no ${what} ffmpeg seen within ${limitMs} ms`);
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((r) => (child.exitCode !== null || child.signalCode ? r() : child.once('exit', () => r())));
}

/** Freeze the child, SIGKILL Shotline, and expect nothing of it left after a short grace. */
const started: ChildProcess[] = [];

async function killDuring(shotline: ChildProcess, match: (argv: string[]) => boolean, what: string, limitMs = 120_000): Promise<void> {
  started.push(shotline);
  const victim = await childRunning(shotline, match, limitMs, what);
  process.kill(victim.pid, 'SIGSTOP');
  shotline.kill('SIGKILL');
  await exited(shotline);
  let left = leftovers();
  for (let i = 0; i < 60 && left.length; i++) {
    await new Promise((r) => setTimeout(r, 50));
    left = leftovers();
  }
  // Reported by program and arguments so a failure says which child survived.
  expect(left.map((p) => p.argv.slice(0, 4).join(' ')), `${what}: still running 3 s after Shotline was killed`).toEqual([]);
}

beforeAll(async () => {
  // Long enough that no job finishes while the test looks for its ffmpeg.
  await makeTestVideo({ path: clip, seconds: 20, width: 640, height: 360, withAudio: true });
  await makeTestVideo({ path: clip2, seconds: 20, width: 640, height: 360, withAudio: true, toneHz: 660 });
}, 120_000);

afterEach(() => {
  // A failed step leaves its studio running, and (on a broken build) frozen children.
  for (const s of started.splice(0)) if (s.exitCode === null && !s.signalCode) s.kill('SIGKILL');
  killLeftovers();
});

function killLeftovers() {
  for (const p of leftovers()) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** The id of a video clip on the timeline, importing and placing one when there is none. */
async function clipOnTimeline(studio: StudioProcess): Promise<string> {
  let snap = await studio.ok<ProjectSnapshot>('project.snapshot');
  if (!Object.values(snap.state.assets).some((a) => a.kind === 'video')) await studio.ok('assets.import', { files: [{ path: clip }] });
  snap = await studio.ok<ProjectSnapshot>('project.snapshot');
  const existing = Object.keys(snap.state.clips)[0];
  if (existing) return existing;
  const asset = Object.values(snap.state.assets).find((a) => a.kind === 'video')!;
  const v1 = Object.values(snap.state.tracks).find((t) => t.kind === 'video')!;
  await studio.ok('edit.apply', { command: 'clip.add', args: { trackId: v1.id, assetId: asset.id, startFlicks: 0 } });
  return Object.keys((await studio.ok<ProjectSnapshot>('project.snapshot')).state.clips)[0]!;
}

afterAll(() => {
  killLeftovers();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('ffmpeg children die with Shotline (SIGKILL)', () => {
  it('import (ffprobe)', async () => {
    const studio = await startStudio({ project: dir, home, env });
    const importing = studio.call('assets.import', { files: [{ path: clip }] }).catch(() => null);
    await killDuring(studio.child, (a) => a.some((x) => x.includes(tmp)), 'import probe');
    await importing;
  }, 180_000);

  it('waveform peaks and filmstrip', async () => {
    // Both run after each import, in either order: the first one seen is caught; a second
    // file's import then brings the other (queued jobs also resume on open).
    const peaks = (a: string[]) => a.includes('f32le');
    const filmstrip = (a: string[]) => a.some((x) => x.includes('tile='));
    let studio = await startStudio({ project: dir, home, env });
    await studio.ok('assets.import', { files: [{ path: clip }] });
    const first = await childRunning(studio.child, (a) => peaks(a) || filmstrip(a), 120_000, 'peaks or filmstrip');
    const firstWasPeaks = peaks(first.argv);
    await killDuring(studio.child, firstWasPeaks ? peaks : filmstrip, firstWasPeaks ? 'peaks' : 'filmstrip');
    studio = await startStudio({ project: dir, home, env });
    await studio.ok('assets.import', { files: [{ path: clip2 }] });
    await killDuring(studio.child, firstWasPeaks ? filmstrip : peaks, firstWasPeaks ? 'filmstrip' : 'peaks');
  }, 300_000);

  it('stabilize analysis', async () => {
    const studio = await startStudio({ project: dir, home, env });
    const clipId = await clipOnTimeline(studio);
    await studio.ok<Job>('stabilize.analyze', { clipId });
    await killDuring(studio.child, (a) => a.some((x) => x.includes('vidstabdetect')), 'stabilize analysis');
  }, 300_000);

  it('export', async () => {
    const studio = await startStudio({ project: dir, home, env });
    await clipOnTimeline(studio);
    const out = path.join(tmp, 'film.mp4');
    await studio.ok<Job>('export.start', { preset: '720p-draft', outPath: out });
    await killDuring(studio.child, (a) => a.some((x) => x.includes('shotline-partial')), 'export');
    expect(fs.existsSync(out)).toBe(false);
  }, 300_000);

  it.skipIf(!PACK_DIR)('the local generation encode (`shotline generate`)', async () => {
    const models = PACK_DIR && !PACK_DIR.startsWith(SHIPPED_MODELS) ? { SHOTLINE_MODELS_DIR: path.dirname(PACK_DIR) } : {};
    const gen = spawn(process.execPath, [path.join(ROOT, 'bin/shotline.mjs'), 'generate', '--prompt', 'a red ball', '--seed', '3', '--out', path.join(tmp, 'gen.mp4')], {
      env: { ...process.env, SHOTLINE_HOME: home, ...env, ...models },
      stdio: 'ignore',
    });
    await killDuring(gen, (a) => a.some((x) => x.endsWith('frames.rgb')), 'generation encode');
    expect(fs.existsSync(path.join(tmp, 'gen.mp4'))).toBe(false);
  }, 300_000);
});
