/**
 * Project packages through the services: package a project, delete the project and the original
 * media, open the package elsewhere, export again: the MP4 decodes to the same frames and
 * samples as the export made before packaging. Damaged and hostile packages are refused
 * before anything is opened or written outside the target folder.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import type { Job } from '../../../app/jobs/types.js';
import { secondsToFlicks as s } from '../../../app/time/flicks.js';
import { tracksOfKind } from '../../../app/timeline/query.js';
import { DEFAULT_SPEED } from '../../../app/model/timing.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { FFMPEG, makeTestVideo } from '../../helpers/media-fixtures.js';

let tmp: string;
let services: ShotlineServices;
let api: ShotlineClient;

async function exportTo(outPath: string): Promise<void> {
  const job = await api.call('export.start', { preset: '720p-draft', outPath });
  for (;;) {
    const j = (await api.call('jobs.list', {})).find((x: Job) => x.id === job.id)!;
    if (j.state === 'succeeded') return;
    if (j.state === 'failed' || j.state === 'canceled') throw new Error(`export ${j.state}: ${j.error?.message}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Per-frame / per-packet hashes of the decoded streams (independent of container metadata and signatures). */
function decodedHashes(file: string): string[] {
  const out = execFileSync(FFMPEG, ['-v', 'error', '-i', file, '-map', '0:v', '-map', '0:a', '-f', 'framemd5', '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return out.split('\n').filter((l) => l && !l.startsWith('#'));
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-pkg-'));
  process.env.SHOTLINE_NO_KEYCHAIN = '1';
  services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home') });
  api = inProcessClient(services);
}, 60_000);

afterAll(async () => {
  await services.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('project packages', () => {
  it('package → delete originals → open → export gives the same film', async () => {
    const src = path.join(tmp, 'src');
    fs.mkdirSync(src);
    await makeTestVideo({ path: path.join(src, 'a.mp4'), seconds: 2, width: 320, height: 240, withAudio: true, toneHz: 440 });
    await makeTestVideo({ path: path.join(src, 'b.mp4'), seconds: 2, width: 640, height: 360, withAudio: true, toneHz: 880 });
    await makeTestVideo({ path: path.join(src, 'unused.mp4'), seconds: 1, width: 320, height: 240, withAudio: false });
    const snap = await api.call('project.create', { dir: path.join(tmp, 'film'), name: 'Film' });
    const { imported } = await api.call('assets.import', { files: ['a.mp4', 'b.mp4', 'unused.mp4'].map((f) => ({ path: path.join(src, f) })) });
    const v1 = tracksOfKind(snap.state, 'video')[0]!.id;
    await api.call('edit.apply', { command: 'clip.add', args: { trackId: v1, assetId: imported[0]!.id, startFlicks: 0, inFlicks: s(0.5), outFlicks: s(1.5) } });
    const added = await api.call('edit.apply', { command: 'clip.add', args: { trackId: v1, assetId: imported[1]!.id, startFlicks: s(1), inFlicks: 0, outFlicks: s(2) } });
    await api.call('edit.apply', { command: 'clip.setSpeed', args: { clipId: Object.keys(added.patch.clips!)[0]!, speed: { ...DEFAULT_SPEED, rate: 2 }, ripple: false } });
    const before = path.join(tmp, 'before.mp4');
    await exportTo(before);

    const pkg = path.join(tmp, 'Film.shotlinepkg');
    const packed = await api.call('project.package', { outPath: pkg });
    expect(packed.files).toBe(3); // database + two used media files
    expect(packed.leftOut.map((x) => x.name)).toEqual(['unused.mp4']);

    await api.call('project.close', {});
    fs.rmSync(path.join(tmp, 'film'), { recursive: true });
    fs.rmSync(src, { recursive: true });

    const opened = await api.call('project.openPackage', { file: pkg, dir: path.join(tmp, 'elsewhere', 'Film') });
    expect(Object.keys(opened.state.clips)).toHaveLength(4); // two pictures and their linked sound
    expect(opened.history.canUndo).toBe(true); // the edit history travels with the database
    const after = path.join(tmp, 'after.mp4');
    await exportTo(after);
    const [a, b] = [decodedHashes(before), decodedHashes(after)];
    expect(a.length).toBeGreaterThan(60);
    expect(b).toEqual(a);
  }, 240_000);

  it('refuses a damaged package and creates nothing', async () => {
    const pkg = path.join(tmp, 'Film.shotlinepkg');
    const bytes = fs.readFileSync(pkg);
    const at = bytes.indexOf(Buffer.from('mdat'));
    bytes[at + 50] = bytes[at + 50]! ^ 0xff; // inside a stored media file
    const damaged = path.join(tmp, 'damaged.shotlinepkg');
    fs.writeFileSync(damaged, bytes);
    await expect(api.call('project.openPackage', { file: damaged, dir: path.join(tmp, 'd') })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/damaged: media\/[a-f0-9]{64}\.mp4 does not match its checksum/) });
    expect(fs.existsSync(path.join(tmp, 'd'))).toBe(false);
    expect(fs.readdirSync(tmp).filter((f) => f.includes('unpacking'))).toEqual([]);
  });

  it('never writes outside the target folder (zip-slip)', async () => {
    const evil = path.join(tmp, 'evil.shotlinepkg');
    fs.writeFileSync(evil, zipSync({ 'shotline-package.json': new TextEncoder().encode('{}'), '../escaped.txt': new TextEncoder().encode('x') }));
    await expect(api.call('project.openPackage', { file: evil, dir: path.join(tmp, 'e', 'inner') })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/unsafe file name/) });
    expect(fs.existsSync(path.join(tmp, 'e', 'escaped.txt'))).toBe(false);
    expect(fs.existsSync(path.join(tmp, 'escaped.txt'))).toBe(false);
  });
});
