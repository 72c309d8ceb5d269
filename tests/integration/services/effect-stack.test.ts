/**
 * All editing tools on one clip at once, through the real services: stabilize + grade with
 * an imported .cube + constant speed + loop. The export must have exactly the frames the
 * render plan (the time map) predicts, the stabilize analysis must have run, and every
 * effect must survive closing and reopening the project.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import type { Job } from '../../../app/jobs/types.js';
import { findPreset } from '../../../app/export/presets.js';
import { compileRenderPlan } from '../../../app/render/plan.js';
import { FLICKS_PER_SECOND } from '../../../app/time/flicks.js';
import { timelineDuration, tracksOfKind } from '../../../app/timeline/query.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { randomGrade, tealOrangeCube } from '../../helpers/color.js';
import { makeShakyVideo } from '../../helpers/shaky-video.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-stack-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function waitJob(api: ShotlineClient, id: string): Promise<Job> {
  for (;;) {
    const j = (await api.call('jobs.list', {})).find((x) => x.id === id)!;
    if (['succeeded', 'failed', 'canceled'].includes(j.state)) return j;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('full effect stack', () => {
  it('stabilize + LUT grade + 1.5× speed + 2× loop export exactly as planned, and survive reopening', async () => {
    const home = path.join(tmp, 'home');
    const dir = path.join(tmp, 'film');
    let services = await ShotlineServices.create({ transport: 'in-process', userDataDir: home });
    let api = inProcessClient(services);
    await api.call('project.create', { dir, name: 'Stack', settings: { width: 640, height: 360 } });
    const shaky = await makeShakyVideo({ path: path.join(tmp, 'shaky.mp4'), width: 320, height: 180, seconds: 2, withAudio: true, seed: 3 });
    const imported = await api.call('assets.import', { files: [{ path: shaky.path }] });
    const asset = imported.imported[0]!;
    const cubeFile = path.join(tmp, 'teal-orange.cube');
    fs.writeFileSync(cubeFile, tealOrangeCube(17));
    const lut = await api.call('color.importLut', { file: { path: cubeFile } });

    let snap = await api.call('project.snapshot', {});
    const v1 = tracksOfKind(snap.state, 'video')[0]!;
    await api.call('edit.apply', { command: 'clip.add', args: { trackId: v1.id, assetId: asset.id, startFlicks: 0 } });
    snap = await api.call('project.snapshot', {});
    const clipId = Object.keys(snap.state.clips)[0]!;
    const grade = randomGrade(11, lut);
    const edits = [
      { command: 'clip.setStabilize', args: { clipId, stabilize: { enabled: true } } },
      { command: 'clip.setGrade', args: { clipId, grade } },
      { command: 'clip.setSpeed', args: { clipId, speed: { rate: 1.5, keyframes: [], reverse: false, frames: 'nearest', rampAudio: 'resample' } } },
      { command: 'clip.setLoop', args: { clipId, loop: { mode: 'count', count: 2, fillFlicks: 0, crossfadeFlicks: 0 } } },
    ] as const;
    for (const e of edits) await api.call('edit.apply', e as never);
    snap = await api.call('project.snapshot', {});
    const clip = snap.state.clips[clipId]!;
    expect(Object.keys(clip.effects).sort()).toEqual(expect.arrayContaining(['color', 'loop', 'speed', 'stabilize']));
    // 2 s at 1.5× = 1.333 s, twice.
    const duration = timelineDuration(snap.state);
    expect(Math.abs(duration / FLICKS_PER_SECOND - (2 / 1.5) * 2)).toBeLessThan(2 / 30);

    const preset = findPreset('720p-draft')!;
    const planned = compileRenderPlan(snap.state, { width: preset.width, height: preset.height, fit: 'fit' });
    const out = path.join(tmp, 'stack.mp4');
    const job = await api.call('export.start', { preset: preset.id, outPath: out });
    const done = await waitJob(api, job.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');

    const probe = spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames,duration', '-of', 'json', out], { encoding: 'utf8' });
    const stream = JSON.parse(probe.stdout).streams[0] as { nb_read_frames: string; duration: string };
    expect(Number(stream.nb_read_frames)).toBe(planned.frameCount);
    expect(Math.abs(Number(stream.duration) - duration / FLICKS_PER_SECOND)).toBeLessThanOrEqual(1 / 30 + 1e-3);

    // The export ran the stabilize analysis (and cached it on the asset).
    snap = await api.call('project.snapshot', {});
    expect(snap.state.assets[asset.id]!.derivatives).toHaveProperty('stabilize');

    await services.shutdown();
    services = await ShotlineServices.create({ transport: 'in-process', userDataDir: home });
    api = inProcessClient(services);
    const reopened = await api.call('project.open', { dir });
    expect(reopened.state.clips[clipId]!.effects).toEqual(clip.effects);
    expect(reopened.history.undoLabel).toBeTruthy();
    await services.shutdown();
  }, 180_000);
});
