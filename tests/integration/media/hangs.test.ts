/**
 * A corrupt or half-downloaded still used to hang export forever at 0 % (`-loop 1` spins) and
 * block the queue: stills are decode-checked at import, and every native ffmpeg run has a
 * no-progress watchdog that fails the job naming the file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import type { Job } from '../../../app/jobs/types.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { ShotlineServices } from '../../../main/services/shotline.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-hangs-'));
let services: ShotlineServices;
let api: ShotlineClient;
const good = path.join(tmp, 'poster.png');
const half = path.join(tmp, 'half.png');

beforeAll(async () => {
  process.env.SHOTLINE_FFMPEG_STALL_MS = '4000';
  const r = spawnSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x240', '-frames:v', '1', '-y', good]);
  expect(r.status).toBe(0);
  fs.writeFileSync(half, fs.readFileSync(good).subarray(0, 3000));
  services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home') });
  api = inProcessClient(services);
  await api.call('project.create', { dir: path.join(tmp, 'film'), name: 'Hangs' });
});

afterAll(async () => {
  delete process.env.SHOTLINE_FFMPEG_STALL_MS;
  await services.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function finished(id: string, limitMs: number): Promise<Job> {
  const t0 = Date.now();
  while (Date.now() - t0 < limitMs) {
    const j = (await api.call('jobs.list', {})).find((x) => x.id === id)!;
    if (['succeeded', 'failed', 'canceled'].includes(j.state)) return j;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`job ${id} still not finished after ${limitMs} ms`);
}

describe('hangs', () => {
  it('refuses a half-downloaded PNG at import, by name', async () => {
    const r = await api.call('assets.import', { files: [{ path: half }] });
    expect(r.imported).toEqual([]);
    expect(r.failed[0]!.name).toBe('half.png');
    expect(r.failed[0]!.error.message).toMatch(/half\.png.*does not decode/);
  });

  it('an export stuck on a still that stopped decoding fails naming it, and the queue moves on', async () => {
    const { imported } = await api.call('assets.import', { files: [{ path: good }] });
    const asset = imported[0]!;
    const snap = await api.call('project.snapshot', {});
    const v1 = Object.values(snap.state.tracks).find((t) => t.kind === 'video')!;
    await api.call('edit.apply', { command: 'clip.add', args: { trackId: v1.id, assetId: asset.id, startFlicks: 0 } });
    // Derived-media jobs first, so only the export is left to run.
    for (const j of await api.call('jobs.list', {})) await finished(j.id, 60_000);
    // The file in the project is damaged afterwards (a sync tool, a bad disk, a partial copy).
    const inProject = path.join(snap.dir, asset.path);
    fs.writeFileSync(inProject, fs.readFileSync(good).subarray(0, 3000));

    const out = path.join(tmp, 'out.mp4');
    const job = await api.call('export.start', { preset: '720p-draft', outPath: out });
    const done = await finished(job.id, 90_000);
    expect(done.state).toBe('failed');
    expect(done.error!.message).toMatch(/made no progress for 4 s reading "poster\.png" \(media\/[0-9a-f]{64}\.png\)/);
    expect(fs.existsSync(out)).toBe(false);

    // Not blocked: with the still repaired, the next export runs to the end.
    fs.copyFileSync(good, inProject);
    const next = await finished((await api.call('export.start', { preset: '720p-draft', outPath: out })).id, 90_000);
    expect(next.state, JSON.stringify(next.error)).toBe('succeeded');
  }, 240_000);
});
