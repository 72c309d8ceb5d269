/**
 * Importing a .cube LUT: parse it first (a malformed file is refused with the line
 * number and nothing is stored), then keep it content-addressed in the project
 * (media/luts/<sha256>.cube, temp name + rename) so the project folder stays portable.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CubeParseError, parseCube } from '../../app/color/cube.js';
import { lutPathFor, type LutRef } from '../../app/model/color.js';
import { ShotlineError } from '../../app/errors.js';
import { writeFileAtomic } from '../media/write-atomic.js';

/** A 65³ .cube is about 10 MB of text; anything far larger is not a LUT. */
export const MAX_CUBE_BYTES = 64 * 1024 * 1024;

export async function importLut(projectDir: string, src: { filePath: string; name: string }): Promise<LutRef> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(src.filePath);
  } catch {
    throw new ShotlineError('not_found', `"${src.name}" could not be found at ${src.filePath}.`, 'Check that the file still exists.');
  }
  if (!stat.isFile()) throw new ShotlineError('invalid_input', `"${src.name}" is a folder, not a .cube file.`);
  if (stat.size > MAX_CUBE_BYTES) throw new ShotlineError('invalid_input', `"${src.name}" is too large to be a .cube LUT (${Math.round(stat.size / 1e6)} MB).`);
  const bytes = await fs.promises.readFile(src.filePath);
  let size: number;
  let title: string;
  try {
    const lut = parseCube(bytes.toString('utf8'));
    size = lut.size;
    title = lut.title;
  } catch (e) {
    if (e instanceof CubeParseError)
      throw new ShotlineError('invalid_input', `"${src.name}" is not a usable .cube LUT: ${withoutFileText(e.message)}`, 'Fix or re-export the LUT (a 3D .cube, size 2 to 65), then import it again.');
    throw e;
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const rel = lutPathFor(sha256);
  const dest = path.join(projectDir, rel);
  if (!fs.existsSync(dest)) {
    await fs.promises.mkdir(path.dirname(dest), { recursive: true });
    await writeFileAtomic(dest, bytes);
  }
  return { sha256, path: rel, name: src.name.slice(0, 255), title, size };
}

/**
 * The parser quotes the offending text; the user already has the file, and a caller who named
 * some other file (a key, a config) must not get its content back in an error.
 */
function withoutFileText(message: string): string {
  return message.replace(/"[^"]*"/g, 'a value').replace(/found a value/g, 'found something else');
}
