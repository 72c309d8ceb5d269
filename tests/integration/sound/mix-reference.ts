/**
 * An independent sample-domain mixer for the sound-edit export tests: from the project state
 * and the decoded source samples it computes what every output sample must be (each clip's
 * source sample under it × the model's gain at that instant × track volume, panned with the
 * StereoPanner law). The export's ffmpeg graph is compared against it sample for sample.
 */
import { execFile } from 'node:child_process';
import type { ProjectState } from '../../../app/model/types.js';
import { FLICKS_PER_SECOND } from '../../../app/time/flicks.js';
import { trackCrossfades } from '../../../app/timeline/crossfades.js';
import { clipGainAt } from '../../../app/timeline/fades.js';
import { anySolo, isAudible, stereoPanMatrix, trackPan, trackVolume } from '../../../app/timeline/mix.js';
import { clipEnd, clipsOnTrack, timelineDuration } from '../../../app/timeline/query.js';
import { FFMPEG } from '../../helpers/media-fixtures.js';

export const SR = 48000;
const FPS_SAMPLE = FLICKS_PER_SECOND / SR;

export interface Stereo {
  l: Float32Array;
  r: Float32Array;
}

function run(args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    execFile(FFMPEG, ['-hide_banner', '-nostdin', '-v', 'error', ...args], { encoding: 'buffer', maxBuffer: 512 << 20 }, (e, out, err) => (e ? reject(new Error(`ffmpeg failed: ${String(err).slice(-1200)}`)) : resolve(out))),
  );
}

export function deinterleave(buf: Buffer): Stereo {
  const f = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const n = f.length / 2;
  const l = new Float32Array(n);
  const r = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    l[i] = f[2 * i]!;
    r[i] = f[2 * i + 1]!;
  }
  return { l, r };
}

/** A file's first audio stream as stereo float samples at 48 kHz (plain ffmpeg, not the code under test). */
export async function decodeStereo(file: string): Promise<Stereo> {
  return deinterleave(await run(['-i', file, '-map', '0:a:0', '-ac', '2', '-ar', String(SR), '-f', 'f32le', '-c:a', 'pcm_f32le', 'pipe:1']));
}

/** Runs ffmpeg with `args` (inputs and graph) and returns the graph's audio pad as stereo PCM (the picture goes to null). */
export async function graphAudio(args: string[], audioOut: string, videoOut: string): Promise<Stereo> {
  return deinterleave(await run([...args.filter((a) => a !== '-hide_banner' && a !== '-nostdin' && a !== '-y'), '-map', audioOut, '-c:a', 'pcm_f32le', '-f', 'f32le', 'pipe:1', '-map', videoOut, '-f', 'null', '-']));
}

/** What the mix must be, sample by sample, for a timeline whose sources are given decoded by asset id. */
export function referenceMix(state: ProjectState, sources: Record<string, Stereo>): Stereo {
  const total = Math.round(timelineDuration(state) / FPS_SAMPLE);
  const l = new Float32Array(total);
  const r = new Float32Array(total);
  const tracks = Object.values(state.tracks);
  const solo = anySolo(tracks);
  for (const t of tracks) {
    if (!isAudible(t, solo)) continue;
    const clips = clipsOnTrack(state, t.id);
    const fades = t.kind === 'audio' ? trackCrossfades(clips) : new Map();
    const m = stereoPanMatrix(t.kind === 'audio' ? trackPan(t) : 0);
    const vol = t.kind === 'audio' ? trackVolume(t) : 1;
    for (const c of clips) {
      const src = sources[c.assetId];
      if (!src || (t.kind === 'video' && c.audioDetached)) continue;
      const from = Math.round(c.startFlicks / FPS_SAMPLE);
      const to = Math.round(clipEnd(c) / FPS_SAMPLE);
      for (let n = from; n < to && n < total; n++) {
        const tf = n * FPS_SAMPLE;
        const si = Math.round((c.inFlicks + (tf - c.startFlicks)) / FPS_SAMPLE);
        const g = vol * clipGainAt(c, tf, fades.get(c.id));
        const sl = (src.l[si] ?? 0) * g;
        const sr = (src.r[si] ?? 0) * g;
        l[n]! += m.lFromL * sl + m.lFromR * sr;
        r[n]! += m.rFromL * sl + m.rFromR * sr;
      }
    }
  }
  return { l, r };
}

export function maxAbsDiff(a: Float32Array, b: Float32Array, from = 0, to = Math.min(a.length, b.length)): { max: number; at: number } {
  let max = 0;
  let at = -1;
  for (let i = from; i < to; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d > max) [max, at] = [d, i];
  }
  return { max, at };
}

/** Normalised correlation of x[from, to) with y shifted by `lag` (y[i + lag]). */
export function correlation(x: Float32Array, y: Float32Array, from: number, to: number, lag = 0): number {
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let i = from; i < to; i++) {
    const a = x[i]!;
    const b = y[i + lag] ?? 0;
    xy += a * b;
    xx += a * a;
    yy += b * b;
  }
  return xy / Math.sqrt(xx * yy || 1);
}

/** The lag in [-range, range] at which y best matches x over [from, to). */
export function bestLag(x: Float32Array, y: Float32Array, from: number, to: number, range: number): number {
  let best = -Infinity;
  let lag = 0;
  for (let k = -range; k <= range; k++) {
    const c = correlation(x, y, from, to, k);
    if (c > best) [best, lag] = [c, k];
  }
  return lag;
}

export function rmsOf(x: Float32Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / Math.max(1, to - from));
}

export const dB = (ratio: number) => 20 * Math.log10(ratio);
export const at = (seconds: number) => Math.round(seconds * SR);

/** Noise that is the same on both channels (a seeded pink noise: little energy where AAC cuts off), with a picture, as PCM in QuickTime (sample-exact timestamps: Matroska's are whole milliseconds, so seeking into it lands up to 47 samples off). */
export async function noiseVideo(file: string, seed: number, seconds: number): Promise<void> {
  await run([
    '-f', 'lavfi', '-i', `testsrc2=s=160x90:r=30:d=${seconds}`,
    '-f', 'lavfi', '-i', `anoisesrc=r=${SR}:a=0.3:c=pink:s=${seed}:d=${seconds}`,
    '-af', 'pan=stereo|c0=c0|c1=c0', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'pcm_s16le', '-t', String(seconds), '-y', file,
  ]);
}

/** A stereo tone as a WAV. */
export async function toneWav(file: string, hz: number, amplitude: number, seconds: number): Promise<void> {
  await run(['-f', 'lavfi', '-i', `aevalsrc=${amplitude}*sin(2*PI*${hz}*t)|${amplitude}*sin(2*PI*${hz}*t):s=${SR}:d=${seconds}`, '-c:a', 'pcm_s16le', '-y', file]);
}

/** Seeded white noise, the same on both channels, as a WAV. */
export async function whiteNoiseWav(file: string, seed: number, seconds: number): Promise<void> {
  await run(['-f', 'lavfi', '-i', `anoisesrc=r=${SR}:a=0.3:c=white:s=${seed}:d=${seconds}`, '-af', 'pan=stereo|c0=c0|c1=c0', '-c:a', 'pcm_s16le', '-y', file]);
}
