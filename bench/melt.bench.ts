/**
 * Melt benchmark: `npm run bench -- melt`. The timeline of bench/export-project.ts (three
 * trimmed, graded 1080p30 clips) rendered by `shotline export` as a process and by MLT's
 * `melt` (the engine of Kdenlive and Shotcut) from an MLT XML of the same timeline with the
 * same LUT and x264 settings. Median of 3, runs alternating. Target: CPU ≤ 1.0× melt.
 * Skipped with a message when melt is not installed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findPreset } from '../app/export/presets.js';
import { findNativeFfmpeg } from '../main/media/native-engine.js';
import { buildGradedProject, meltXml } from './export-project.js';
import { medianOf, timed, type Sample } from './measure.js';
import { CLI, countFrames, psnrBetween, runProcess } from './process.js';
import { printTable, type Row } from './report.js';

// SHOTLINE_BENCH_RUNS overrides the count (e.g. 1 for a rough figure on a loaded machine).
const RUNS = Number(process.env.SHOTLINE_BENCH_RUNS) || 3;

async function main(): Promise<void> {
  if (spawnSync('melt', ['-version'], { stdio: 'ignore' }).status !== 0) {
    console.log('melt is not installed (Debian: apt-get install melt): skipping the melt comparison.');
    return;
  }
  const found = await findNativeFfmpeg({});
  if (!found) {
    console.log('No native ffmpeg found: nothing to benchmark.');
    return;
  }
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'shotline-bench-melt-'));
  try {
    const project = await buildGradedProject(path.join(dir, 'graded'), path.join(dir, 'home'));
    const preset = findPreset('1080p')!;
    const mlt = path.join(dir, 'timeline.mlt');
    fs.writeFileSync(mlt, meltXml(project));
    const meltOut = path.join(dir, 'melt.mp4');
    const oursOut = path.join(dir, 'shotline.mp4');
    const meltArgs = [mlt, '-silent', '-consumer', `avformat:${meltOut}`, 'vcodec=libx264', `preset=${preset.x264Preset}`, `crf=${preset.crf}`, 'pix_fmt=yuv420p', 'acodec=aac', `ab=${preset.audioBitrateK}k`, 'ar=48000', 'channels=2', 'real_time=-2'];
    const env = { ...process.env, SHOTLINE_HOME: path.join(dir, 'home') };
    const melt = () => runProcess('melt', meltArgs);
    const shotline = () => runProcess(process.execPath, [CLI, 'export', project.dir, '--preset', '1080p', '--out', oursOut, '--overwrite'], env);
    await melt();
    await shotline();
    const m: Sample[] = [];
    const s: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (i % 2 === 0) {
        m.push(await timed(melt));
        s.push(await timed(shotline));
      } else {
        s.push(await timed(shotline));
        m.push(await timed(melt));
      }
    }
    const [fm, fs_] = await Promise.all([countFrames(meltOut), countFrames(oursOut)]);
    const psnr = await psnrBetween(found.ffmpeg, oursOut, meltOut).catch(() => NaN);
    const rows: Row[] = [
      { name: `shotline export (process), ${project.seconds} s graded 1080p30, wall (load ${os.loadavg()[0]!.toFixed(1)})`, value: medianOf(s, 'wall')!, unit: 's', baseline: medianOf(m, 'wall')!, baselineName: 'melt' },
    ];
    const cs = medianOf(s, 'cpu');
    const cm = medianOf(m, 'cpu');
    if (cs !== null && cm !== null) rows.push({ name: 'shotline export (process), CPU time', value: cs, unit: 's', baseline: cm, baselineName: 'melt', target: '≤ 1.0×' });
    printTable(rows);
    console.log(`frames: shotline ${fs_}, melt ${fm}; PSNR between them ${psnr.toFixed(1)} dB (melt decodes with BT.709 but encodes back with BT.601 and tags the file BT.709: the same work, a different picture; shown, not targeted)`);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(0);
  },
);
