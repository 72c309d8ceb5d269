/**
 * The native ffmpeg engine: spawns the binary with an argument array (never a shell, so
 * file names are never interpreted), reads `-progress` blocks for progress, and maps
 * abort, failure and a full disk to ShotlineErrors.
 */
import { ShotlineError } from '../../app/errors.js';
import type { FfmpegEngine, FfmpegRunOptions } from './engine.js';
import { parseFilterList } from './ffmpeg-text.js';
import { LineSplitter, LineTail } from './lines.js';
import { canceledError, diskFullError, failedError, isDiskFullLog, spawnError, stallTimeoutFromEnv, stalledError } from './media-errors.js';
import type { NativeFfmpegFound } from './native-find.js';
import { isProgressLine, ProgressBlockParser, ProgressTracker } from './progress-parser.js';
import { execSupervised, spawnSupervised, type SupervisedChild } from './supervised.js';
import { cachedFact, type FactsFile } from './binary-facts.js';

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

function listFilters(ffmpeg: string, factsFile: FactsFile): Promise<Set<string>> {
  let cached = filterCache.get(ffmpeg);
  if (!cached) {
    const ask = () =>
      execSupervised(ffmpeg, ['-hide_banner', '-filters'], { timeoutMs: 15_000, maxBuffer: 4 << 20 }).then(
        (r) => (r.code === 0 && !r.killed ? [...parseFilterList(r.stdout)] : null),
        () => null,
      );
    cached = cachedFact(factsFile, ffmpeg, 'filters', ask).then((list) => {
      // A failed listing is not cached: the next engine asks again.
      if (!list) filterCache.delete(ffmpeg);
      return new Set(list ?? []);
    });
    filterCache.set(ffmpeg, cached);
  }
  return cached;
}

export interface NativeEngineOptions {
  /** Where `-filters`' answer is kept between processes (binary-facts.ts); absent: asked each time. */
  factsFile?: FactsFile;
}

export async function createNativeEngine(found: Pick<NativeFfmpegFound, 'ffmpeg' | 'ffprobe' | 'version'>, opts: NativeEngineOptions = {}): Promise<NativeFfmpegEngine> {
  // hasFilter is synchronous in the engine interface, so the list is read up front.
  const filters = await listFilters(found.ffmpeg, opts.factsFile);
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
    // Own process group, dies with Shotline (supervised.ts); every kill below is the group's.
    let run: SupervisedChild;
    try {
      run = spawnSupervised(ffmpeg, full);
    } catch (e) {
      return reject(spawnError(ffmpeg, e as Error));
    }
    const { child } = run;
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
        run.kill('SIGKILL');
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
      run.kill('SIGTERM');
      killTimer = setTimeout(() => run.kill('SIGKILL'), KILL_GRACE_MS);
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
      run.kill('SIGKILL');
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

