/**
 * A recycled pid is not the process that left a file: with a recorded start time, pidAlive
 * tells them apart (a pid-only check reads any live process as the owner).
 */
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { OWNER_TAG, ownerAlive, ownerTag, pidAlive, processStartTime } from '../../../main/util/pid-alive.js';
import { startOf } from '../../helpers/proc-start.js';

const child = spawn('sleep', ['60'], { stdio: 'ignore' });
afterAll(() => void child.kill('SIGKILL'));

describe('pidAlive', () => {
  it('a live pid with another start time is a recycled pid: not alive', () => {
    const pid = child.pid!;
    const start = startOf(pid);
    expect(processStartTime(pid)).toBe(start);
    expect(pidAlive(pid)).toBe(true);
    expect(pidAlive(pid, start)).toBe(true);
    expect(pidAlive(pid, start + 1)).toBe(false);
    expect(pidAlive(pid, start - 1)).toBe(false);
    // An earlier process that had our pid (containers start the app as the same low pid).
    expect(pidAlive(process.pid, startOf(process.pid) - 1)).toBe(false);
    expect(pidAlive(process.pid, startOf(process.pid))).toBe(true);
  });

  it('a dead pid is not alive, with or without a start time', async () => {
    const gone = spawn('true');
    await new Promise((r) => gone.on('exit', r));
    expect(pidAlive(gone.pid!)).toBe(false);
    expect(pidAlive(gone.pid!, 1)).toBe(false);
    expect(processStartTime(99_999_999)).toBeNull();
  });

  it('owner tags carry the start time and read back', () => {
    const tag = ownerTag();
    expect(tag).toBe(`${process.pid}s${startOf(process.pid)}`);
    expect(new RegExp(`^${OWNER_TAG}$`).exec(tag)?.[1]).toBe(tag);
    expect(ownerAlive(tag)).toBe(true);
    expect(ownerAlive(`${child.pid}s${startOf(child.pid!) + 7}`)).toBe(false);
    expect(ownerAlive(String(child.pid))).toBe(true); // a bare pid (older names): pid-only answer
  });
});
