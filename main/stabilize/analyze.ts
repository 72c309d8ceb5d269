/**
 * Pass 1 of vid.stab: motion analysis of one source span into a transforms file, and the
 * content-addressed cache around it (media/derived/stab/<key>.trf).
 *
 * The analysis reads the span exactly as the export does (`-ss in -t length` before `-i`),
 * so the transforms line up frame for frame with what the export's vidstabtransform sees.
 * It writes to a temp name in the same folder and renames only on success: a canceled or
 * failed run leaves no .trf that a later export could mistake for a finished one.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ShotlineError } from '../../app/errors.js';
import { vidstabDetectFilter } from '../../app/stabilize/filters.js';
import { analysisKey, transformsPathFor } from '../../app/stabilize/keys.js';
import type { StabilizeAnalysisSpec, StabilizeMethod } from '../../app/model/stabilize.js';
import { flicksToFfmpegTime, type Flicks } from '../../app/time/flicks.js';
import type { FfmpegEngine } from '../media/engine.js';

export const DESHAKE_WARNING =
  'This ffmpeg has no vid.stab (the built-in wasm engine does not), so Shotline stabilizes with deshake: one pass, weaker, ' +
  'no smoothing window or adaptive zoom. Set a native ffmpeg in Settings for full two-pass stabilization.';

/** vid.stab when the engine has both passes, deshake otherwise. */
export function stabilizeMethodFor(engine: Pick<FfmpegEngine, 'hasFilter'>): StabilizeMethod {
  return engine.hasFilter('vidstabdetect') && engine.hasFilter('vidstabtransform') ? 'vidstab' : 'deshake';
}

/** The input arguments for a source span, as the export reads it. */
export function spanInputArgs(source: string, inFlicks: Flicks, outFlicks: Flicks): string[] {
  return ['-ss', flicksToFfmpegTime(inFlicks), '-t', flicksToFfmpegTime(outFlicks - inFlicks), '-i', source];
}

export interface DetectOptions {
  engine: FfmpegEngine;
  /** Absolute path of the source media. */
  source: string;
  inFlicks: Flicks;
  outFlicks: Flicks;
  shakiness: number;
  accuracy: number;
  /** Absolute path of the finished .trf. */
  outPath: string;
  signal?: AbortSignal;
  onProgress?(fraction: number): void;
}

/** The plain ffmpeg arguments of the analysis (also what the bench runs as its baseline). */
export function detectArgs(o: Omit<DetectOptions, 'engine' | 'signal' | 'onProgress'>, resultPath: string): string[] {
  return [
    ...spanInputArgs(o.source, o.inFlicks, o.outFlicks),
    '-map', '0:v:0',
    '-vf', vidstabDetectFilter(resultPath, o),
    '-an', '-f', 'null', '-',
  ];
}

/** Runs vidstabdetect into a temp file and renames it into place; removes the temp file on any failure. */
export async function runVidstabDetect(o: DetectOptions): Promise<void> {
  await fs.promises.mkdir(path.dirname(o.outPath), { recursive: true });
  const tmp = `${o.outPath}.partial-${randomBytes(6).toString('hex')}`;
  try {
    await o.engine.run({
      args: detectArgs(o, tmp),
      expectedDurationFlicks: o.outFlicks - o.inFlicks,
      signal: o.signal,
      onProgress: (p) => o.onProgress?.(p.fraction ?? 0),
    });
    if (o.signal?.aborted) throw new ShotlineError('canceled', 'Stabilize analysis canceled.');
    const st = await fs.promises.stat(tmp).catch(() => null);
    if (!st || st.size === 0) throw new ShotlineError('ffmpeg_failed', 'The motion analysis finished without writing its results.', 'Try again; if it keeps happening, check the clip plays.');
    await fs.promises.rename(tmp, o.outPath);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
}

export async function fileExists(p: string): Promise<boolean> {
  const st = await fs.promises.stat(p).catch(() => null);
  return !!st && st.isFile() && st.size > 0;
}

export interface EnsureAnalysisOptions {
  engine: FfmpegEngine;
  projectDir: string;
  /** Asset path relative to the project. */
  assetPath: string;
  spec: StabilizeAnalysisSpec;
  signal?: AbortSignal;
  onProgress?(fraction: number): void;
}

export interface EnsuredAnalysis {
  key: string;
  /** Project-relative .trf. */
  transformsPath: string;
  /** true: found in the cache, nothing was run. */
  cached: boolean;
}

/** The .trf for `spec`, from the cache or by running the analysis now. */
export async function ensureAnalysis(o: EnsureAnalysisOptions): Promise<EnsuredAnalysis> {
  const key = analysisKey(o.spec);
  const rel = transformsPathFor(key);
  const abs = path.join(o.projectDir, rel);
  if (await fileExists(abs)) return { key, transformsPath: rel, cached: true };
  await runVidstabDetect({
    engine: o.engine,
    source: path.resolve(o.projectDir, o.assetPath),
    inFlicks: o.spec.inFlicks,
    outFlicks: o.spec.outFlicks,
    shakiness: o.spec.shakiness,
    accuracy: o.spec.accuracy,
    outPath: abs,
    signal: o.signal,
    onProgress: o.onProgress,
  });
  return { key, transformsPath: rel, cached: false };
}
