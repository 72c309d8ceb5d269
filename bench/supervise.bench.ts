/**
 * What tying ffmpeg to Shotline's life costs (main/media/supervised.ts): the same short
 * ffmpeg run (`-version`, where start-up is everything) started plainly and through the
 * supervising prologue, alternating, plus the CPU the sleeping watcher uses during a long run.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { spawnSupervised } from '../main/media/supervised.js';

const N = Number(process.env.SHOTLINE_BENCH_RUNS ?? 100);
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
// CPU of waited-for children (cutime + cstime in /proc/self/stat, clock ticks of 10 ms): wall
// time on a shared machine mostly measures the other load.
const childTicks = () => {
  const f = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return Number(f[13]) + Number(f[14]);
};
const a: number[] = [];
const b: number[] = [];
let ticksPlain = 0;
let ticksSup = 0;
for (let i = 0; i < N; i++) {
  let c = childTicks();
  let t = performance.now();
  await plain();
  a.push(performance.now() - t);
  ticksPlain += childTicks() - c;
  c = childTicks();
  t = performance.now();
  await supervised();
  b.push(performance.now() - t);
  ticksSup += childTicks() - c;
}
console.log(`ffmpeg -version, ${N} runs each, alternating: wall median plain ${median(a).toFixed(1)} ms, supervised ${median(b).toFixed(1)} ms`);
console.log(`CPU per run: plain ${((ticksPlain * 10) / N).toFixed(1)} ms, supervised ${((ticksSup * 10) / N).toFixed(1)} ms (sh start-up + fork of the watcher)`);

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
