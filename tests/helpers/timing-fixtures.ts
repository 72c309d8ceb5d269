/**
 * Media for the speed/loop tests, made on the spot with ffmpeg, and independent readers.
 *
 *  - Frame-coded video: every frame carries its own index as 10 black/white blocks (bit b
 *    is the block at x ∈ [32b, 32b+32) of a 320-wide picture), so which source frame an
 *    exported frame shows is read back from pixels, with no font and no code under test.
 *  - Figure-eight video: a soft dot on the path x = sin φ, y = sin 2φ; it passes the centre
 *    at exactly two frames (`crossA`, `crossB`), which makes [crossA, crossB) the one best
 *    seamless loop of the clip: a known answer for the loop-point detector.
 */
import { execFile } from 'node:child_process';
import { FFMPEG, ffmpeg } from './media-fixtures.js';
import { DEFAULT_EFFECTS, type Clip } from '../../app/model/types.js';
import { secondsToFlicks } from '../../app/time/flicks.js';
import { DEFAULT_SPEED, type LoopEffect, type SpeedEffect } from '../../app/model/timing.js';

/** A clip of source seconds [inS, outS) at timeline second `start`, with optional speed and loop. */
export function timedClip(inS: number, outS: number, speed?: Partial<SpeedEffect>, loop?: LoopEffect, start = 0): Clip {
  return {
    id: 'c',
    trackId: 'v1',
    assetId: 'a',
    startFlicks: secondsToFlicks(start),
    inFlicks: secondsToFlicks(inS),
    outFlicks: secondsToFlicks(outS),
    shotId: null,
    effects: { ...DEFAULT_EFFECTS, ...(speed ? { speed: { ...DEFAULT_SPEED, ...speed } } : {}), ...(loop ? { loop } : {}) },
  };
}

export interface FrameCodedOptions {
  path: string;
  seconds: number;
  fps: number;
  withAudio?: boolean;
  toneHz?: number;
}

/** 320×40 frames that encode their index (10 bits, up to 1023 frames). */
export async function makeFrameCodedVideo(o: FrameCodedOptions): Promise<string> {
  const video = `color=c=black:s=320x40:r=${o.fps}:d=${o.seconds},geq=lum='255*mod(floor(N/pow(2\\,floor(X/32)))\\,2)':cb=128:cr=128`;
  const args = ['-f', 'lavfi', '-i', video];
  if (o.withAudio) args.push('-f', 'lavfi', '-i', `aevalsrc=0.5*sin(2*PI*${o.toneHz ?? 440}*t):s=48000:d=${o.seconds}`);
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', String(o.fps));
  if (o.withAudio) args.push('-c:a', 'aac', '-b:a', '96k');
  args.push('-t', String(o.seconds), o.path);
  await ffmpeg(args);
  return o.path;
}

export interface FigureEightOptions {
  path: string;
  frames: number;
  fps: number;
  /** Frame at which the dot first passes the centre; it passes again `halfPeriod` frames later. */
  crossA: number;
  halfPeriod: number;
  width?: number;
  height?: number;
}

export async function makeFigureEightVideo(o: FigureEightOptions): Promise<string> {
  const w = o.width ?? 320;
  const h = o.height ?? 180;
  const phi = `(2*PI*(N-${o.crossA})/${2 * o.halfPeriod})`;
  const cx = `(${w / 2}+${w * 0.34}*sin(${phi}))`;
  const cy = `(${h / 2}+${h * 0.33}*sin(2*${phi}))`;
  const lum = `40+60*X/${w}+150*exp(-(pow(X-${cx}\\,2)+pow(Y-${cy}\\,2))/${2 * 14 * 14})`;
  const seconds = o.frames / o.fps;
  await ffmpeg([
    '-f', 'lavfi', '-i', `color=c=black:s=${w}x${h}:r=${o.fps}:d=${seconds},geq=lum='${lum}':cb=128:cr=128`,
    '-frames:v', String(o.frames), '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '12', '-pix_fmt', 'yuv420p', '-g', String(o.fps), o.path,
  ]);
  return o.path;
}

function rawFrames(file: string, vf: string, frameBytes: number): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    execFile(FFMPEG, ['-hide_banner', '-nostdin', '-v', 'error', '-i', file, '-map', '0:v:0', '-vf', vf, '-fps_mode', 'passthrough', '-f', 'rawvideo', 'pipe:1'], { encoding: 'buffer', maxBuffer: 1 << 30 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`ffmpeg decode of ${file} failed: ${String(stderr).slice(-800)}`));
      const out: Uint8Array[] = [];
      for (let off = 0; off + frameBytes <= stdout.length; off += frameBytes) out.push(new Uint8Array(stdout.buffer, stdout.byteOffset + off, frameBytes));
      resolve(out);
    });
  });
}

/**
 * Frame indices read from a frame-coded picture of `size` (the source itself, or an export
 * that letterboxed it: the coded band is then centred, full width).
 */
export async function readFrameNumbers(file: string, size: { width: number; height: number }): Promise<number[]> {
  return (await readBlockLumas(file, size)).map(decodeBlocks);
}

/** The 10 block lumas (0..255) of every frame: a dissolve shows as levels between 0 and 255. */
export async function readBlockLumas(file: string, size: { width: number; height: number }): Promise<number[][]> {
  // Scale to 320 wide so each bit is a 32 px block; sample the middle row (the band's centre).
  const scaledH = Math.round((size.height * 320) / size.width);
  const frames = await rawFrames(file, `scale=320:${scaledH}:flags=area,format=gray`, 320 * scaledH);
  const row = Math.floor(scaledH / 2);
  return frames.map((px) => Array.from({ length: 10 }, (_, b) => px[row * 320 + b * 32 + 16]!));
}

export function decodeBlocks(lumas: number[]): number {
  let v = 0;
  lumas.forEach((l, b) => {
    if (l > 128) v |= 1 << b;
  });
  return v;
}

/** 32×18 gray frames, as the loop-point analysis sees them. */
export function tinyGrayFrames(file: string): Promise<Uint8Array[]> {
  return rawFrames(file, 'scale=32:18:flags=area,format=gray', 32 * 18);
}

export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
}
