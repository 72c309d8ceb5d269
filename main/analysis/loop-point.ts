/**
 * Reads the frames a seamless-loop search compares: two windows of the asset (near the
 * start and near the end of the span) decoded to 32×18 gray through a rawvideo pipe
 * (native) or a temp file (wasm), then app/timing/loop-detect.ts finds the pair.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ShotlineError } from '../../app/errors.js';
import type { Asset } from '../../app/model/types.js';
import { flicksPerFrame, flicksToFfmpegTime } from '../../app/time/flicks.js';
import { analyzeLoop, assetFrameCount, LOOP_FRAME_HEIGHT, LOOP_FRAME_WIDTH, searchWindows } from '../../app/timing/loop-detect.js';
import type { LoopPointResult, LoopPointSearch } from '../../app/model/timing.js';
import type { FfmpegEngine } from '../media/engine.js';

const FRAME_BYTES = LOOP_FRAME_WIDTH * LOOP_FRAME_HEIGHT;

/** Decode `count` frames from source frame `first` as 32×18 gray pictures. */
export async function readTinyFrames(engine: FfmpegEngine, file: string, asset: Asset, first: number, count: number, signal?: AbortSignal): Promise<Uint8Array[]> {
  const fps = asset.probe.fps;
  if (!fps) throw new ShotlineError('invalid_input', `"${asset.name}" has no frame rate to search.`);
  const grid = flicksPerFrame(fps);
  const args = (target: string) => [
    '-v', 'error',
    '-ss', flicksToFfmpegTime(first * grid),
    '-i', file,
    '-map', '0:v:0',
    '-frames:v', String(count),
    '-vf', `scale=${LOOP_FRAME_WIDTH}:${LOOP_FRAME_HEIGHT}:flags=area,format=gray`,
    '-fps_mode', 'passthrough',
    '-f', 'rawvideo',
    target,
  ];
  let bytes: Uint8Array;
  if (engine.canPipeStdout) {
    const chunks: Uint8Array[] = [];
    await engine.run({ args: args('pipe:1'), signal, onStdout: (c) => chunks.push(c) });
    bytes = Buffer.concat(chunks);
  } else {
    const tmp = path.join(os.tmpdir(), `shotline-loop-${randomBytes(6).toString('hex')}.gray`);
    try {
      await engine.run({ args: args(tmp), signal });
      bytes = await fs.promises.readFile(tmp);
    } finally {
      await fs.promises.rm(tmp, { force: true });
    }
  }
  const out: Uint8Array[] = [];
  for (let off = 0; off + FRAME_BYTES <= bytes.length; off += FRAME_BYTES) out.push(bytes.slice(off, off + FRAME_BYTES));
  return out;
}

export async function findLoopPoint(
  engine: FfmpegEngine,
  file: string,
  asset: Asset,
  search: LoopPointSearch,
  opts: { signal?: AbortSignal; progress?: (f: number) => void } = {},
): Promise<LoopPointResult> {
  const { starts, ends } = searchWindows(search, assetFrameCount(asset) || search.outFrame + 1);
  if (!starts.length || !ends.length) throw new ShotlineError('invalid_input', 'The clip is too short to search for a loop point.');
  opts.progress?.(0.05);
  const startPictures = await readTinyFrames(engine, file, asset, starts[0]!, starts.length, opts.signal);
  opts.progress?.(0.5);
  const endPictures = await readTinyFrames(engine, file, asset, ends[0]!, ends.length, opts.signal);
  opts.progress?.(0.95);
  const found = analyzeLoop(search, starts, startPictures, ends, endPictures);
  if (!found) throw new ShotlineError('invalid_input', 'No loop point was found in this clip.', 'Widen the search window or use a longer clip.');
  return { ...found, analysedAt: new Date().toISOString() };
}
