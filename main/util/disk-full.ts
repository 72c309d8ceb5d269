/**
 * A full disk, said the same way wherever it is met: what could not be written, that nothing
 * was lost (writes are transactions or temp-then-rename), and to free space. SQLite reports a
 * full disk as SQLITE_FULL (ENOSPC on its own writes, or its page limit); file writes as
 * ENOSPC / EDQUOT.
 */
import { ShotlineError } from '../../app/errors.js';

export const FREE_SPACE_HINT = 'Free some disk space (or move the project to a disk with room), then try again.';

export function isDiskFull(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT';
}

/** The user's error for a change that could not be saved to `file` (a project or the app library). */
export function changeNotSaved(file: string): ShotlineError {
  return new ShotlineError('disk_full', `The disk is full: this change could not be saved to ${file}. Nothing was lost: it is as it was before the change.`, FREE_SPACE_HINT);
}

/** For errors that reach the API unmapped: a full disk is never an 'internal' error. */
export function diskFullFallback(e: unknown): ShotlineError | null {
  if (!isDiskFull(e)) return null;
  const file = (e as { path?: unknown }).path;
  const what = typeof file === 'string' ? `${file} could not be written` : 'Shotline could not save its work';
  return new ShotlineError('disk_full', `The disk is full: ${what}. Nothing was lost: what was saved before is unchanged.`, FREE_SPACE_HINT);
}
