/**
 * Scratch folders in the temp dir carry their owner's pid (`shotline-gen-<pid>-XXXXXX`), so
 * that start-up can delete those of processes that were killed (a SIGKILL runs no cleanup)
 * without touching the folders of another Shotline that is still running.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OWNER_TAG, ownerAlive, ownerTag } from './pid-alive.js';

/** Prefixes of Shotline's scratch folders in the temp dir. */
export const SCRATCH_PREFIXES = ['shotline-gen-', 'shotline-serve-', 'shotline-remote-', 'shotline-uploads-'];
/** Folders from before names carried a pid are only removed once this old. */
const LEGACY_AGE_MS = 24 * 60 * 60 * 1000;

/** mkdtemp in the temp dir with the owner's pid in the name. */
export function makeOwnedTempDir(prefix: string): Promise<string> {
  return fs.promises.mkdtemp(path.join(os.tmpdir(), `${prefix}${ownerTag()}-`));
}

export function makeOwnedTempDirSync(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}${ownerTag()}-`));
}

/** Delete the scratch folders of processes that are gone; returns what was removed. */
export async function cleanStaleScratch(tmp = os.tmpdir(), now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(tmp);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const prefix = SCRATCH_PREFIXES.find((p) => name.startsWith(p));
    if (!prefix) continue;
    const full = path.join(tmp, name);
    const owner = new RegExp(`^${OWNER_TAG}-`).exec(name.slice(prefix.length));
    let stale: boolean;
    if (owner) stale = !ownerAlive(owner[1]!);
    else {
      try {
        stale = now - (await fs.promises.stat(full)).mtimeMs > LEGACY_AGE_MS;
      } catch {
        continue;
      }
    }
    if (!stale) continue;
    try {
      await fs.promises.rm(full, { recursive: true, force: true });
      removed.push(full);
    } catch {
      /* someone else's, or busy: leave it */
    }
  }
  return removed;
}
