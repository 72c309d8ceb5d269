/**
 * Scratch folders of killed runs (`shotline-gen-*` and friends in the temp dir) are removed at
 * start-up; those of a Shotline still running are left alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { makeScratchDir } from '../../../main/backends/media-io.js';
import { startOf } from '../../helpers/proc-start.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-scratch-'));
const savedTmp = process.env.TMPDIR;
afterAll(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('scratch folders', () => {
  it('start-up removes the scratch folders of dead processes only', async () => {
    const temp = path.join(tmp, 'temp');
    fs.mkdirSync(temp);
    process.env.TMPDIR = temp;
    // A pid that surely belonged to a process that is gone now.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    const killedGen = path.join(temp, `shotline-gen-${deadPid}-a1b2c3`);
    const killedUploads = path.join(temp, `shotline-uploads-${deadPid}-d4e5f6`);
    fs.mkdirSync(path.join(killedGen, 'frames'), { recursive: true });
    fs.writeFileSync(path.join(killedGen, 'frames', 'f.rgb'), Buffer.alloc(1024));
    fs.mkdirSync(killedUploads);
    // Ours (alive), someone else's temp folder, and a recent pre-pid folder: all kept.
    const live = await makeScratchDir();
    expect(path.basename(live.dir)).toMatch(new RegExp(`^shotline-gen-${process.pid}s${startOf(process.pid)}-`));
    // pid 1 always runs: tagged with its real start time it is alive; with another start
    // time the pid was recycled and the folder's owner is gone.
    const pid1 = path.join(temp, `shotline-remote-1s${startOf(1)}-0a0b0c`);
    const recycled = path.join(temp, `shotline-gen-1s${startOf(1) + 1}-0d0e0f`);
    fs.mkdirSync(pid1);
    fs.mkdirSync(recycled);
    const other = path.join(temp, 'not-ours-123');
    const legacyRecent = path.join(temp, 'shotline-gen-Zx81qa');
    const legacyOld = path.join(temp, 'shotline-gen-Qq0pLm');
    for (const d of [other, legacyRecent, legacyOld]) fs.mkdirSync(d);
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    fs.utimesSync(legacyOld, twoDaysAgo, twoDaysAgo);

    const services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home') });
    await services.shutdown();
    expect(fs.readdirSync(temp).sort()).toEqual([path.basename(live.dir), 'not-ours-123', 'shotline-gen-Zx81qa', path.basename(pid1)].sort());
    await live.cleanup();
  });
});
