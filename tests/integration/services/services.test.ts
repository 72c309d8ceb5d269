/**
 * The services through the in-process client (same dispatcher and schemas as every
 * transport), against real files and ffmpeg: import (good and bad media), derived-media
 * jobs, storyboard → timeline → export, cancel, and a full disk.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import type { Job } from '../../../app/jobs/types.js';
import { ShotlineError } from '../../../app/errors.js';
import { orderedShots } from '../../../app/timeline/query.js';
import { secondsToFlicks as s } from '../../../app/time/flicks.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { ffprobeJson, makeCorruptFile, makeTestAudio, makeTestImage, makeTestVideo, makeTruncatedVideo } from '../../helpers/media-fixtures.js';

let tmp: string;
let services: ShotlineServices;
let api: ShotlineClient;
let projectDir: string;
const media: Record<string, string> = {};

async function waitJob(id: string): Promise<Job> {
  for (;;) {
    const j = (await api.call('jobs.list', {})).find((x) => x.id === id)!;
    if (['succeeded', 'failed', 'canceled'].includes(j.state)) return j;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function idle(): Promise<void> {
  for (;;) {
    const jobs = await api.call('jobs.list', {});
    if (jobs.every((j) => ['succeeded', 'failed', 'canceled'].includes(j.state))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-services-'));
  services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home') });
  api = inProcessClient(services);
  projectDir = path.join(tmp, 'film');
  await api.call('project.create', { dir: projectDir, name: 'Film' });
  media.a = await makeTestVideo({ path: path.join(tmp, 'a.mp4'), seconds: 2, width: 320, height: 240, withAudio: true, toneHz: 440 });
  media.b = await makeTestVideo({ path: path.join(tmp, 'b.mov'), seconds: 3, width: 320, height: 240, withAudio: true, toneHz: 880 });
  media.music = await makeTestAudio({ path: path.join(tmp, 'music.wav'), seconds: 2 } as never);
  media.still = await makeTestImage({ path: path.join(tmp, 'still.png') } as never);
  media.text = await makeCorruptFile(path.join(tmp, 'notes.mp4'), 'text');
  media.truncated = await makeTruncatedVideo({ path: path.join(tmp, 'cut.mp4'), seconds: 2 } as never);
});

afterAll(async () => {
  await services.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('services', () => {
  it('imports good media, rejects bad media by name, registers nothing half-done', async () => {
    const r = await api.call('assets.import', { files: [media.a, media.b, media.music, media.still, media.text, media.truncated].map((p) => ({ path: p! })) });
    expect(r.imported.map((a) => [a.name, a.kind])).toEqual([['a.mp4', 'video'], ['b.mov', 'video'], ['music.wav', 'audio'], ['still.png', 'image']]);
    expect(r.failed.map((f) => f.name)).toEqual(['notes.mp4', 'cut.mp4']);
    for (const f of r.failed) {
      expect(f.error.code).toBe('media_unreadable');
      expect(f.error.message).toContain(f.name);
      expect(f.error.hint).toBeTruthy();
    }
    const snap = await api.call('project.snapshot', {});
    expect(Object.keys(snap.state.assets)).toHaveLength(4);
    const files = fs.readdirSync(path.join(projectDir, 'media')).filter((f) => f !== 'derived');
    expect(files).toHaveLength(4);
    expect(files.every((f) => /^[a-f0-9]{64}\.\w+$/.test(f))).toBe(true);
    const a = r.imported[0]!;
    expect(a.probe.durationFlicks).toBeGreaterThan(s(2) - s(1 / 30));
    expect(a.provenance).toMatchObject({ source: 'import', originalName: 'a.mp4' });

    // Same bytes again: the existing asset, no duplicate.
    const again = await api.call('assets.import', { files: [{ path: media.a! }] });
    expect(again.imported[0]!.id).toBe(a.id);
  });

  it('computes filmstrips and waveform peaks in background jobs', async () => {
    await idle();
    const { state } = await api.call('project.snapshot', {});
    for (const asset of Object.values(state.assets)) {
      if (asset.kind !== 'audio') expect(asset.derivatives.filmstrip, asset.name).toBeTruthy();
      if (asset.probe.hasAudio) expect(asset.derivatives.peaks, asset.name).toBeTruthy();
    }
    const a = Object.values(state.assets).find((x) => x.name === 'a.mp4')!;
    const peaks = JSON.parse(fs.readFileSync(path.join(projectDir, a.derivatives.peaks!.path), 'utf8')) as { data: number[] };
    expect(Math.max(...peaks.data)).toBeGreaterThan(0.3);
    const strip = await ffprobeJson(path.join(projectDir, a.derivatives.filmstrip!.path));
    expect(strip.streams[0]!.width).toBe(a.derivatives.filmstrip!.tileWidth * a.derivatives.filmstrip!.frames);
  });

  it('storyboard → assemble → trim → export, with the duration the timeline says', async () => {
    const { state } = await api.call('project.snapshot', {});
    const byName = (n: string) => Object.values(state.assets).find((x) => x.name === n)!;
    for (const [title, asset] of [['Open', 'a.mp4'], ['Close', 'b.mov']] as const) {
      await api.call('edit.apply', { command: 'shot.add', args: { fields: { title } } });
      const shot = orderedShots((await api.call('project.snapshot', {})).state).at(-1)!;
      await api.call('edit.apply', { command: 'take.add', args: { shotId: shot.id, assetId: byName(asset).id } });
    }
    await api.call('edit.apply', { command: 'timeline.assemble', args: {} });
    let snap = await api.call('project.snapshot', {});
    const second = Object.values(snap.state.clips).find((c) => c.assetId === byName('b.mov').id)!;
    await api.call('edit.apply', { command: 'clip.trim', args: { clipId: second.id, edge: 'out', toFlicks: second.startFlicks + s(1.5) } });
    snap = await api.call('project.snapshot', {});
    expect(snap.history.undoLabel).toBe('Trim clip');

    const out = path.join(tmp, 'out', 'film.mp4');
    fs.mkdirSync(path.dirname(out));
    const job = await api.call('export.start', { preset: '720p-draft', outPath: out });
    const done = await waitJob(job.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const probe = await ffprobeJson(out);
    const v = probe.streams.find((x) => x.codec_type === 'video')!;
    expect([v.codec_name, v.width, v.height]).toEqual(['h264', 1280, 720]);
    expect(probe.streams.some((x) => x.codec_type === 'audio' && x.codec_name === 'aac')).toBe(true);
    expect(Number(probe.format.duration)).toBeCloseTo(3.5, 1);
  });

  it('cancel stops an export and leaves nothing behind', async () => {
    const out = path.join(tmp, 'out', 'canceled.mp4');
    const job = await api.call('export.start', { preset: '1080p', outPath: out });
    for (;;) {
      const j = (await api.call('jobs.list', {})).find((x) => x.id === job.id)!;
      if (j.state === 'running' || j.state === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await api.call('jobs.cancel', { jobId: job.id });
    const done = await waitJob(job.id);
    expect(done.state).toBe('canceled');
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(path.dirname(out)).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('rejects unknown presets and a missing folder up front', async () => {
    await expect(api.call('export.start', { preset: '8k', outPath: path.join(tmp, 'x.mp4') })).rejects.toThrow(/Unknown export preset/);
    const job = await api.call('export.start', { preset: '720p-draft', outPath: path.join(tmp, 'nowhere', 'x.mp4') });
    const done = await waitJob(job.id);
    expect(done.state).toBe('failed');
    expect(done.error!.message).toContain(path.join(tmp, 'nowhere'));
  });

  it('a full disk during export fails clearly, keeps no partial, and the project stays intact', async () => {
    const mnt = path.join(tmp, 'tiny');
    fs.mkdirSync(mnt);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt]).status === 0;
    if (!mounted) {
      console.warn('skipping the full-disk export check: this machine does not allow mounting a tmpfs');
      return;
    }
    try {
      const before = await api.call('project.snapshot', {});
      const job = await api.call('export.start', { preset: '1080p', outPath: path.join(mnt, 'big.mp4') });
      const done = await waitJob(job.id);
      expect(done.state).toBe('failed');
      expect(done.error!.code).toBe('disk_full');
      expect(done.error!.hint).toBeTruthy();
      expect(fs.readdirSync(mnt)).toEqual([]);
      const after = await api.call('project.snapshot', {});
      expect(after.state).toEqual(before.state);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });

  it('edit errors come back as ShotlineErrors with the reason', async () => {
    const err = await api.call('edit.apply', { command: 'clip.split', args: { clipId: 'nope', atFlicks: 1 } }).catch((e) => e);
    expect(err).toBeInstanceOf(ShotlineError);
    expect((err as ShotlineError).code).toBe('invalid_edit');
    await expect(api.call('project.open', { dir: path.join(tmp, 'not-a-project') })).rejects.toThrow(/does not exist|not a Shotline project/);
  });
});
