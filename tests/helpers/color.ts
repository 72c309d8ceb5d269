/** Color test helpers: seeded random grades, PSNR, raw frame I/O through the test ffmpeg. */
import { execFileSync } from 'node:child_process';
import { identityLut, writeCube } from '../../app/color/cube.js';
import { NEUTRAL_GRADE, type ColorGrade, type LutRef } from '../../app/model/color.js';
import { FFMPEG } from './media-fixtures.js';

/** Deterministic PRNG (mulberry32) so a failing grade reproduces. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random but sane grade: every control moved, nothing extreme enough to clip the whole frame. */
export function randomGrade(seed: number, lut: LutRef | null = null): ColorGrade {
  const r = rng(seed);
  const u = (lo: number, hi: number) => Math.round((lo + (hi - lo) * r()) * 1000) / 1000;
  const rgbm = (lo: number, hi: number, centre: number) => ({ r: centre + u(lo, hi), g: centre + u(lo, hi), b: centre + u(lo, hi), m: centre + u(lo, hi) });
  return {
    ...NEUTRAL_GRADE,
    exposure: u(-0.6, 0.6),
    contrast: u(-0.3, 0.3),
    saturation: u(0.6, 1.5),
    temperature: u(-0.5, 0.5),
    tint: u(-0.4, 0.4),
    lift: rgbm(-0.05, 0.05, 0),
    gamma: rgbm(-0.2, 0.2, 1),
    gain: rgbm(-0.15, 0.15, 1),
    lut,
    lutStrength: lut ? u(0.5, 1) : 1,
  };
}

/**
 * A "real" creative .cube as other tools write them: 17 points, a TITLE, comments, a
 * domain of [0, 1], a teal-and-orange split-tone with an S-curve.
 */
export function tealOrangeCube(size = 17): string {
  const lut = identityLut(size);
  for (let i = 0; i < lut.data.length; i += 3) {
    const [r, g, b] = [lut.data[i]!, lut.data[i + 1]!, lut.data[i + 2]!];
    const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    const s = (v: number) => v * v * (3 - 2 * v) * 0.6 + v * 0.4;
    const warm = y - 0.5;
    lut.data[i] = s(Math.min(1, Math.max(0, r + 0.12 * warm)));
    lut.data[i + 1] = s(Math.min(1, Math.max(0, g + 0.02 * warm)));
    lut.data[i + 2] = s(Math.min(1, Math.max(0, b - 0.15 * warm)));
  }
  lut.title = 'Teal Orange Test';
  return writeCube(lut, { comments: ['Shotline test LUT', 'teal shadows, warm highlights'] });
}

/** PSNR (dB) over the RGB channels of two frames with `stride` bytes per pixel each (3 or 4). */
export function psnr(a: Uint8Array, strideA: number, b: Uint8Array, strideB: number, pixels: number): number {
  let se = 0;
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < 3; c++) {
      const d = a[p * strideA + c]! - b[p * strideB + c]!;
      se += d * d;
    }
  }
  if (se === 0) return Infinity;
  return 10 * Math.log10((255 * 255) / (se / (pixels * 3)));
}

/** One frame of a file (at `seconds`, or the first), decoded by the test ffmpeg to raw rgb24, with extra -vf filters. */
export function decodeRgb24(file: string, opts: { seconds?: number; vf?: string } = {}): Buffer {
  const args = ['-hide_banner', '-nostdin', '-v', 'error'];
  if (opts.seconds !== undefined) args.push('-ss', String(opts.seconds));
  args.push('-i', file, '-frames:v', '1');
  if (opts.vf) args.push('-vf', opts.vf);
  args.push('-pix_fmt', 'rgb24', '-f', 'rawvideo', '-');
  return execFileSync(FFMPEG, args, { maxBuffer: 1 << 28 });
}

/**
 * A smooth color field (R ramps across, G down, B a slow wave) as H.264 yuv420p: no hard
 * chroma edges, so 4:2:0 subsampling and the decoders' different chroma upsampling barely
 * matter and pixel comparisons measure the grade, not the codec. Still picture, `seconds` long.
 */
export function makeGradientVideo(file: string, o: { width: number; height: number; seconds: number; fps?: number }): string {
  const png = `${file}.png`;
  execFileSync(FFMPEG, ['-hide_banner', '-nostdin', '-y', '-v', 'error', '-f', 'lavfi', '-i',
    `color=s=${o.width}x${o.height},format=rgb24,geq=r='40+175*X/W':g='30+190*Y/H':b='128+90*sin(X/W*5+Y/H*3)'`, '-frames:v', '1', png]);
  execFileSync(FFMPEG, ['-hide_banner', '-nostdin', '-y', '-v', 'error', '-loop', '1', '-framerate', String(o.fps ?? 30), '-i', png,
    '-t', String(o.seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '12', '-pix_fmt', 'yuv420p', '-g', '30', file]);
  return file;
}
