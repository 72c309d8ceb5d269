/**
 * What tying ffmpeg to Shotline's life costs (main/media/supervised.ts): the same short
 * ffmpeg run (`-version`, where start-up is everything) started plainly and through the
 * supervising prologue, alternating, plus the CPU the sleeping watcher uses during a long run.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { spawnSupervised } from '../main/media/supervised.js';

const N = Number(process.env.SHOTLINE_BENCH_RUNS ?? 40);
const ffmpeg = process.env.SHOTLINE_TEST_FFMPEG ?? '/usr/bin/ffmpeg';

function plain(): Promise<void> {
  return new Promise((r) => spawn(ffmpeg, ['-version'], { stdio: ['ignore', 'pipe', 'pipe'] }).on('close', () => r()).stdout!.resume());
}
function supervised(): Promise<void> {
  return new Promise((r) => {
    const { child } = spawnSupervised(ffmpeg, ['-version']);
    child.stdout.resume();
    child.on('close', () => r());
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const a: number[] = [];
const b: number[] = [];
for (let i = 0; i < N; i++) {
  let t = performance.now();
  await plain();
  a.push(performance.now() - t);
  t = performance.now();
  await supervised();
  b.push(performance.now() - t);
}
console.log(`ffmpeg -version, median of ${N}: plain ${median(a).toFixed(1)} ms, supervised ${median(b).toFixed(1)} ms (+${(median(b) - median(a)).toFixed(1)} ms per run)`);

// The watcher's CPU over a 3 s run: its /proc stat utime+stime, in clock ticks.
const { child } = spawnSupervised(ffmpeg, ['-nostdin', '-re', '-f', 'lavfi', '-i', 'anullsrc', '-t', '3', '-f', 'null', '-']);
child.stderr.resume();
child.stdout.resume();
await new Promise((r) => setTimeout(r, 500));
const watcher = fs
  .readdirSync('/proc')
  .filter((n) => /^\d+$/.test(n))
  .find((n) => {
    try {
      return fs.readFileSync(`/proc/${n}/stat`, 'utf8').split(') ')[1]!.split(' ')[1] === String(child.pid);
    } catch {
      return false;
    }
  });
const ticks = () => (watcher ? fs.readFileSync(`/proc/${watcher}/stat`, 'utf8').split(') ')[1]!.split(' ').slice(11, 13).reduce((s, x) => s + Number(x), 0) : NaN);
const before = ticks();
await new Promise((r) => setTimeout(r, 2000));
console.log(`watcher CPU over 2 s of a run: ${ticks() - before} clock ticks (1 tick = 10 ms); watcher RSS ${watcher ? /VmRSS:\s+(\d+ kB)/.exec(fs.readFileSync(`/proc/${watcher}/status`, 'utf8'))?.[1] : '?'}`);
await new Promise((r) => child.on('close', r));
