/**
 * The one rule for serving project media (studio `/media/` and Electron's media protocol):
 * only regular files whose real path (symlinks resolved) lies inside the open project's
 * `media/` folder. A symlink planted in media/ that points at ~/.ssh or the project file is
 * refused like `../`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MEDIA_DIR } from '../store/project-store.js';
import { safeJoin } from './http-util.js';

/** Percent-decoding that answers null instead of throwing on malformed input (`%E0%A4%A`, `%zz`). */
export function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/**
 * Map a decoded media path (`media/<file>` or `<file>`) to a file inside `<projectDir>/media`,
 * or null. Resolves symlinks on both sides, so the answer is the real file to open.
 */
export function resolveMediaFile(projectDir: string, rel: string): string | null {
  if (rel.includes('\0')) return null;
  let root: string;
  try {
    root = fs.realpathSync(path.join(projectDir, MEDIA_DIR));
  } catch {
    return null;
  }
  const joined = safeJoin(root, rel.startsWith(`${MEDIA_DIR}/`) ? rel.slice(MEDIA_DIR.length + 1) : rel);
  if (!joined) return null;
  let real: string;
  try {
    real = fs.realpathSync(joined);
  } catch {
    return null;
  }
  if (!real.startsWith(root + path.sep)) return null;
  try {
    return fs.statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}
