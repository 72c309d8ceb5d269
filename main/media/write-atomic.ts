/** Write-then-rename, so a reader (or a crash) never sees half a derived file. */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { ShotlineError } from '../../app/errors.js';

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${target}.partial-${randomBytes(4).toString('hex')}`;
  try {
    await fs.promises.writeFile(tmp, data);
    await fs.promises.rename(tmp, target);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    if ((e as NodeJS.ErrnoException).code === 'ENOSPC') {
      throw new ShotlineError('disk_full', `The disk is full: "${target}" could not be written.`, 'Free some disk space or choose another folder, then try again.');
    }
    throw e;
  }
}
