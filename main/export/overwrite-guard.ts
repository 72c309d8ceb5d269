/**
 * Overwriting is a power: a token holder (or a slip in the export dialog) could replace any
 * writable file. Replacing an earlier Shotline export is routine and needs nothing more than
 * `overwrite`; replacing anything else needs the user's explicit confirmation of that path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ShotlineError } from '../../app/errors.js';
import { MADE_WITH_SHOTLINE } from '../../app/render/metadata.js';

/**
 * What every Shotline export carries (app/render/metadata.ts): the MP4's metadata, a comment or
 * metadata field in OTIO / FCPXML / EDL / MLT, the stored manifest of a project package.
 */
const MARK = Buffer.from(MADE_WITH_SHOTLINE);
/** ffmpeg writes the metadata into the moov box, at the start or the end of the file. */
const SCAN_BYTES = 4 * 1024 * 1024;

export async function isShotlineExport(file: string): Promise<boolean> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const spans = size <= 2 * SCAN_BYTES ? [[0, size]] : [[0, SCAN_BYTES], [size - SCAN_BYTES, SCAN_BYTES]];
    for (const [start, length] of spans) {
      const buf = Buffer.alloc(length!);
      await fh.read(buf, 0, length!, start!);
      if (buf.includes(MARK)) return true;
    }
    return false;
  } finally {
    await fh.close();
  }
}

/** Throws `confirmation_required` unless replacing `outPath` is harmless or was confirmed. */
export async function checkOverwriteConfirmed(outPath: string, overwrite: boolean, confirmed: string | undefined): Promise<void> {
  if (!overwrite) return;
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(outPath);
  } catch {
    return; // nothing there to replace
  }
  if (!st.isFile()) return; // the export's own checks refuse folders and devices
  if (confirmed !== undefined && path.resolve(confirmed) === outPath) return;
  if (await isShotlineExport(outPath)) return;
  throw new ShotlineError(
    'confirmation_required',
    `${outPath} already exists and is not a Shotline export. Replacing it needs your confirmation.`,
    'Confirm replacing it, or choose another file name.',
  );
}
