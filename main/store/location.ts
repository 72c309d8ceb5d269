/**
 * Is this a place a project can live? Checked before anything is created: an absolute path,
 * under no system pseudo file system (`mkdir -p` under /proc can spin forever), whose nearest
 * existing ancestor is a writable folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ShotlineError } from '../../app/errors.js';

/** statfs magic numbers of Linux pseudo file systems (man 2 statfs). */
const PSEUDO_FS: Record<number, string> = {
  0x9fa0: 'proc',
  0x62656572: 'sysfs',
  0x1cd1: 'devpts',
  0x27e0eb: 'cgroup',
  0x63677270: 'cgroup2',
  0x64626720: 'debugfs',
  0x74726163: 'tracefs',
  0x73636673: 'securityfs',
  0xcafe4a11: 'bpf',
  0x42494e4d: 'binfmt_misc',
};

export function checkProjectLocation(dir: string): void {
  if (!path.isAbsolute(dir)) {
    throw new ShotlineError('invalid_input', `"${dir}" is a relative path; a project location must be a full path.`, 'Give the full path of the folder, e.g. /home/you/Films/my-film.');
  }
  if (process.platform === 'linux' && /^\/(proc|sys|dev)(\/|$)/.test(dir)) {
    throw new ShotlineError('invalid_input', `${dir} is inside ${dir.split('/')[1] === 'dev' ? '/dev' : `/${dir.split('/')[1]}`}, a system folder that holds no files.`, 'Choose a folder in your home directory or on a data disk.');
  }
  // The nearest part of the path that exists decides where the folders would be made.
  let existing = dir;
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  let st: fs.Stats;
  try {
    st = fs.statSync(existing);
  } catch (e) {
    throw new ShotlineError('not_found', `Cannot use ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, 'Check the path.');
  }
  if (!st.isDirectory()) {
    const what = st.isFIFO() ? 'a pipe (FIFO)' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'a file';
    throw new ShotlineError('invalid_input', `${existing} is ${what}, not a folder, so no project can be made ${existing === dir ? 'there' : 'under it'}.`, 'Choose a folder.');
  }
  const fsType = typeOf(existing);
  if (fsType) throw new ShotlineError('invalid_input', `${existing} is on the ${fsType} system file system, which cannot hold files.`, 'Choose a folder in your home directory or on a data disk.');
  try {
    fs.accessSync(existing, fs.constants.W_OK);
  } catch (e) {
    const ro = (e as NodeJS.ErrnoException).code === 'EROFS';
    throw new ShotlineError('project_unreadable', `${existing} is ${ro ? 'on a read-only disk' : 'not writable for you'}, so the project cannot be created there.`, ro ? 'Choose a folder on a writable disk.' : 'Choose a folder you own, or fix its permissions.');
  }
}

function typeOf(p: string): string | null {
  try {
    const s = fs.statfsSync(p);
    return PSEUDO_FS[Number(s.type)] ?? null;
  } catch {
    return null;
  }
}
