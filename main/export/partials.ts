/**
 * Atomic output: ffmpeg writes a hidden temp file beside the target, which is renamed over
 * the target only once complete and flushed. Same directory, so the rename is atomic (one
 * filesystem) and a reader of the final path sees either the old file or the new one.
 *
 * Temp name: `.<name>.shotline-partial-<pid>-<random>.mp4`. The pid lets a later process
 * tell a partial left by a killed export (owner gone) from one still being written by
 * another Shotline process; partials of this process are tracked in `active`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { OWNER_TAG, ownerAlive, ownerTag, parseOwnerTag } from '../util/pid-alive.js';

const PARTIAL = new RegExp(`^\\..*\\.shotline-partial-${OWNER_TAG}-[0-9a-f]+\\.mp4$`);

/** Partials this process is writing right now; never treated as stale. */
const active = new Set<string>();

export function partialPathFor(outPath: string): string {
  const dir = path.dirname(outPath);
  const stem = path.basename(outPath, path.extname(outPath)) || 'export';
  return path.join(dir, `.${stem}.shotline-partial-${ownerTag()}-${crypto.randomBytes(6).toString('hex')}.mp4`);
}

export function isPartialName(name: string): boolean {
  return PARTIAL.test(name);
}

/**
 * Creates the temp file exclusively (proving the folder is writable before any encoding
 * starts) and marks it active. Throws the fs error (EACCES, EROFS, ENOSPC, ...) as is.
 */
export async function reservePartial(outPath: string): Promise<string> {
  const p = partialPathFor(outPath);
  const fh = await fs.promises.open(p, 'wx');
  await fh.close();
  active.add(p);
  return p;
}

/** Deletes the temp file (if any) and forgets it. Never throws: it runs on error paths. */
export async function discardPartial(p: string): Promise<void> {
  active.delete(p);
  await fs.promises.rm(p, { force: true }).catch(() => {});
}

/**
 * Flushes the finished temp file and moves it to `outPath`. Without `overwrite` the move
 * is a hard link, which fails atomically if something appeared at `outPath` meanwhile
 * (rename would silently replace it); filesystems without hard links (FAT, some network
 * shares) fall back to check-then-rename.
 */
export async function commitPartial(p: string, outPath: string, overwrite: boolean): Promise<void> {
  const fh = await fs.promises.open(p, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  if (overwrite) {
    await fs.promises.rename(p, outPath);
  } else {
    try {
      await fs.promises.link(p, outPath);
      await fs.promises.rm(p, { force: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw e;
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK'].includes(code ?? '')) throw e;
      if (fs.existsSync(outPath)) throw Object.assign(new Error(`${outPath} exists`), { code: 'EEXIST' });
      await fs.promises.rename(p, outPath);
    }
  }
  active.delete(p);
  await syncDir(path.dirname(outPath));
}

/** Makes the rename itself durable. Directories cannot be opened for sync on Windows; skip there. */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const fh = await fs.promises.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Durability of the directory entry is best effort; the file itself is already synced.
  }
}

export interface CleanStaleOptions {
  /** Only delete partials not modified for this long (default 0). */
  minAgeMs?: number;
}

/**
 * Deletes partial exports left in `dir` by processes that died mid-export (a SIGKILL
 * cannot run cleanup). Skips partials this process is writing and those whose owner pid
 * is still alive (another Shotline exporting into the same folder). Returns the deleted
 * paths; a missing or unreadable folder is simply nothing to clean.
 */
export async function cleanStalePartials(dir: string, opts: CleanStaleOptions = {}): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  const now = Date.now();
  for (const name of names) {
    const m = PARTIAL.exec(name);
    if (!m) continue;
    const full = path.join(dir, name);
    if (active.has(full)) continue;
    // Our own pid but not in `active`: a previous process that had the same pid (pids
    // are reused, and in containers the app often runs as the same low pid every time).
    if (parseOwnerTag(m[1]!).pid !== process.pid && ownerAlive(m[1]!)) continue;
    try {
      const st = await fs.promises.lstat(full);
      if (!st.isFile()) continue;
      if (opts.minAgeMs && now - st.mtimeMs < opts.minAgeMs) continue;
      await fs.promises.rm(full, { force: true });
      removed.push(full);
    } catch {
      // Raced with another cleaner, or not ours to delete: leave it.
    }
  }
  return removed;
}
