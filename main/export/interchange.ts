/**
 * Writing an interchange file (OTIO, FCPXML, EDL, MLT): the serializers are pure (app/interchange);
 * this is their file I/O. With `copyMedia` the files the timeline uses are copied into a
 * `<name> media/` folder beside the output, under their own names, and the timeline names them
 * relative to itself (FCPXML needs absolute URLs: it names the copies), so the hand-off folder
 * is self-contained. Every file is written to a temp name and renamed: a failed or refused
 * write never leaves half a timeline or replaces an existing file without `overwrite`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ShotlineError } from '../../app/errors.js';
import { INTERCHANGE_FORMATS, writeInterchange, type InterchangeFormat } from '../../app/interchange/index.js';
import type { InterchangeExportResult } from '../../app/interchange/formats.js';
import type { Asset, ProjectState } from '../../app/model/types.js';

export interface InterchangeExportOptions {
  state: ProjectState;
  projectDir: string;
  format: InterchangeFormat;
  outPath: string;
  copyMedia: boolean;
  overwrite: boolean;
}


/** The assets the timeline's clips use, once each. */
export function usedAssets(state: ProjectState): Asset[] {
  const ids = new Set(Object.values(state.clips).map((c) => c.assetId));
  return [...ids].map((id) => state.assets[id]).filter((a): a is Asset => !!a);
}

/** Unique, filesystem-safe names for the copies: the asset's own name, numbered on clashes. */
export function copyNames(assets: Asset[]): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const a of assets) {
    const ext = path.extname(a.path) || path.extname(a.name);
    const stem = path.basename(a.name, path.extname(a.name)).replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim() || a.id;
    let name = `${stem}${ext}`;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${stem} ${n}${ext}`;
    used.add(name.toLowerCase());
    out.set(a.id, name);
  }
  return out;
}

export async function exportInterchange(o: InterchangeExportOptions): Promise<InterchangeExportResult> {
  const format = INTERCHANGE_FORMATS.find((f) => f.id === o.format);
  if (!format) throw new ShotlineError('invalid_input', `Unknown interchange format "${o.format}".`, `Use one of: ${INTERCHANGE_FORMATS.map((f) => f.id).join(', ')}.`);
  const outPath = path.resolve(o.outPath);
  const dir = path.dirname(outPath);
  if (Object.keys(o.state.clips).length === 0) throw new ShotlineError('invalid_input', 'The timeline is empty.', 'Put clips on the timeline before exporting it.');
  const stat = await fs.promises.stat(dir).catch(() => null);
  if (!stat?.isDirectory()) throw new ShotlineError('not_found', `The folder ${dir} does not exist.`, 'Choose an existing folder for the file.');
  if (!o.overwrite && fs.existsSync(outPath)) throw new ShotlineError('invalid_input', `${outPath} already exists.`, 'Choose another name, or tick "Replace the file if it exists".');

  const assets = usedAssets(o.state);
  for (const a of assets) {
    const src = path.resolve(o.projectDir, a.path);
    if (!fs.existsSync(src)) throw new ShotlineError('not_found', `The media of "${a.name}" is missing (${src}).`, 'Relink or re-import the file, then export again.');
  }
  const stem = path.basename(outPath, path.extname(outPath));
  const mediaDir = o.copyMedia ? path.join(dir, `${stem} media`) : null;
  const names = copyNames(assets);
  const mediaPath = (a: Asset): string => {
    if (!mediaDir) return path.resolve(o.projectDir, a.path);
    const copy = path.join(mediaDir, names.get(a.id)!);
    return o.format === 'fcpxml' ? copy : path.relative(dir, copy).split(path.sep).join('/');
  };
  const written = writeInterchange(o.format, o.state, { mediaPath });

  if (mediaDir) {
    await fs.promises.mkdir(mediaDir, { recursive: true });
    for (const a of assets) await copyAtomically(path.resolve(o.projectDir, a.path), path.join(mediaDir, names.get(a.id)!));
  }
  await writeAtomically(outPath, written.text, o.overwrite);
  return { outPath, format: o.format, mediaDir, mediaFiles: mediaDir ? assets.length : 0, warnings: written.warnings };
}

function tempBeside(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.shotline-tmp-${crypto.randomBytes(6).toString('hex')}`);
}

async function writeAtomically(target: string, text: string, overwrite: boolean): Promise<void> {
  const tmp = tempBeside(target);
  try {
    await fs.promises.writeFile(tmp, text, { flag: 'wx' });
    if (overwrite) await fs.promises.rename(tmp, target);
    else {
      await fs.promises.link(tmp, target); // fails if something appeared at the target meanwhile
      await fs.promises.rm(tmp, { force: true });
    }
  } catch (e) {
    await fs.promises.rm(tmp, { force: true }).catch(() => {});
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new ShotlineError('invalid_input', `${target} already exists.`, 'Choose another name, or tick "Replace the file if it exists".');
    throw e;
  }
}

/** Copies unless an identical-size file is already there (re-exporting into the same folder). */
async function copyAtomically(src: string, dst: string): Promise<void> {
  const [a, b] = await Promise.all([fs.promises.stat(src), fs.promises.stat(dst).catch(() => null)]);
  if (b && b.size === a.size) return;
  const tmp = tempBeside(dst);
  try {
    await fs.promises.copyFile(src, tmp);
    await fs.promises.rename(tmp, dst);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true }).catch(() => {});
    throw e;
  }
}
