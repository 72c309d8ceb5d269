/**
 * The user-facing failures of an ffmpeg run, built in one place so both engines say the
 * same thing. The stderr tail rides in the message (transports carry only code, message
 * and hint) and on `stderrTail` for code that wants the lines.
 */
import path from 'node:path';
import { ShotlineError } from '../../app/errors.js';
import { describeRun, outputArg } from './args.js';

export class FfmpegRunError extends ShotlineError {
  constructor(
    code: 'ffmpeg_failed' | 'disk_full' | 'canceled' | 'unsupported',
    message: string,
    hint: string | undefined,
    readonly stderrTail: string[] = [],
  ) {
    super(code, message, hint);
  }
}

const DISK_FULL = /No space left on device|ENOSPC|Disk quota exceeded/i;

/** True when ffmpeg's log shows it ran out of disk space. */
export function isDiskFullLog(line: string): boolean {
  return DISK_FULL.test(line);
}

export function canceledError(args: readonly string[]): FfmpegRunError {
  return new FfmpegRunError('canceled', `Canceled: ffmpeg stopped ${describeRun(args)}.`, undefined);
}

export function diskFullError(args: readonly string[], tail: string[] = []): FfmpegRunError {
  const out = outputArg(args);
  const where = out ? `"${out}"` : 'the output';
  return new FfmpegRunError(
    'disk_full',
    `The disk is full: ffmpeg could not finish writing ${where}.`,
    'Free some disk space or choose another folder, then try again.',
    tail,
  );
}

/** A run that ended badly: exit code (or signal) plus the last lines ffmpeg logged. */
export function failedError(args: readonly string[], exit: { code: number | null; signal?: string | null }, tail: string[]): FfmpegRunError {
  const how = exit.code !== null ? `exit code ${exit.code}` : `killed by ${exit.signal ?? 'a signal'}`;
  const body = tail.length ? `\n${tail.join('\n')}` : '';
  return new FfmpegRunError(
    'ffmpeg_failed',
    `ffmpeg failed (${how}) ${describeRun(args)}.${body}`,
    'The ffmpeg log above says why. Check that the input plays in another player and that the output folder is writable.',
    tail,
  );
}

/** ffmpeg could not be started at all (missing or not executable). */
export function spawnError(binary: string, err: Error): FfmpegRunError {
  return new FfmpegRunError(
    'ffmpeg_failed',
    `ffmpeg could not be started from "${binary}": ${err.message}.`,
    'Check the ffmpeg path in Settings, or clear it to use the bundled or system ffmpeg.',
  );
}

/** Default no-progress limit for either engine; SHOTLINE_FFMPEG_STALL_MS overrides it (tests use a few seconds). */
export const DEFAULT_STALL_TIMEOUT_MS = 120_000;

export function stallTimeoutFromEnv(): number {
  const v = Number(process.env.SHOTLINE_FFMPEG_STALL_MS);
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_STALL_TIMEOUT_MS;
}

/** A run whose output time stopped moving: names the input it was stuck on (the stream its last errors mention, else every input). */
export function stalledError(args: readonly string[], log: string[], stallMs: number): FfmpegRunError {
  const inputs = args.flatMap((a, i) => (a === '-i' && args[i + 1] ? [args[i + 1]!] : []));
  const idx = [...log].reverse().map((l) => /(?:stream|Input) #(\d+)/.exec(l)?.[1]).find((x) => x !== undefined);
  const culprit = idx !== undefined && inputs[Number(idx)] ? [inputs[Number(idx)]!] : inputs;
  const names = culprit.map((f) => `"${path.basename(f)}"`).join(', ');
  return new FfmpegRunError(
    'ffmpeg_failed',
    `ffmpeg made no progress for ${Math.round(stallMs / 1000)} s reading ${names || 'its input'} and was stopped.`,
    'The file may be damaged or only partly downloaded: replace it (re-import a good copy), then try again.',
    log,
  );
}
