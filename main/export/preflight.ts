/**
 * Checks made before an export starts encoding, so a doomed export fails in milliseconds
 * with a message that names the culprit instead of minutes later with ffmpeg's log.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ShotlineError } from '../../app/errors.js';
import type { ProjectState } from '../../app/model/types.js';
import type { RenderPlan } from '../../app/render/plan.js';
import { reverseOverBudget } from '../../app/render/reverse-memory.js';

/** The output folder exists and is a folder; the target is not a folder and respects `overwrite`. */
export async function checkOutputTarget(outPath: string, overwrite: boolean): Promise<void> {
  const dir = path.dirname(outPath);
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new ShotlineError('invalid_input', `The output folder "${dir}" does not exist.`, 'Create the folder or choose another one.');
    throw folderNotWritable(dir, e);
  }
  if (!st.isDirectory()) throw new ShotlineError('invalid_input', `The output folder "${dir}" is not a folder.`, 'Choose a folder to export into.');

  const existing = await fs.promises.lstat(outPath).catch(() => null);
  if (existing?.isDirectory())
    throw new ShotlineError('invalid_input', `"${outPath}" is a folder, not a file name.`, 'Choose a file name such as film.mp4.');
  if (existing && !overwrite) throw alreadyExists(outPath);
}

export function alreadyExists(outPath: string): ShotlineError {
  return new ShotlineError('invalid_input', `"${outPath}" already exists.`, 'Choose another file name, or allow overwriting the existing file.');
}

/** Maps a failure to create a file in `dir` to a message naming the folder. */
export function folderNotWritable(dir: string, e: unknown): ShotlineError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return diskFull(dir);
  const why = code ? ` (${code})` : '';
  return new ShotlineError('invalid_input', `Cannot write to the output folder "${dir}"${why}.`, 'Check the folder permissions, or choose another folder.');
}

export function diskFull(dir: string): ShotlineError {
  return new ShotlineError(
    'disk_full',
    `The disk is full: there is no room to write the export in "${dir}". Nothing was lost: no partial file was left and the project is unchanged.`,
    'Free some disk space or export to another drive, then try again.',
  );
}

/**
 * Every input the plan reads exists and can be read, else media_unreadable naming the
 * asset; and none of them is the output (the rename would replace project media).
 */
export async function checkSources(plan: RenderPlan, resolvePath: (assetPath: string) => string, outPath: string): Promise<void> {
  const target = await realpathOr(outPath);
  const seen = new Set<string>();
  for (const input of plan.inputs) {
    if (seen.has(input.assetId)) continue;
    seen.add(input.assetId);
    const file = resolvePath(input.path);
    try {
      const st = await fs.promises.stat(file);
      if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      await fs.promises.access(file, fs.constants.R_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const what = code === 'ENOENT' ? 'is missing' : 'cannot be read';
      throw new ShotlineError(
        'media_unreadable',
        `The media for "${input.assetName}" ${what} (${file}).`,
        'Restore the file into the project\'s media folder, or replace the clip, then export again.',
      );
    }
    if ((await realpathOr(file)) === target)
      throw new ShotlineError('invalid_input', `Exporting to "${outPath}" would overwrite the media of "${input.assetName}", which the timeline uses.`, 'Choose another file name.');
  }
}

async function realpathOr(p: string): Promise<string> {
  return fs.promises.realpath(p).catch(() => path.resolve(p));
}

const gb = (bytes: number) => (bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GB` : `${Math.ceil(bytes / 2 ** 20)} MB`);

/**
 * A reversed span must fit in memory (ffmpeg's reverse holds all of it): refuse before
 * encoding, naming the clip and the longest piece that would fit.
 */
export function checkReverseMemory(plan: RenderPlan, state: ProjectState, budgetBytes: number): void {
  const worst = reverseOverBudget(plan, state, budgetBytes);
  if (!worst) return;
  const fits = Math.max(1, Math.floor((worst.seconds * budgetBytes) / worst.bytes));
  throw new ShotlineError(
    'invalid_input',
    `Reversing "${worst.assetName}" (${worst.seconds.toFixed(1)} s) needs about ${gb(worst.bytes)} of memory to export, more than this machine can spare (${gb(budgetBytes)}).`,
    `Split the clip (S) and reverse pieces of at most ${fits} s each, or trim it shorter, then export again.`,
  );
}
