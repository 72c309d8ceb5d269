/**
 * A real full disk for a file Shotline writes: a 128 KiB tmpfs, filled up, mounted in a user +
 * mount namespace (`unshare -rm`, no privileges needed) and used as the folder of a CLI export.
 * The user is told the disk is full, to free space, and that nothing was lost; no partial file
 * is left on that disk. (The project database's own full disk, SQLITE_FULL, is in
 * errors-table.test.ts.) A read-only disk the same way: creating a project on it says so (it
 * used to say "does not exist"). Skipped, saying why, where namespaces are not allowed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { makeTestVideo } from '../../helpers/media-fixtures.js';
import { ROOT } from '../../helpers/studio-process.js';

const canMount = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt'], { encoding: 'utf8' }).status === 0;
if (!canMount) console.warn('disk-full.test: unshare -rm / tmpfs mounts are not allowed here; skipped');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-diskfull-'));
const project = path.join(tmp, 'film');
const mnt = path.join(tmp, 'small-disk');

beforeAll(async () => {
  if (!canMount) return;
  fs.mkdirSync(mnt);
  const services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home') });
  const api = inProcessClient(services);
  const snap = await api.call('project.create', { dir: project, name: 'Full' });
  const clip = await makeTestVideo({ path: path.join(tmp, 'clip.mp4'), seconds: 2, width: 320, height: 240, withAudio: true });
  const { imported } = await api.call('assets.import', { files: [{ path: clip }] });
  const v1 = Object.values(snap.state.tracks).find((t) => t.kind === 'video')!;
  await api.call('edit.apply', { command: 'clip.add', args: { trackId: v1.id, assetId: imported[0]!.id, startFlicks: 0 } });
  while (!(await api.call('jobs.list', {})).every((j) => ['succeeded', 'failed', 'canceled'].includes(j.state))) await new Promise((r) => setTimeout(r, 100));
  await services.shutdown();
}, 120_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!canMount)('a full disk', () => {
  it('export to a full disk: disk full, free space, nothing lost, no partial file left', () => {
    const script = [
      'mount -t tmpfs -o size=128k tmpfs "$1" || exit 99',
      'dd if=/dev/zero of="$1/filler" bs=4k >/dev/null 2>&1',
      `"$2" "$3" export "$4" --preset 720p-draft --out "$1/film.mp4"`,
      'echo "exit=$?"',
      'ls -A "$1"',
    ].join('\n');
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', script, 'sh', mnt, process.execPath, path.join(ROOT, 'bin/shotline.mjs'), project], {
      encoding: 'utf8',
      env: { ...process.env, SHOTLINE_HOME: path.join(tmp, 'home') },
      timeout: 120_000,
    });
    expect(r.stderr).toMatch(/The disk is full: there is no room to write the export in "[^"]*small-disk"\. Nothing was lost/);
    expect(r.stderr).toMatch(/Free some disk space/);
    expect(r.stdout).toMatch(/exit=1\n/);
    // Only the filler: no film.mp4, no hidden partial.
    expect(r.stdout.trim().split('\n').slice(-1)).toEqual(['filler']);
  }, 180_000);
});

describe.skipIf(!canMount)('a read-only disk', () => {
  it('creating a project on it says the disk is read-only (not "does not exist") and makes nothing', () => {
    const ro = path.join(tmp, 'read-only-disk');
    fs.mkdirSync(ro, { recursive: true });
    const script = [
      'mount -t tmpfs -o size=64k tmpfs "$1" || exit 99',
      'mkdir "$1/films" && mount -o remount,ro "$1" || exit 98',
      `"$2" "$3" sample "$1/films/new"`,
      'echo "exit=$?"',
      'ls -A "$1/films"',
    ].join('\n');
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', script, 'sh', ro, process.execPath, path.join(ROOT, 'bin/shotline.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, SHOTLINE_HOME: path.join(tmp, 'home-ro') },
      timeout: 120_000,
    });
    expect(r.stderr).toMatch(/films is on a read-only disk, so the project cannot be created there/);
    expect(r.stderr).toMatch(/Choose a folder on a writable disk/);
    expect(r.stderr).not.toMatch(/does not exist/);
    expect(r.stdout).toMatch(/exit=[1-9]\d*\n/);
    expect(r.stdout.trim().split('\n').slice(-1)).toEqual([expect.stringMatching(/^exit=/)]); // films/ stays empty
  }, 180_000);
});
