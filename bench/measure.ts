/**
 * Timing helpers shared by the benchmarks. On a shared machine wall time swings with other
 * load; CPU time (ffmpeg's, threads included, plus ours) does not, so both are measured.
 */
import fs from 'node:fs';
import { spawn } from 'node:child_process';

export interface Sample {
  /** Wall-clock seconds. */
  wall: number;
  /** CPU seconds of this process and the ffmpeg it ran (null where /proc is missing). */
  cpu: number | null;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * CPU seconds of reaped child processes (Linux /proc/self/stat cutime + cstime). ffmpeg is
 * always a direct child (spawned here or by the native engine), so this counts exactly its
 * work, threads included, whatever else the machine is doing.
 */
export function childCpuSeconds(): number | null {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command name start at field 3; cutime is field 16, cstime 17; ticks are 1/100 s.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

export async function timed(fn: () => Promise<unknown>): Promise<Sample> {
  const child0 = childCpuSeconds();
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = (performance.now() - t0) / 1000;
  const self = process.cpuUsage(self0);
  const child1 = childCpuSeconds();
  const cpu = child0 === null || child1 === null ? null : child1 - child0 + (self.user + self.system) / 1e6;
  return { wall, cpu };
}

export function medianOf(samples: Sample[], key: 'wall' | 'cpu'): number | null {
  const xs = samples.map((x) => x[key]).filter((x): x is number => x !== null);
  return xs.length ? median(xs) : null;
}

/** Plain ffmpeg, nothing else: the baseline the benchmarks compare Shotline with. */
export function plainFfmpeg(bin: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    child.stderr.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${tail}`))));
  });
}
