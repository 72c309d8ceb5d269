/**
 * Seamless loops end to end through the services (in-process client, real ffmpeg, real
 * SQLite): the 'analyze' job finds the planted loop point of a figure-eight clip, the result
 * is cached per asset + settings, applying it and exporting gives seams no rougher than the
 * clip's own motion, and speed/loop effects and the analysis survive closing and reopening.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import type { Job } from '../../../app/jobs/types.js';
import type { Clip } from '../../../app/model/types.js';
import { clipsOnTrack, tracksOfKind } from '../../../app/timeline/query.js';
import { flicksPerFrame } from '../../../app/time/flicks.js';
import { presetKeyframes } from '../../../app/timing/curve.js';
import { DEFAULT_SPEED } from '../../../app/model/timing.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { makeFigureEightVideo, meanAbsDiff, median, tinyGrayFrames } from '../../helpers/timing-fixtures.js';

const CROSS_A = 10;
const HALF = 75; // the dot passes the centre again at frame 85
const FRAME = flicksPerFrame({ num: 30, den: 1 });

let tmp: string;
let services: ShotlineServices;
let api: ShotlineClient;
let projectDir: string;
let clip: Clip;

async function waitJob(id: string): Promise<Job> {
  for (;;) {
    const j = (await api.call('jobs.list', {})).find((x) => x.id === id)!;
    if (['succeeded', 'failed', 'canceled'].includes(j.state)) return j;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function snapshot() {
  return (await api.call('project.snapshot', {})).state;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-loop-'));
  services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home') });
  api = inProcessClient(services);
  projectDir = path.join(tmp, 'film');
  await api.call('project.create', { dir: projectDir, name: 'Loops', settings: { width: 640, height: 360 } });
  const file = await makeFigureEightVideo({ path: path.join(tmp, 'eight.mp4'), frames: 96, fps: 30, crossA: CROSS_A, halfPeriod: HALF });
  const imported = await api.call('assets.import', { files: [{ path: file }] });
  const asset = imported.imported[0]!;
  const st = await snapshot();
  const v1 = tracksOfKind(st, 'video')[0]!;
  await api.call('edit.apply', { command: 'clip.add', args: { trackId: v1.id, assetId: asset.id, startFlicks: 0 } });
  clip = clipsOnTrack(await snapshot(), v1.id)[0]!;
}, 120_000);

afterAll(async () => {
  await services.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function exportFrames(name: string): Promise<Uint8Array[]> {
  const out = path.join(tmp, 'out', `${name}.mp4`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const job = await api.call('export.start', { preset: '720p-draft', outPath: out, overwrite: true });
  const done = await waitJob(job.id);
  expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
  return tinyGrayFrames(out);
}

describe('seamless loop', () => {
  let found: { startFrame: number; endFrame: number; seamDifference: number; medianFrameDifference: number };

  it('the analyze job finds the planted loop point within a frame, then serves it from the cache', async () => {
    const t0 = performance.now();
    const first = await api.call('analysis.loopPoint', { clipId: clip.id, windowFrames: 24 });
    expect(first.result).toBeNull();
    expect(first.job!.kind).toBe('analyze');
    const done = await waitJob(first.job!.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const ms = performance.now() - t0;
    const asset = (await snapshot()).assets[clip.assetId]!;
    const rec = asset.derivatives.loopPoints![first.key]!;
    found = rec;
    console.log(`loop point: frames [${rec.startFrame}, ${rec.endFrame}) (planted [${CROSS_A}, ${CROSS_A + HALF})), seam difference ${rec.seamDifference.toFixed(2)} vs median frame step ${rec.medianFrameDifference.toFixed(2)}, ${ms.toFixed(0)} ms`);
    expect(Math.abs(rec.startFrame - CROSS_A)).toBeLessThanOrEqual(1);
    expect(Math.abs(rec.endFrame - (CROSS_A + HALF))).toBeLessThanOrEqual(1);
    expect(rec.seamDifference).toBeLessThan(rec.medianFrameDifference);

    const again = await api.call('analysis.loopPoint', { clipId: clip.id, windowFrames: 24 });
    expect(again.job).toBeNull();
    expect(again.result).toEqual(rec);
    // Other settings are another analysis.
    const other = await api.call('analysis.loopPoint', { clipId: clip.id, windowFrames: 12 });
    expect(other.key).not.toBe(first.key);
    if (other.job) await waitJob(other.job.id);
  });

  it('the exported loop has no seam rougher than twice the clip’s median frame difference', async () => {
    await api.call('edit.apply', { command: 'clip.applyLoopPoint', args: { clipId: clip.id, startFrame: found.startFrame, endFrame: found.endFrame } });
    await api.call('edit.apply', { command: 'clip.setLoop', args: { clipId: clip.id, loop: { mode: 'count', count: 3, fillFlicks: 0, crossfadeFlicks: 0 } } });
    const frames = await exportFrames('seamless');
    const period = found.endFrame - found.startFrame;
    expect(frames.length).toBe(3 * period);
    const steps = frames.slice(1).map((f, i) => meanAbsDiff(frames[i]!, f));
    const med = median(steps);
    const seams = [period, 2 * period].map((f) => meanAbsDiff(frames[f - 1]!, frames[f]!));
    console.log(`seamless export: median step ${med.toFixed(2)}, seams ${seams.map((x) => x.toFixed(2)).join(', ')}, max step ${Math.max(...steps).toFixed(2)}`);
    for (const d of steps) expect(d).toBeLessThanOrEqual(2 * med);

    // The same clip looped from its first to its last frame jumps visibly at the seam.
    await api.call('edit.apply', { command: 'clip.applyLoopPoint', args: { clipId: clip.id, startFrame: 0, endFrame: 96 } });
    const naive = await exportFrames('naive');
    const nSteps = naive.slice(1).map((f, i) => meanAbsDiff(naive[i]!, f));
    const naiveSeam = meanAbsDiff(naive[95]!, naive[96]!);
    console.log(`naive loop seam ${naiveSeam.toFixed(2)} vs median ${median(nSteps).toFixed(2)}`);
    expect(naiveSeam).toBeGreaterThan(2 * median(nSteps));

    // A 6-frame crossfade spreads that jump over the dissolve.
    await api.call('edit.apply', { command: 'clip.applyLoopPoint', args: { clipId: clip.id, startFrame: 0, endFrame: 96, crossfadeFlicks: 6 * FRAME } });
    const faded = await exportFrames('crossfaded');
    expect(faded.length).toBe(3 * 96 - 2 * 6);
    const fSteps = faded.slice(1).map((f, i) => meanAbsDiff(faded[i]!, f));
    console.log(`naive loop with a 6-frame crossfade: largest step ${Math.max(...fSteps).toFixed(2)}`);
    expect(Math.max(...fSteps)).toBeLessThan(naiveSeam / 2);
  }, 180_000);

  it('speed and loop effects and the analysis survive closing and reopening the project', async () => {
    const speed = { ...DEFAULT_SPEED, keyframes: presetKeyframes('hero'), reverse: true, frames: 'blend' as const };
    await api.call('edit.apply', { command: 'clip.setSpeed', args: { clipId: clip.id, speed } });
    const before = await snapshot();
    await api.call('project.close', {});
    const reopened = await api.call('project.open', { dir: projectDir });
    const c = reopened.state.clips[clip.id]!;
    expect(c.effects.speed).toEqual(speed);
    expect(c.effects.loop).toEqual(before.clips[clip.id]!.effects.loop);
    expect(c).toEqual(before.clips[clip.id]);
    expect(reopened.state.assets[clip.assetId]!.derivatives.loopPoints).toEqual(before.assets[clip.assetId]!.derivatives.loopPoints);
    // Undo history survived too: the speed change is the last edit.
    expect(reopened.history.undoLabel).toBe('Change speed');
  });
});
