/**
 * The native ffmpeg engine: spawns the binary with an argument array (never a shell, so
 * file names are never interpreted), reads `-progress` blocks for progress, and maps
 * abort, failure and a full disk to ShotlineErrors.
 */
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { ShotlineError } from '../../app/errors.js';
import type { FfmpegEngine, FfmpegRunOptions } from './engine.js';
import { parseFilterList } from './ffmpeg-text.js';
import { LineSplitter, LineTail } from './lines.js';
import { canceledError, diskFullError, failedError, isDiskFullLog, spawnError } from './media-errors.js';
import type { NativeFfmpegFound } from './native-find.js';
import { isProgressLine, ProgressBlockParser, ProgressTracker } from './progress-parser.js';

export { findNativeFfmpeg, type NativeFfmpegFound, type FindNativeOptions } from './native-find.js';

/** How long ffmpeg gets to stop after SIGTERM (it finishes the frame and the trailer) before SIGKILL. */
export const KILL_GRACE_MS = 2_000;

export interface NativeFfmpegEngine extends FfmpegEngine {
  kind: 'native';
  path: string;
  ffprobePath: string | null;
  canPipeStdout: true;
}

// `ffmpeg -filters` takes a spawn; every engine built for the same binary shares the answer.
const filterCache = new Map<string, Promise<Set<string>>>();

function listFilters(ffmpeg: string): Promise<Set<string>> {
  let cached = filterCache.get(ffmpeg);
  if (!cached) {
    cached = new Promise((resolve) => {
      execFile(ffmpeg, ['-hide_banner', '-filters'], { timeout: 15_000, killSignal: 'SIGKILL', windowsHide: true, maxBuffer: 4 << 20 }, (err, stdout) => {
        // A failed listing is not cached: the next engine asks again.
        if (err) filterCache.delete(ffmpeg);
        resolve(err ? new Set() : parseFilterList(String(stdout)));
      });
    });
    filterCache.set(ffmpeg, cached);
  }
  return cached;
}

export async function createNativeEngine(found: Pick<NativeFfmpegFound, 'ffmpeg' | 'ffprobe' | 'version'>): Promise<NativeFfmpegEngine> {
  // hasFilter is synchronous in the engine interface, so the list is read up front.
  const filters = await listFilters(found.ffmpeg);
  return {
    kind: 'native',
    version: found.version,
    path: found.ffmpeg,
    ffprobePath: found.ffprobe,
    canPipeStdout: true,
    hasFilter: (name) => filters.has(name),
    run: (opts) => runNative(found.ffmpeg, opts),
  };
}

function runNative(ffmpeg: string, opts: FfmpegRunOptions): Promise<void> {
  const { args, signal, onProgress, onLog, onStdout } = opts;
  if (signal?.aborted) return Promise.reject(canceledError(args));
  // Progress goes to stdout unless the caller wants stdout's bytes; then it shares stderr
  // with the log and is told apart by its key=value shape.
  const progressFd = onStdout ? 'pipe:2' : 'pipe:1';
  const full = ['-hide_banner', '-nostdin', '-y', '-nostats', '-progress', progressFd, ...args];

  return new Promise<void>((resolve, reject) => {
    const child = spawn(ffmpeg, full, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const tail = new LineTail(20);
    const blocks = new ProgressBlockParser();
    const tracker = new ProgressTracker(opts.expectedDurationFlicks);
    const outLines = new LineSplitter();
    const errLines = new LineSplitter();
    let diskFull = false;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;
    let callbackError: unknown = null;

    const guard = (fn: () => void) => {
      // A throwing callback must not leave ffmpeg running unobserved: remember it, stop ffmpeg.
      try {
        fn();
      } catch (e) {
        if (callbackError === null) callbackError = e;
        child.kill('SIGKILL');
      }
    };
    const progressLine = (line: string) => {
      const raw = blocks.feedLine(line);
      if (!raw) return;
      const p = tracker.update(raw);
      noteActivity(p.outTimeFlicks);
      if (onProgress) guard(() => onProgress(p));
    };
    const logLine = (line: string) => {
      if (isDiskFullLog(line)) diskFull = true;
      tail.add(line);
      if (onLog) guard(() => onLog(line));
    };
    const stderrLine = (line: string) => (onStdout && isProgressLine(line) ? progressLine(line) : logLine(line));

    child.stdout.on('data', (chunk: Buffer) => {
      if (onStdout) {
        noteActivity();
        guard(() => onStdout(chunk));
      }
      else outLines.push(chunk.toString('utf8')).forEach(progressLine);
    });
    child.stderr.on('data', (chunk: Buffer) => errLines.push(chunk.toString('utf8')).forEach(stderrLine));

    const onAbort = () => {
      aborted = true;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    // No-progress watchdog: ffmpeg reports `-progress` twice a second; when its output time
    // stops moving (a still that never decodes under `-loop 1` spins at 0 % forever) the run
    // is stopped and fails naming the input it was stuck on.
    const stallMs = opts.stallTimeoutMs ?? stallTimeoutFromEnv();
    let lastOutTime = -1;
    let lastMove = Date.now();
    let stalled = false;
    const watchdog = setInterval(() => {
      if (Date.now() - lastMove < stallMs) return;
      stalled = true;
      child.kill('SIGKILL');
    }, Math.min(1000, stallMs / 4));
    watchdog.unref();
    const noteActivity = (outTime?: number) => {
      if (outTime === undefined || outTime !== lastOutTime) {
        lastOutTime = outTime ?? lastOutTime;
        lastMove = Date.now();
      }
    };

    const finish = (err: Error | null) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      if (killTimer) clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };

    child.on('error', (err) => finish(spawnError(ffmpeg, err)));
    // 'close' (not 'exit'): the process is gone and every byte it wrote has been read.
    child.on('close', (code, sig) => {
      if (!onStdout) outLines.flush().forEach(progressLine);
      errLines.flush().forEach(stderrLine);
      if (aborted) return finish(canceledError(args));
      if (stalled) return finish(stalledError(args, tail.get(), stallMs));
      if (callbackError !== null) return finish(callbackError instanceof Error ? callbackError : new ShotlineError('internal', String(callbackError)));
      // Checked before the exit code: ffmpeg 5.1 exits 0 when writing the trailer hits a full disk.
      if (diskFull) return finish(diskFullError(args, tail.get()));
      if (code === 0) return finish(null);
      finish(failedError(args, { code, signal: sig }, tail.get()));
    });
  });
}

/** Default no-progress limit; SHOTLINE_FFMPEG_STALL_MS overrides it (tests use a few seconds). */
export const DEFAULT_STALL_TIMEOUT_MS = 120_000;

function stallTimeoutFromEnv(): number {
  const v = Number(process.env.SHOTLINE_FFMPEG_STALL_MS);
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_STALL_TIMEOUT_MS;
}

/** Names the input ffmpeg was stuck on: the stream its last errors mention, else every input. */
function stalledError(args: readonly string[], log: string[], stallMs: number): ShotlineError {
  const inputs = args.flatMap((a, i) => (a === '-i' && args[i + 1] ? [args[i + 1]!] : []));
  const idx = [...log].reverse().map((l) => /(?:stream|Input) #(\d+)/.exec(l)?.[1]).find((x) => x !== undefined);
  const culprit = idx !== undefined && inputs[Number(idx)] ? [inputs[Number(idx)]!] : inputs;
  const names = culprit.map((f) => `"${path.basename(f)}"`).join(', ');
  return new ShotlineError(
    'ffmpeg_failed',
    `ffmpeg made no progress for ${Math.round(stallMs / 1000)} s reading ${names || 'its input'} and was stopped.`,
    'The file may be damaged or only partly downloaded: replace it (re-import a good copy), then try again.',
  );
}
