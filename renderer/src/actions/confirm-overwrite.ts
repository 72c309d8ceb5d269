/**
 * Replacing a file that is not an earlier Shotline export needs the user's yes (main refuses it
 * with `confirmation_required`, main/export/overwrite-guard.ts). One place for every writer the
 * export dialog drives (MP4, interchange files, packages): try without, ask, retry with the path
 * confirmed. A "no" rethrows the refusal, so the dialog shows that nothing was replaced.
 */
import { toSerialized } from './errors';

export async function withOverwriteConfirmation<T>(outPath: string, write: (confirmOverwrite?: string) => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    const err = toSerialized(e);
    if (err.code !== 'confirmation_required' || !window.confirm(`${err.message}\n\nReplace it?`)) throw e;
    return write(outPath);
  }
}
