/**
 * Importing media: probe first (nothing unreadable gets in), hash, copy into media/ under
 * its content address via a temp name + rename (no half-written file is ever registered),
 * register the asset, then queue its filmstrip and waveform jobs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ImportResult } from '../../app/api/contract.js';
import { PatchBuilder } from '../../app/commands/patch.js';
import { ShotlineError, serializeError } from '../../app/errors.js';
import type { Asset } from '../../app/model/types.js';
import type { FfmpegEngine } from '../media/engine.js';
import { sha256File } from '../media/hash.js';
import { probeMedia, type ProbeResult } from '../media/probe.js';
import { detectContentCredentials } from '../provenance/detect.js';
import { MEDIA_DIR } from '../store/project-store.js';
import { diskFullFallback, FREE_SPACE_HINT, isDiskFull } from '../util/disk-full.js';
import { newId, type ProjectSession } from './project-session.js';

export interface ImportSource {
  /** File to read. */
  filePath: string;
  /** Name the user knows it by; every message says this, never an upload's staged path. */
  name: string;
  /** A browser upload staged under an internal id (its path means nothing to the user). */
  staged?: boolean;
}

/**
 * `provenance`: where the file came from when it is not a user import (e.g. a generated clip).
 * `probed`: what a check of this very file already found (ffprobe + tail decode), not repeated.
 */
export async function importOne(session: ProjectSession, engine: FfmpegEngine, src: ImportSource, provenance?: Asset['provenance'], probed?: ProbeResult): Promise<Asset> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(src.filePath);
  } catch {
    throw new ShotlineError('not_found', src.staged ? `The upload of "${src.name}" is no longer there.` : `"${src.name}" could not be found at ${src.filePath}.`, src.staged ? 'Add the file again.' : 'Check that the file still exists.');
  }
  if (!stat.isFile()) throw new ShotlineError('media_unreadable', `"${src.name}" is a folder, not a media file.`);
  const { kind, probe, ext } = probed ?? (await probeMedia(src.filePath, engine, { name: src.name }));
  const sha = await sha256File(src.filePath);
  const existing = Object.values(session.state.assets).find((a) => a.sha256 === sha);
  if (existing) return existing;

  const rel = `${MEDIA_DIR}/${sha}.${ext}`;
  const dest = path.join(session.dir, rel);
  if (!fs.existsSync(dest)) {
    const tmp = path.join(session.dir, MEDIA_DIR, `.incoming-${randomBytes(6).toString('hex')}`);
    try {
      await fs.promises.copyFile(src.filePath, tmp);
      await fs.promises.rename(tmp, dest);
    } catch (e) {
      await fs.promises.rm(tmp, { force: true });
      if (isDiskFull(e)) throw new ShotlineError('disk_full', `The disk is full: "${src.name}" was not imported. Nothing was lost: the project is as it was.`, FREE_SPACE_HINT);
      throw e;
    }
  }
  // Content credentials of a user's file: recorded once, shown as a badge, made an ingredient with its manifest at export.
  const credentials = provenance ? undefined : await detectContentCredentials(dest, src.name);
  const asset: Asset = {
    id: newId('asset'),
    kind,
    sha256: sha,
    path: rel,
    name: src.name,
    bytes: stat.size,
    probe,
    derivatives: {},
    provenance: provenance ?? { source: 'import', originalName: src.name, importedAt: new Date().toISOString(), ...(credentials ? { contentCredentials: credentials } : {}) },
  };
  session.systemPatch(new PatchBuilder().set('assets', asset).patch);
  queueDerivatives(session, asset);
  return asset;
}

export function queueDerivatives(session: ProjectSession, asset: Asset): void {
  if (asset.kind !== 'audio') session.queue.enqueue('filmstrip', `Thumbnails for ${asset.name}`, { assetId: asset.id });
  if (asset.probe.hasAudio) session.queue.enqueue('peaks', `Waveform for ${asset.name}`, { assetId: asset.id });
}

export async function importMany(session: ProjectSession, engine: FfmpegEngine, sources: ImportSource[]): Promise<ImportResult> {
  const result: ImportResult = { imported: [], failed: [] };
  for (const src of sources) {
    try {
      result.imported.push(await importOne(session, engine, src));
    } catch (e) {
      const error = serializeError(diskFullFallback(e) ?? e);
      // Whatever failed underneath (a copy, ffmpeg) may quote the staged path: say the user's name.
      if (src.staged) error.message = error.message.split(src.filePath).join(src.name).split(path.basename(src.filePath)).join(src.name);
      result.failed.push({ name: src.name, error });
    }
  }
  return result;
}
