/**
 * The stabilized preview proxy: the clip's source span through the very filter the export
 * uses (vidstabtransform with the same transforms and settings, or deshake), scaled down
 * to PREVIEW_HEIGHT, H.264 with short GOPs for seeking, AAC so the Viewer keeps the sound.
 * The Viewer plays it in place of the source while the effect is on. Written to a temp
 * name and renamed, like everything in the cache.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ShotlineError } from '../../app/errors.js';
import { PREVIEW_HEIGHT } from '../../app/stabilize/keys.js';
import type { Flicks } from '../../app/time/flicks.js';
import type { FfmpegEngine } from '../media/engine.js';
import { spanInputArgs } from './analyze.js';

export interface PreviewOptions {
  engine: FfmpegEngine;
  source: string;
  inFlicks: Flicks;
  outFlicks: Flicks;
  /** The stabilize filter (app/stabilize/filters.ts) with its transforms path absolute. */
  filter: string;
  sourceHeight: number | undefined;
  hasAudio: boolean;
  outPath: string;
  signal?: AbortSignal;
  onProgress?(fraction: number): void;
}

export function previewHeight(sourceHeight: number | undefined): number {
  const h = Math.min(PREVIEW_HEIGHT, sourceHeight && sourceHeight > 0 ? sourceHeight : PREVIEW_HEIGHT);
  return Math.max(2, Math.floor(h / 2) * 2);
}

export async function renderStabilizedPreview(o: PreviewOptions): Promise<void> {
  await fs.promises.mkdir(path.dirname(o.outPath), { recursive: true });
  const tmp = `${o.outPath}.partial-${randomBytes(6).toString('hex')}`;
  const args = [
    ...spanInputArgs(o.source, o.inFlicks, o.outFlicks),
    '-map', '0:v:0',
    ...(o.hasAudio ? ['-map', '0:a:0?'] : []),
    '-vf', `${o.filter},scale=-2:${previewHeight(o.sourceHeight)},setsar=1`,
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '26', '-pix_fmt', 'yuv420p', '-g', '15',
    ...(o.hasAudio ? ['-c:a', 'aac', '-b:a', '96k'] : []),
    '-movflags', '+faststart',
    '-f', 'mp4', tmp,
  ];
  try {
    await o.engine.run({ args, expectedDurationFlicks: o.outFlicks - o.inFlicks, signal: o.signal, onProgress: (p) => o.onProgress?.(p.fraction ?? 0) });
    if (o.signal?.aborted) throw new ShotlineError('canceled', 'Stabilized preview canceled.');
    await fs.promises.rename(tmp, o.outPath);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
}
