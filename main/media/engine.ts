/**
 * The ffmpeg engine seam. Two implementations: the native ffmpeg binary (fast; found via
 * setting → bundled → PATH) and @ffmpeg/core compiled to wasm (always available, slower).
 * Everything that transcodes (thumbnails, peaks, export) goes through `run`.
 */
import type { Flicks } from '../../app/time/flicks.js';

export interface FfmpegProgress {
  /** 0..1 of the expected output duration, when known. */
  fraction: number | null;
  outTimeFlicks: Flicks;
  /** Encoding speed relative to realtime (ffmpeg's `speed=`), when reported. */
  speed: number | null;
  etaSeconds: number | null;
}

export interface FfmpegRunOptions {
  /**
   * ffmpeg arguments, never a shell string. Input files after `-i`; the output path last
   * (`-` with `-f null`, or `pipe:1` together with `onStdout`, for no file).
   */
  args: string[];
  /** Expected output duration, for progress fractions and ETA. */
  expectedDurationFlicks?: Flicks;
  signal?: AbortSignal;
  onProgress?: (p: FfmpegProgress) => void;
  /** Every line ffmpeg logs (stderr), for callers that read ffmpeg's own report (probe fallback, checks). */
  onLog?: (line: string) => void;
  /**
   * Raw bytes ffmpeg writes to stdout (output `pipe:1`). Native engine only: the wasm engine
   * has no binary stdout and rejects with 'unsupported'; callers branch on `canPipeStdout`.
   */
  onStdout?: (chunk: Uint8Array) => void;
  /** Stop the run (failing with the stuck input's name) when its output time has not moved this long (both engines; default SHOTLINE_FFMPEG_STALL_MS or 120 s). */
  stallTimeoutMs?: number;
  /**
   * Real files referenced inside other arguments (e.g. a .cube in `lut3d=file=...`). Native
   * ignores it; wasm copies them into its in-memory filesystem and rewrites the path text.
   */
  extraInputs?: string[];
}

export interface FfmpegEngineInfo {
  kind: 'native' | 'wasm';
  version: string;
  /** Binary path for native; null for wasm. */
  path: string | null;
  /** Filters this engine lacks that features may need (e.g. vidstabdetect on wasm). */
  hasFilter(name: string): boolean;
  /** ffprobe next to a native ffmpeg, when there is one; probing falls back to `ffmpeg -i` otherwise. */
  ffprobePath?: string | null;
  /** Whether `onStdout` works (native: yes; wasm: no, use a temp file). */
  canPipeStdout?: boolean;
}

export interface FfmpegEngine extends FfmpegEngineInfo {
  /** Runs ffmpeg; rejects with ShotlineError('ffmpeg_failed' | 'canceled' | 'disk_full') carrying stderr's tail. */
  run(opts: FfmpegRunOptions): Promise<void>;
}
