/**
 * Finding a native ffmpeg: the user's explicit setting first, then the binary bundled
 * with the app (resources/ffmpeg/<platform>-<arch>/), then PATH. A candidate counts only
 * if it runs and answers `-version` like ffmpeg, so a stale setting or a broken bundle
 * falls through to the next place instead of failing every job later.
 */
import fs from 'node:fs';
import path from 'node:path';
import { resourcesDir } from '../util/app-resources.js';
import { parseVersionBanner } from './ffmpeg-text.js';
import { execSupervised } from './supervised.js';
import { cachedFact, type FactsFile } from './binary-facts.js';

export interface NativeFfmpegFound {
  ffmpeg: string;
  ffprobe: string | null;
  version: string;
  /** Where it was found, for `shotline doctor`. */
  source: 'setting' | 'bundled' | 'path';
}

export interface FindNativeOptions {
  /** The user's setting; null/undefined/empty means "not set". */
  ffmpegPath?: string | null;
  /** Folder holding `ffmpeg/<platform>-<arch>/`; default: the shipped resources (util/app-resources). */
  resourcesDir?: string;
  /** PATH to search; defaults to process.env.PATH. */
  envPath?: string;
  /** Where the binaries' `-version` answers are kept between processes (binary-facts.ts); absent: asked each time. */
  factsFile?: FactsFile;
}

const exe = (name: string) => (process.platform === 'win32' ? `${name}.exe` : name);

/** Runs `<bin> -version` and returns the version, or null if it is not a working ffmpeg/ffprobe. */
export function readVersion(bin: string): Promise<string | null> {
  return execSupervised(bin, ['-version'], { timeoutMs: 10_000, maxBuffer: 1 << 20 }).then(
    (r) => (r.code === 0 && !r.killed ? parseVersionBanner(r.stdout) : null),
    () => null,
  );
}

async function isExecutableFile(p: string): Promise<boolean> {
  try {
    const st = await fs.promises.stat(p);
    if (!st.isFile()) return false;
    if (process.platform !== 'win32') await fs.promises.access(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** First directory on PATH that holds an executable `name`. */
export async function whichOnPath(name: string, envPath = process.env.PATH ?? ''): Promise<string | null> {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, exe(name));
    if (await isExecutableFile(candidate)) return candidate;
  }
  return null;
}

export function bundledDir(resourcesDir: string): string {
  return path.join(resourcesDir, 'ffmpeg', `${process.platform}-${process.arch}`);
}

export async function findNativeFfmpeg(opts: FindNativeOptions): Promise<NativeFfmpegFound | null> {
  const envPath = opts.envPath ?? process.env.PATH ?? '';
  const candidates: { ffmpeg: string; source: NativeFfmpegFound['source'] }[] = [];
  const setting = opts.ffmpegPath?.trim();
  if (setting) candidates.push({ ffmpeg: path.resolve(setting), source: 'setting' });
  // A static ffmpeg dropped into resources/ffmpeg/<platform>-<arch>/ (shipped in the packaged app).
  candidates.push({ ffmpeg: path.join(bundledDir(opts.resourcesDir ?? resourcesDir()), exe('ffmpeg')), source: 'bundled' });
  const onPath = await whichOnPath('ffmpeg', envPath);
  if (onPath) candidates.push({ ffmpeg: onPath, source: 'path' });

  for (const c of candidates) {
    if (!(await isExecutableFile(c.ffmpeg))) continue;
    const version = await cachedFact(opts.factsFile, c.ffmpeg, 'version', () => readVersion(c.ffmpeg));
    if (!version) continue;
    return { ffmpeg: c.ffmpeg, ffprobe: await findFfprobe(c.ffmpeg, envPath, opts.factsFile), version, source: c.source };
  }
  return null;
}

/** ffprobe beside the chosen ffmpeg (same build) when present, else the one on PATH. */
async function findFfprobe(ffmpeg: string, envPath: string, factsFile: FactsFile): Promise<string | null> {
  const sibling = path.join(path.dirname(ffmpeg), exe('ffprobe'));
  for (const candidate of [sibling, await whichOnPath('ffprobe', envPath)]) {
    if (candidate && (await isExecutableFile(candidate)) && (await cachedFact(factsFile, candidate, 'version', () => readVersion(candidate)))) return candidate;
  }
  return null;
}
