/**
 * A shaky clip with known shake, for the stabilize tests and bench: a fixed textured scene
 * (multi-octave value noise plus hard-edged blocks, from a seeded PRNG) seen through a
 * window that jumps by random integer offsets every frame. The offsets are the ground
 * truth; frames are generated here and encoded by plain ffmpeg (H.264, with a tone).
 */
import { spawn } from 'node:child_process';
import { FFMPEG } from './media-fixtures.js';

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A W×H 8-bit scene: value noise at several scales and some blocks with hard edges. */
export function makeScene(width: number, height: number, seed: number): Uint8Array {
  const rnd = prng(seed);
  const acc = new Float32Array(width * height);
  for (const [cell, weight] of [[64, 0.45], [24, 0.3], [9, 0.25]] as const) {
    const gw = Math.ceil(width / cell) + 2;
    const gh = Math.ceil(height / cell) + 2;
    const grid = Float32Array.from({ length: gw * gh }, () => rnd());
    for (let y = 0; y < height; y++) {
      const gy = y / cell;
      const y0 = Math.floor(gy);
      const fy = gy - y0;
      for (let x = 0; x < width; x++) {
        const gx = x / cell;
        const x0 = Math.floor(gx);
        const fx = gx - x0;
        const v00 = grid[y0 * gw + x0]!;
        const v10 = grid[y0 * gw + x0 + 1]!;
        const v01 = grid[(y0 + 1) * gw + x0]!;
        const v11 = grid[(y0 + 1) * gw + x0 + 1]!;
        acc[y * width + x]! += weight * ((v00 * (1 - fx) + v10 * fx) * (1 - fy) + (v01 * (1 - fx) + v11 * fx) * fy);
      }
    }
  }
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(40 + 170 * acc[i]!);
  const blocks = Math.round((width * height) / 6000);
  for (let b = 0; b < blocks; b++) {
    const bw = 6 + Math.floor(rnd() * width * 0.06);
    const bh = 6 + Math.floor(rnd() * height * 0.06);
    const bx = Math.floor(rnd() * (width - bw));
    const by = Math.floor(rnd() * (height - bh));
    const v = rnd() < 0.5 ? 10 : 245;
    for (let y = by; y < by + bh; y++) out.fill(v, y * width + bx, y * width + bx + bw);
  }
  return out;
}

export interface ShakyVideoOptions {
  path: string;
  width?: number;
  height?: number;
  fps?: number;
  seconds?: number;
  /** Largest offset from the centre, in pixels (default 3% of the width: a hand-held shake). */
  amplitude?: number;
  seed?: number;
  withAudio?: boolean;
  /** x264 preset (default ultrafast) and CRF (default 18). */
  preset?: string;
  crf?: number;
}

export interface ShakyVideo {
  path: string;
  /** Window offset of every frame (the camera shake). */
  offsets: { x: number; y: number }[];
  /** Mean frame-to-frame displacement of the shake, in pixels. */
  meanStep: number;
}

/** Writes the clip; the window offsets are uniform random in ±amplitude every frame. */
export async function makeShakyVideo(o: ShakyVideoOptions): Promise<ShakyVideo> {
  const width = o.width ?? 320;
  const height = o.height ?? 240;
  const fps = o.fps ?? 30;
  const seconds = o.seconds ?? 2;
  const amp = Math.round(o.amplitude ?? width * 0.03);
  const frames = Math.round(seconds * fps);
  const sw = width + 2 * amp;
  const sh = height + 2 * amp;
  const scene = makeScene(sw, sh, (o.seed ?? 1) * 7919);
  const rnd = prng(o.seed ?? 1);
  const offsets = Array.from({ length: frames }, () => ({ x: Math.round((rnd() * 2 - 1) * amp), y: Math.round((rnd() * 2 - 1) * amp) }));
  const args = ['-hide_banner', '-nostdin', '-y', '-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'gray', '-s', `${width}x${height}`, '-r', String(fps), '-i', 'pipe:0'];
  if (o.withAudio) args.push('-f', 'lavfi', '-i', `aevalsrc=0.4*sin(2*PI*440*t):s=48000:d=${seconds}`);
  args.push('-c:v', 'libx264', '-preset', o.preset ?? 'ultrafast', '-crf', String(o.crf ?? 18), '-pix_fmt', 'yuv420p', '-g', String(fps));
  if (o.withAudio) args.push('-c:a', 'aac', '-b:a', '96k');
  args.push('-t', String(seconds), o.path);
  const child = spawn(FFMPEG, args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg (shaky clip) exited ${code}: ${err.slice(-800)}`))));
  });
  const frame = Buffer.alloc(width * height);
  for (const off of offsets) {
    const x0 = amp + off.x;
    const y0 = amp + off.y;
    for (let y = 0; y < height; y++) frame.set(scene.subarray((y0 + y) * sw + x0, (y0 + y) * sw + x0 + width), y * width);
    if (!child.stdin.write(frame)) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end();
  await done;
  let sum = 0;
  for (let i = 1; i < offsets.length; i++) sum += Math.hypot(offsets[i]!.x - offsets[i - 1]!.x, offsets[i]!.y - offsets[i - 1]!.y);
  return { path: o.path, offsets, meanStep: sum / Math.max(1, offsets.length - 1) };
}
