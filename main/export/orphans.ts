/**
 * The second line of defence against an export's ffmpeg outliving its Shotline (the first is
 * main/media/supervised.ts, which kills the group when Shotline dies): one started by an older
 * Shotline or outside the supervisor keeps writing its partial beside a resumed export. Before a
 * resumed export starts, the ffmpegs writing partials into the same folder whose owner (the
 * partial's owner tag: pid and start time) is gone are stopped. Linux (/proc); elsewhere nothing
 * is found.
 */
import fs from 'node:fs';
import path from 'node:path';
import { OWNER_TAG, ownerAlive } from '../util/pid-alive.js';

const PARTIAL_ARG = new RegExp(`/\\.[^/]*\\.shotline-partial-${OWNER_TAG}-[0-9a-f]+\\.mp4$`);

/** Processes whose command line writes a partial in `dir` owned by a dead Shotline. */
export function orphanedExporters(dir: string): number[] {
  if (process.platform !== 'linux') return [];
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const p of pids) {
    let args: string[];
    try {
      args = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone meanwhile, or not ours to read
    }
    if (!/ffmpeg/.test(path.basename(args[0] ?? ''))) continue;
    const owner = args.map((a) => (path.dirname(a) === dir ? PARTIAL_ARG.exec(a) : null)).find(Boolean);
    if (owner && !ownerAlive(owner[1]!)) found.push(Number(p));
  }
  return found;
}

/** SIGKILL the orphans found for `dir`, and wait (briefly) until they are gone. */
export async function stopOrphanedExporters(dir: string): Promise<number[]> {
  const pids = orphanedExporters(dir);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  for (let i = 0; i < 50 && pids.some((p) => fs.existsSync(`/proc/${p}`) && !zombie(p)); i++) await new Promise((r) => setTimeout(r, 20));
  return pids;
}

function zombie(pid: number): boolean {
  try {
    return /\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
