/**
 * Shared pieces of the export integration tests: projects built directly as ProjectState
 * from fixtures probed with the real prober, and independent measurements of the output
 * (plain ffmpeg decoding, PSNR, tone detection) that do not go through the code under test.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Asset, Clip, ClipEffects, ProjectState, Track } from '../../../app/model/types.js';
import { DEFAULT_EFFECTS } from '../../../app/model/types.js';
import { secondsToFlicks } from '../../../app/time/flicks.js';
import type { FfmpegEngine } from '../../../main/media/engine.js';
import { createNativeEngine, findNativeFfmpeg } from '../../../main/media/native-engine.js';
import { probeMedia } from '../../../main/media/probe.js';
import { FFMPEG } from '../../helpers/media-fixtures.js';

export const s = secondsToFlicks;

/** What a person puts before the scale of an SD (BT.601) source into an export, which is BT.709 (docs/color.md). */
export const SD_TO_709 = 'colormatrix=bt601:bt709,';

let nativeEngine: Promise<FfmpegEngine> | null = null;
export function native(): Promise<FfmpegEngine> {
  nativeEngine ??= findNativeFfmpeg({}).then((found) => {
    if (!found) throw new Error('These tests need a native ffmpeg on PATH.');
    return createNativeEngine(found);
  });
  return nativeEngine;
}

/** Probes a file inside `projectDir` into an Asset, as import would. */
export async function assetFor(projectDir: string, id: string, relPath: string): Promise<Asset> {
  const file = path.join(projectDir, relPath);
  const probed = await probeMedia(file, await native(), { decodeCheck: false });
  return {
    id,
    kind: probed.kind,
    sha256: id.padEnd(64, '0'),
    path: relPath,
    name: path.basename(relPath),
    bytes: (await fs.promises.stat(file)).size,
    probe: probed.probe,
    derivatives: {},
    provenance: { source: 'import', originalName: path.basename(relPath), importedAt: '2026-01-01T00:00:00Z' },
  };
}

export function project(name: string, assets: Asset[], clips: Clip[], extraTracks: Track[] = []): ProjectState {
  const st: ProjectState = {
    settings: { name, fps: { num: 30, den: 1 }, width: 1920, height: 1080, sampleRate: 48000 },
    assets: Object.fromEntries(assets.map((a) => [a.id, a])),
    shots: {},
    takes: {},
    tracks: {
      v1: { id: 'v1', kind: 'video', index: 0, name: 'V1', muted: false },
      a1: { id: 'a1', kind: 'audio', index: 0, name: 'A1', muted: false },
    },
    clips: Object.fromEntries(clips.map((c) => [c.id, c])),
  };
  for (const t of extraTracks) st.tracks[t.id] = t;
  return st;
}

export function clip(id: string, trackId: string, assetId: string, start: number, inS: number, outS: number, effects: Partial<ClipEffects> = {}): Clip {
  return { id, trackId, assetId, startFlicks: s(start), inFlicks: s(inS), outFlicks: s(outS), shotId: null, effects: { ...DEFAULT_EFFECTS, ...effects } };
}

function runBinary(args: string[], encoding: 'buffer' | 'utf8'): Promise<{ stdout: Buffer | string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(FFMPEG, ['-hide_banner', '-nostdin', ...args], { maxBuffer: 256 << 20, encoding: encoding as BufferEncoding }, (err, stdout, stderr) => {
      if (err) reject(new Error(`ffmpeg ${args.join(' ')} failed: ${String(stderr).slice(-1500)}`));
      else resolve({ stdout, stderr: String(stderr) });
    });
  });
}

/** The whole audio track, mixed to mono float samples at `sampleRate`. */
export async function decodeMono(file: string, sampleRate = 48000): Promise<Float32Array> {
  const { stdout } = await runBinary(['-v', 'error', '-i', file, '-map', '0:a:0', '-ac', '1', '-ar', String(sampleRate), '-f', 'f32le', 'pipe:1'], 'buffer');
  const buf = stdout as Buffer;
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

/** Luma plane of output frame `n` (0-based). */
export async function lumaOfFrame(file: string, n: number): Promise<Uint8Array> {
  const { stdout } = await runBinary(['-v', 'error', '-i', file, '-vf', `select=eq(n\\,${n})`, '-frames:v', '1', '-fps_mode', 'passthrough', '-pix_fmt', 'gray', '-f', 'rawvideo', 'pipe:1'], 'buffer');
  return new Uint8Array(stdout as Buffer);
}

/** RGB bytes of output frame `n` (0-based), row-major, 3 bytes a pixel. */
export async function rgbOfFrame(file: string, n: number): Promise<Uint8Array> {
  const { stdout } = await runBinary(['-v', 'error', '-i', file, '-vf', `select=eq(n\\,${n})`, '-frames:v', '1', '-fps_mode', 'passthrough', '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1'], 'buffer');
  return new Uint8Array(stdout as Buffer);
}

/**
 * PSNR (average over Y, U, V, in dB) of frame `n` of `exported` against frame `m` of
 * `source` put through `refFilter` by plain ffmpeg. Infinity when identical.
 */
export async function psnrAgainstSource(exported: string, n: number, source: string, m: number, refFilter: string): Promise<number> {
  const graph =
    `[0:v]trim=start_frame=${n}:end_frame=${n + 1},setpts=PTS-STARTPTS[a];` +
    `[1:v]trim=start_frame=${m}:end_frame=${m + 1},setpts=PTS-STARTPTS,${refFilter},format=yuv420p[b];[a][b]psnr`;
  const { stderr } = await runBinary(['-i', exported, '-i', source, '-filter_complex', graph, '-f', 'null', '-'], 'utf8');
  const match = /PSNR .*average:(inf|[0-9.]+)/.exec(stderr);
  if (!match) throw new Error(`no PSNR in ffmpeg output: ${stderr.slice(-800)}`);
  return match[1] === 'inf' ? Infinity : Number(match[1]);
}

export function rms(x: Float32Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i]! * x[i]!;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/** Power at one frequency (Goertzel), normalised by window length. */
export function goertzel(x: Float32Array, from: number, to: number, hz: number, sampleRate: number): number {
  const w = (2 * Math.PI * hz) / sampleRate;
  const c = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = from; i < to; i++) {
    const s0 = x[i]! + c * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - c * s1 * s2) / (to - from) ** 2;
}

/** Strongest frequency between 50 Hz and 4 kHz in samples [from, to), to 5 Hz. */
export function dominantHz(x: Float32Array, from: number, to: number, sampleRate = 48000): number {
  let best = 0;
  let bestHz = 0;
  for (let hz = 50; hz <= 4000; hz += 5) {
    const p = goertzel(x, from, to, hz, sampleRate);
    if (p > best) {
      best = p;
      bestHz = hz;
    }
  }
  return bestHz;
}

/** Names of partial exports left in a folder. */
export function partialsIn(dir: string): string[] {
  return fs.readdirSync(dir).filter((n) => n.includes('.shotline-partial-'));
}
