/**
 * Pictures in and out of the local runner, through the ffmpeg engine (native or wasm):
 *   - generated frames (RGB uint8) → H.264 MP4 at the pack's output size (lanczos upscale);
 *   - a reference image → one RGB frame at the model's size (image-to-video);
 *   - the last frame of a clip → one RGB frame (continue from the previous shot);
 *   - a source clip → F RGB frames (remix).
 * Frames go through a temp `.rgb` file rather than a pipe, so both engines take the same path.
 * Model-size inputs are scaled to cover the model frame and centre-cropped (no distortion),
 * with the area filter (a box average: right for large downscales).
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ShotlineError } from '../../app/errors.js';
import type { FfmpegEngine } from '../media/engine.js';
import { makeOwnedTempDir } from '../util/scratch.js';
import { probeMedia } from '../media/probe.js';

export interface FrameGeometry {
  frames: number;
  width: number;
  height: number;
}

export async function makeScratchDir(prefix = 'shotline-gen-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  // The pid in the name lets the next start-up remove it if this process is killed (util/scratch.ts).
  const dir = await makeOwnedTempDir(prefix);
  return { dir, cleanup: () => fs.promises.rm(dir, { recursive: true, force: true }) };
}

/** ffmpeg arguments (pure) to encode raw RGB frames as an H.264 MP4, reproducibly. */
export function mp4EncodeArgs(rgbFile: string, src: { width: number; height: number; fps: number }, out: { width: number; height: number }, outFile: string): string[] {
  return [
    '-v', 'error',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${src.width}x${src.height}`, '-framerate', String(src.fps),
    '-i', rgbFile,
    '-vf', `scale=${out.width}:${out.height}:flags=lanczos+accurate_rnd+full_chroma_int:out_color_matrix=bt709:out_range=tv,format=yuv420p`,
    '-c:v', 'libx264', '-preset', 'medium', '-crf', '14', '-tune', 'animation',
    // One encoder thread and bit-exact muxing: the same frames always give the same bytes (content-addressed media, cache).
    '-threads', '1', '-fflags', '+bitexact', '-flags:v', '+bitexact', '-map_metadata', '-1',
    '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv',
    '-movflags', '+faststart', '-an', '-f', 'mp4',
    outFile,
  ];
}

/** Encode [F, H, W, 3] frames to `outPath` atomically (temp name beside it, then rename). */
export async function encodeFramesToMp4(
  engine: FfmpegEngine,
  frames: Uint8Array,
  src: { width: number; height: number; fps: number },
  out: { width: number; height: number },
  outPath: string,
  signal?: AbortSignal,
): Promise<void> {
  const frameBytes = src.width * src.height * 3;
  if (frames.length === 0 || frames.length % frameBytes !== 0) throw new ShotlineError('internal', `Got ${frames.length} bytes of frames; expected a multiple of ${frameBytes}.`);
  const scratch = await makeScratchDir();
  const rgb = path.join(scratch.dir, 'frames.rgb');
  const tmpOut = path.join(path.dirname(outPath), `.${path.basename(outPath)}.partial-${randomBytes(4).toString('hex')}.mp4`);
  try {
    await fs.promises.writeFile(rgb, frames);
    await engine.run({ args: mp4EncodeArgs(rgb, src, out, tmpOut), signal, expectedDurationFlicks: undefined });
    await fs.promises.rename(tmpOut, outPath);
  } catch (e) {
    await fs.promises.rm(tmpOut, { force: true });
    if ((e as NodeJS.ErrnoException).code === 'ENOSPC') throw new ShotlineError('disk_full', `The disk is full: ${outPath} could not be written.`, 'Free some space and try again.');
    throw e;
  } finally {
    await scratch.cleanup();
  }
}

const fitFilter = (w: number, h: number) => `scale=${w}:${h}:force_original_aspect_ratio=increase:flags=area,crop=${w}:${h},format=rgb24`;

async function decodeRaw(engine: FfmpegEngine, inputArgs: string[], filter: string, extra: string[], signal?: AbortSignal): Promise<Uint8Array> {
  const scratch = await makeScratchDir();
  const out = path.join(scratch.dir, 'out.rgb');
  try {
    await engine.run({ args: ['-v', 'error', ...inputArgs, '-an', '-sn', '-dn', '-vf', filter, ...extra, '-f', 'rawvideo', '-pix_fmt', 'rgb24', out], signal });
    return new Uint8Array(await fs.promises.readFile(out));
  } finally {
    await scratch.cleanup();
  }
}

/**
 * A reference image as one RGB frame at the model's size. Anything that is not a still image
 * is refused by name (a video, a sound, a text file).
 */
export async function decodeReferenceImage(engine: FfmpegEngine, file: string, size: { width: number; height: number }, signal?: AbortSignal, displayName?: string): Promise<Uint8Array> {
  const name = displayName ?? path.basename(file);
  let kind: string;
  try {
    kind = (await probeMedia(file, engine, { signal, decodeCheck: false })).kind;
  } catch (e) {
    if (e instanceof ShotlineError && e.code === 'media_unreadable')
      throw new ShotlineError('invalid_input', `The reference "${name}" is not an image Shotline can read.`, 'Choose a PNG, JPEG or WebP still as the reference.');
    throw e;
  }
  if (kind !== 'image')
    throw new ShotlineError('invalid_input', `The reference "${name}" is ${kind === 'audio' ? 'a sound' : 'a video'}, not a still image.`, kind === 'video' ? 'Choose a still image, or remix the clip instead.' : 'Choose a PNG, JPEG or WebP still as the reference.');
  const notAnImage = () => new ShotlineError('invalid_input', `The reference "${name}" is not an image Shotline can read (it does not decode).`, 'Choose a PNG, JPEG or WebP still as the reference.');
  let rgb: Uint8Array;
  try {
    rgb = await decodeRaw(engine, ['-i', file], fitFilter(size.width, size.height), ['-frames:v', '1'], signal);
  } catch (e) {
    if (e instanceof ShotlineError && e.code === 'ffmpeg_failed') throw notAnImage();
    throw e;
  }
  const n = size.width * size.height * 3;
  if (rgb.length < n) throw notAnImage();
  return rgb.subarray(0, n);
}

/** The last frame of a clip, as RGB at `size` (the previous shot's end, for continuity). */
export async function decodeLastFrame(engine: FfmpegEngine, file: string, size: { width: number; height: number }, signal?: AbortSignal, displayName?: string): Promise<Uint8Array> {
  const n = size.width * size.height * 3;
  // Decode only the last second; the final n bytes are the last frame.
  let rgb = await decodeRaw(engine, ['-sseof', '-1', '-i', file], fitFilter(size.width, size.height), [], signal);
  if (rgb.length < n) rgb = await decodeRaw(engine, ['-i', file], fitFilter(size.width, size.height), [], signal);
  if (rgb.length < n) throw new ShotlineError('media_unreadable', `No picture could be read from the end of "${displayName ?? path.basename(file)}".`);
  const whole = rgb.length - (rgb.length % n);
  return rgb.subarray(whole - n, whole);
}

/**
 * `frames` pictures evenly spaced over a clip, at `size` (a remix source). A clip with fewer
 * frames repeats its last one.
 */
export async function decodeClipFrames(engine: FfmpegEngine, file: string, geo: FrameGeometry, durationSeconds: number, signal?: AbortSignal, displayName?: string): Promise<Uint8Array> {
  const n = geo.width * geo.height * 3;
  const rate = durationSeconds > 0 ? (geo.frames / durationSeconds).toFixed(6) : '8';
  const rgb = await decodeRaw(engine, ['-i', file], `fps=${rate},${fitFilter(geo.width, geo.height)}`, ['-frames:v', String(geo.frames)], signal);
  const have = Math.floor(rgb.length / n);
  if (have === 0) throw new ShotlineError('media_unreadable', `No picture could be read from "${displayName ?? path.basename(file)}" to remix.`);
  const out = new Uint8Array(geo.frames * n);
  for (let f = 0; f < geo.frames; f++) out.set(rgb.subarray(Math.min(f, have - 1) * n, Math.min(f, have - 1) * n + n), f * n);
  return out;
}
