/**
 * Filmstrips: one horizontal JPEG sprite of `frames` evenly spaced thumbnails, made in a
 * single ffmpeg run (fps → scale → tile) so the file is decoded once. The timeline draws
 * tile i at x = i·tileWidth.
 */
import path from 'node:path';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { ShotlineError } from '../../app/errors.js';
import type { ProbeInfo } from '../../app/model/types.js';
import { FLICKS_PER_SECOND } from '../../app/time/flicks.js';
import type { FfmpegEngine, FfmpegProgress } from './engine.js';

export interface FilmstripOptions {
  frames?: number;
  tileHeight?: number;
  signal?: AbortSignal;
  onProgress?: (p: FfmpegProgress) => void;
}

export interface FilmstripResult {
  frames: number;
  tileWidth: number;
  tileHeight: number;
}

const even = (n: number) => Math.max(2, 2 * Math.round(n / 2));

/** Tile size keeping the picture's aspect; even sides because JPEG's 4:2:0 chroma halves them. */
export function tileSize(probe: Pick<ProbeInfo, 'width' | 'height'>, tileHeight: number): { tileWidth: number; tileHeight: number } {
  const h = even(tileHeight);
  const aspect = probe.width && probe.height ? probe.width / probe.height : 16 / 9;
  return { tileWidth: even(h * aspect), tileHeight: h };
}

/**
 * The ffmpeg arguments, pure. Video: start half an interval in (so the first tile is not
 * the fade-in frame and the last is not past the end), then sample `frames`/duration fps.
 * Still image: the one frame, repeated with the loop filter (works for every image demuxer,
 * unlike the image2-only `-loop` input option).
 */
export function filmstripArgs(input: string, probe: ProbeInfo, out: string, frames: number, tile: { tileWidth: number; tileHeight: number }): string[] {
  const scale = `scale=${tile.tileWidth}:${tile.tileHeight}:flags=bilinear,setsar=1`;
  const tileFilter = `tile=${frames}x1`;
  const seconds = probe.durationFlicks / FLICKS_PER_SECOND;
  const tail = ['-frames:v', '1', '-q:v', '4', '-f', 'image2', '-c:v', 'mjpeg', out];
  if (seconds <= 0) {
    return ['-v', 'error', '-i', input, '-an', '-sn', '-dn', '-vf', `${scale},loop=loop=${frames - 1}:size=1:start=0,${tileFilter}`, ...tail];
  }
  const interval = seconds / frames;
  const rate = (frames / seconds).toFixed(6);
  // tpad clones the last frame for one more interval: fps rounding at the very end can
  // otherwise come up one frame short and leave the last tile black.
  const pad = `tpad=stop_mode=clone:stop_duration=${interval.toFixed(6)}`;
  return ['-v', 'error', '-ss', (interval / 2).toFixed(6), '-i', input, '-an', '-sn', '-dn', '-vf', `${pad},fps=${rate},${scale},${tileFilter}`, ...tail];
}

export async function makeFilmstrip(engine: FfmpegEngine, input: string, probe: ProbeInfo, outJpg: string, opts: FilmstripOptions = {}): Promise<FilmstripResult> {
  const frames = Math.max(1, Math.floor(opts.frames ?? 10));
  if (!probe.hasVideo) throw new ShotlineError('unsupported', `"${path.basename(input)}" has no picture, so it has no filmstrip.`, 'Filmstrips are made for video and image assets only.');
  const tile = tileSize(probe, opts.tileHeight ?? 72);
  // ffmpeg writes beside the target and the result is renamed in, so a canceled or failed
  // run never leaves a half-written sprite under the real name.
  const tmp = `${outJpg}.partial-${randomBytes(4).toString('hex')}.jpg`;
  try {
    await engine.run({ args: filmstripArgs(input, probe, tmp, frames, tile), expectedDurationFlicks: probe.durationFlicks || undefined, signal: opts.signal, onProgress: opts.onProgress });
    await fs.promises.rename(tmp, outJpg);
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
  return { frames, ...tile };
}
