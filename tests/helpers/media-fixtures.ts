/**
 * Test media made on the spot with native ffmpeg (lavfi sources: testsrc2 picture, a pure
 * tone), so tests never depend on checked-in binaries and every property is known exactly.
 * Keep it small: these run on shared 2-core machines (320x240, a second or two, ultrafast).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Override with SHOTLINE_TEST_FFMPEG / SHOTLINE_TEST_FFPROBE to test against another build. */
export const FFMPEG = process.env.SHOTLINE_TEST_FFMPEG ?? 'ffmpeg';
export const FFPROBE = process.env.SHOTLINE_TEST_FFPROBE ?? 'ffprobe';

function run(bin: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { maxBuffer: 16 << 20, windowsHide: true }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${bin} ${args.join(' ')} failed: ${String(stderr).trim().split('\n').slice(-5).join('\n')}`));
      else resolve(String(stdout));
    });
  });
}

/** Runs the test ffmpeg quietly (overwrite, no stdin, errors only). */
export function ffmpeg(args: string[]): Promise<string> {
  return run(FFMPEG, ['-hide_banner', '-nostdin', '-y', '-v', 'error', ...args]);
}

export interface FfprobeStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  sample_rate?: string;
  channels?: number;
  duration?: string;
  nb_frames?: string;
  time_base?: string;
  /** Length in time_base units (for AAC in MP4: the edit list's exact sample count). */
  duration_ts?: number;
}

export interface FfprobeOutput {
  format: { format_name: string; duration?: string; size?: string };
  streams: FfprobeStream[];
}

/** Independent measurement of a file (the code under test is not involved). */
export async function ffprobeJson(file: string): Promise<FfprobeOutput> {
  return JSON.parse(await run(FFPROBE, ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file])) as FfprobeOutput;
}

/** A fresh temp folder; `cleanup` removes it. */
export async function makeTempDir(prefix = 'shotline-media-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.promises.rm(dir, { recursive: true, force: true }) };
}

/** A frame rate as ffmpeg takes it: 30, 25, '30000/1001'. */
export type FpsSpec = number | string;

export interface TestVideoOptions {
  /** Output file; the container follows its extension (.mp4, .mov, .mkv, .webm). */
  path: string;
  seconds?: number;
  width?: number;
  height?: number;
  fps?: FpsSpec;
  /** Frequency of the audio tone (default 440 Hz). */
  toneHz?: number;
  /** Peak amplitude of the tone, 0..1 (default 0.5; 0 gives digital silence). */
  amplitude?: number;
  withAudio?: boolean;
  /** MP4/MOV: put the moov atom first (`-movflags +faststart`). Default false (moov at the end). */
  faststart?: boolean;
  /** Keyframe interval in frames (default: one per second). */
  gop?: number;
}

/** A testsrc2 clip (+ a sine tone when withAudio), H.264/AAC (VP8/Opus for .webm). */
export async function makeTestVideo(o: TestVideoOptions): Promise<string> {
  const seconds = o.seconds ?? 1;
  const width = o.width ?? 320;
  const height = o.height ?? 240;
  const fps = String(o.fps ?? 30);
  const ext = path.extname(o.path).toLowerCase();
  const webm = ext === '.webm';
  const args = ['-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}:duration=${seconds}`];
  if (o.withAudio) args.push('-f', 'lavfi', '-i', toneSource(o.toneHz ?? 440, o.amplitude ?? 0.5, 48000, seconds));
  const gop = o.gop ?? Math.max(1, Math.round(rateValue(fps)));
  if (webm) args.push('-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '500k', '-g', String(gop));
  else args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', String(gop));
  if (o.withAudio) args.push(...(webm ? ['-c:a', 'libopus'] : ['-c:a', 'aac', '-b:a', '96k']));
  if (o.faststart) args.push('-movflags', '+faststart');
  args.push('-t', String(seconds), o.path);
  await ffmpeg(args);
  return o.path;
}

function rateValue(fps: string): number {
  const [a, b = '1'] = fps.split('/');
  return Number(a) / Number(b);
}

/** An exact tone: aevalsrc rather than `sine`, whose amplitude is fixed at 1/8. */
function toneSource(hz: number, amplitude: number, sampleRate: number, seconds: number): string {
  return amplitude === 0 ? `anullsrc=r=${sampleRate}:cl=mono,atrim=duration=${seconds}` : `aevalsrc=${amplitude}*sin(2*PI*${hz}*t):s=${sampleRate}:d=${seconds}`;
}

export interface TestAudioOptions {
  /** Output file; codec follows the extension (.wav PCM, .m4a/.aac AAC, .mp3, .ogg/.opus Opus, .flac). */
  path: string;
  seconds?: number;
  toneHz?: number;
  /** Peak amplitude 0..1 (default 0.5); 0 gives digital silence. */
  amplitude?: number;
  sampleRate?: number;
  channels?: 1 | 2;
}

export async function makeTestAudio(o: TestAudioOptions): Promise<string> {
  const seconds = o.seconds ?? 1;
  const sampleRate = o.sampleRate ?? 48000;
  const codecs: Record<string, string[]> = {
    '.wav': ['-c:a', 'pcm_s16le'],
    '.m4a': ['-c:a', 'aac', '-b:a', '96k'],
    '.aac': ['-c:a', 'aac', '-b:a', '96k'],
    '.mp3': ['-c:a', 'libmp3lame', '-b:a', '96k'],
    '.ogg': ['-c:a', 'libopus'],
    '.opus': ['-c:a', 'libopus'],
    '.flac': ['-c:a', 'flac'],
  };
  const codec = codecs[path.extname(o.path).toLowerCase()] ?? [];
  await ffmpeg(['-f', 'lavfi', '-i', toneSource(o.toneHz ?? 440, o.amplitude ?? 0.5, sampleRate, seconds), '-ac', String(o.channels ?? 1), ...codec, '-t', String(seconds), o.path]);
  return o.path;
}

export interface TestImageOptions {
  /** Output file; the format follows the extension (.png, .jpg, .webp, .bmp, .tiff). */
  path: string;
  width?: number;
  height?: number;
}

export async function makeTestImage(o: TestImageOptions): Promise<string> {
  await ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=${o.width ?? 320}x${o.height ?? 240}`, '-frames:v', '1', '-update', '1', o.path]);
  return o.path;
}

export type CorruptKind = 'text' | 'zero' | 'random';

/** Not media: text (e.g. saved under a .mp4 name), an empty file, or random bytes. */
export async function makeCorruptFile(filePath: string, kind: CorruptKind = 'text'): Promise<string> {
  if (kind === 'zero') await fs.promises.writeFile(filePath, '');
  else if (kind === 'text') await fs.promises.writeFile(filePath, 'This is a shopping list, not a video.\nmilk\neggs\n'.repeat(20));
  else {
    // Deterministic bytes so a failure reproduces.
    const bytes = new Uint8Array(64 * 1024);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    await fs.promises.writeFile(filePath, bytes);
  }
  return filePath;
}

export interface TruncatedVideoOptions extends Omit<TestVideoOptions, 'faststart'> {
  /** true: moov first, so the index survives and only the media data is cut. */
  faststart: boolean;
  /** Fraction of the bytes to keep (default 0.6). */
  keep?: number;
}

/** A clip cut short, as an interrupted download or copy leaves it. */
export async function makeTruncatedVideo(o: TruncatedVideoOptions): Promise<string> {
  const full = `${o.path}.full${path.extname(o.path)}`;
  await makeTestVideo({ ...o, path: full, seconds: o.seconds ?? 2 });
  const bytes = await fs.promises.readFile(full);
  await fs.promises.writeFile(o.path, bytes.subarray(0, Math.floor(bytes.length * (o.keep ?? 0.6))));
  await fs.promises.rm(full, { force: true });
  return o.path;
}
