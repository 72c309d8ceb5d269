/**
 * A resumed export first stops the ffmpeg of the run it replaces (main/export/orphans.ts, the
 * second line of defence behind the supervisor): real ffmpeg processes, started plainly (as an
 * older Shotline did), writing partials owned by a dead process, by a recycled pid (pid 1 with
 * another start time) and by this live process. Only the first two are killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { orphanedExporters, stopOrphanedExporters } from '../../../main/export/orphans.js';
import { ownerTag } from '../../../main/util/pid-alive.js';
import { startOf } from '../../helpers/proc-start.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-orphans-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

function exporter(name: string): ChildProcess {
  const c = spawn('ffmpeg', ['-nostdin', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=10', '-t', '600', '-y', path.join(tmp, name)], { stdio: 'ignore' });
  children.push(c);
  return c;
}

const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

describe('orphaned exporters', () => {
  it('stops the ffmpegs of dead and recycled owners in that folder, and only those', async () => {
    const dead = exporter('.a.shotline-partial-99999999-aa11.mp4'); // above any pid_max
    const recycled = exporter(`.b.shotline-partial-1s${startOf(1) + 1}-bb22.mp4`);
    const ours = exporter(`.c.shotline-partial-${ownerTag()}-cc33.mp4`);
    const elsewhere = path.join(tmp, 'other');
    fs.mkdirSync(elsewhere);
    // Wait until all three have exec'd ffmpeg (their command lines name the partials).
    const isFfmpeg = (c: ChildProcess) => {
      try {
        return fs.readFileSync(`/proc/${c.pid}/cmdline`, 'utf8').includes('shotline-partial');
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 200 && ![dead, recycled, ours].every(isFfmpeg); i++) await new Promise((r) => setTimeout(r, 50));

    expect(orphanedExporters(elsewhere)).toEqual([]);
    expect(orphanedExporters(tmp).sort()).toEqual([dead.pid, recycled.pid].sort());
    const killed = await stopOrphanedExporters(tmp);
    expect(killed.sort()).toEqual([dead.pid, recycled.pid].sort());
    for (let i = 0; i < 100 && (running(dead) || running(recycled)); i++) await new Promise((r) => setTimeout(r, 50));
    expect(dead.signalCode).toBe('SIGKILL');
    expect(recycled.signalCode).toBe('SIGKILL');
    expect(running(ours)).toBe(true);
  }, 60_000);
});
