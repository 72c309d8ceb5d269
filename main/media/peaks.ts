/**
 * Waveform peaks for an asset: ffmpeg decodes the first audio stream to mono 32-bit float
 * at 8 kHz (plenty for a waveform drawn at ≤100 peaks/s, and cheap), and peaks-math.ts
 * reduces the samples. Native ffmpeg streams the samples through stdout; the wasm engine
 * cannot, so it goes through a temp file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ShotlineError } from '../../app/errors.js';
import type { Flicks } from '../../app/time/flicks.js';
import type { FfmpegEngine, FfmpegProgress } from './engine.js';
import { Float32LeDecoder, PeakAccumulator } from './peaks-math.js';
import { writeFileAtomic } from './write-atomic.js';

export const PEAKS_SAMPLE_RATE = 8000;

export interface PeaksOptions {
  peaksPerSecond?: number;
  /** The asset's duration, for progress. */
  durationFlicks?: Flicks;
  signal?: AbortSignal;
  onProgress?: (p: FfmpegProgress) => void;
}

export interface PeaksFile {
  peaksPerSecond: number;
  /** Number of [min, max] pairs; `data` holds twice as many numbers. */
  length: number;
  data: number[];
}

/** ffmpeg's ways of saying "this file has no audio stream". */
const NO_AUDIO = /matches no streams|does not contain any stream/;

export async function computePeaks(engine: FfmpegEngine, input: string, outJson: string, opts: PeaksOptions = {}): Promise<{ peaksPerSecond: number; length: number }> {
  const peaksPerSecond = opts.peaksPerSecond ?? 100;
  const acc = new PeakAccumulator(PEAKS_SAMPLE_RATE, peaksPerSecond);
  const decoder = new Float32LeDecoder();
  const decodeArgs = (target: string) => ['-v', 'error', '-i', input, '-map', '0:a:0', '-ac', '1', '-ar', String(PEAKS_SAMPLE_RATE), '-f', 'f32le', target];
  const common = { expectedDurationFlicks: opts.durationFlicks, signal: opts.signal, onProgress: opts.onProgress };

  try {
    if (engine.canPipeStdout) {
      await engine.run({ ...common, args: decodeArgs('pipe:1'), onStdout: (chunk) => acc.push(decoder.push(chunk)) });
    } else {
      const tmp = path.join(os.tmpdir(), `shotline-peaks-${randomBytes(6).toString('hex')}.f32`);
      try {
        await engine.run({ ...common, args: decodeArgs(tmp) });
        acc.push(decoder.push(await fs.promises.readFile(tmp)));
      } finally {
        await fs.promises.rm(tmp, { force: true });
      }
    }
  } catch (e) {
    // No audio is not an error for a waveform: it is a flat line of length zero.
    if (!(e instanceof ShotlineError && e.code === 'ffmpeg_failed' && NO_AUDIO.test(e.message))) throw e;
  }

  const data = acc.finish();
  const file: PeaksFile = { peaksPerSecond, length: data.length / 2, data };
  await writeFileAtomic(outJson, JSON.stringify(file));
  return { peaksPerSecond, length: file.length };
}
