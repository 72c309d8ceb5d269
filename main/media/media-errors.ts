/**
 * The user-facing failures of an ffmpeg run, built in one place so both engines say the
 * same thing. The stderr tail rides in the message (transports carry only code, message
 * and hint) and on `stderrTail` for code that wants the lines.
 */
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
