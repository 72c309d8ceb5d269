/**
 * Pure reading of an ffmpeg argument list, by the convention of FfmpegRunOptions:
 * inputs follow `-i`, the output is the last argument.
 */

/** Values that follow `-i`, in order. */
export function inputArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length - 1; i++) if (args[i] === '-i') out.push(args[i + 1] as string);
  return out;
}

/** The output target, or null when there is none worth naming (`-` / `pipe:` / null muxer sink). */
export function outputArg(args: readonly string[]): string | null {
  if (args.length < 2) return null;
  const last = args[args.length - 1] as string;
  if (args[args.length - 2] === '-i') return null;
  if (last === '-' || last.startsWith('pipe:') || last.startsWith('-') || last === '/dev/null' || last === 'NUL') return null;
  return last;
}

/** Short human description of what a run reads and writes, for error messages. */
export function describeRun(args: readonly string[]): string {
  const ins = inputArgs(args);
  const out = outputArg(args);
  const from = ins.length ? ins.map((i) => `"${i}"`).join(', ') : 'generated input';
  return out ? `writing "${out}" from ${from}` : `reading ${from}`;
}
