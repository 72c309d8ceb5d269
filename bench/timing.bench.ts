/**
 * Speed/loop export benchmark: `npx tsx bench/timing.bench.ts`.
 *
 * (i)  Shotline's export of a full time-effect stack against plain ffmpeg running exactly
 *      the same arguments (the filter graph included): one 10 s 1080p30 clip (testsrc2 +
 *      tone, made at run time) at a constant 1.5× (atempo), looped twice with a 10-frame
 *      crossfade (a second input, xfade + acrossfade), and a color grade (the lut3d stage).
 *      Runs alternate so machine noise hits both sides alike; median of 3. Target ≤ 1.05×.
 * (ii) What the effects cost ffmpeg: the same export per second of output against the clip
 *      with no effects (informative, no target).
 *
 * Every figure is a ratio against a baseline measured in the same run. Exits 0.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NEUTRAL_GRADE } from '../app/color/types.js';
import { findPreset } from '../app/export/presets.js';
import type { Asset, Clip, ProjectState } from '../app/model/types.js';
import { DEFAULT_EFFECTS } from '../app/model/types.js';
import { planToFfmpegArgs } from '../app/render/ffmpeg-args.js';
import { exportMetadata } from '../app/render/metadata.js';
import { compileRenderPlan } from '../app/render/plan.js';
import { FLICKS_PER_SECOND } from '../app/time/flicks.js';
import { DEFAULT_SPEED } from '../app/timing/types.js';
import { prepareLutFiles } from '../main/export/lut-cache.js';
import { runExport } from '../main/export/run-export.js';
import { createNativeEngine, findNativeFfmpeg } from '../main/media/native-engine.js';
import { probeMedia } from '../main/media/probe.js';
import { makeTestVideo } from '../tests/helpers/media-fixtures.js';
import { printTable, type Row } from './report.js';

const RUNS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function plainFfmpeg(bin: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    child.stderr.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${tail}`))));
  });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

function stateWith(asset: Asset, clip: Clip): ProjectState {
  return {
    settings: { name: 'Bench timing', fps: { num: 30, den: 1 }, width: 1920, height: 1080, sampleRate: 48000 },
    assets: { [asset.id]: asset },
    shots: {},
    takes: {},
    tracks: { v1: { id: 'v1', kind: 'video', index: 0, name: 'V1', muted: false } },
    clips: { [clip.id]: clip },
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const found = await findNativeFfmpeg({});
  if (!found) {
    console.log('No native ffmpeg found: nothing to benchmark.');
    return;
  }
  const engine = await createNativeEngine(found);
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'shotline-bench-timing-'));
  const rows: Row[] = [];
  try {
    fs.mkdirSync(path.join(dir, 'media'));
    fs.mkdirSync(path.join(dir, 'out'));
    await makeTestVideo({ path: path.join(dir, 'media/hd.mp4'), seconds: 10, width: 1920, height: 1080, fps: 30, toneHz: 440, withAudio: true });
    const probed = await probeMedia(path.join(dir, 'media/hd.mp4'), engine, { decodeCheck: false });
    const asset: Asset = {
      id: 'hd', kind: probed.kind, sha256: 'hd'.padEnd(64, '0'), path: 'media/hd.mp4', name: 'hd.mp4',
      bytes: fs.statSync(path.join(dir, 'media/hd.mp4')).size, probe: probed.probe, derivatives: {},
      provenance: { source: 'import', originalName: 'hd.mp4', importedAt: new Date().toISOString() },
    };
    const base: Clip = { id: 'c', trackId: 'v1', assetId: 'hd', startFlicks: 0, inFlicks: 0, outFlicks: probed.probe.durationFlicks, shotId: null, effects: DEFAULT_EFFECTS };
    const stacked: Clip = {
      ...base,
      effects: {
        ...DEFAULT_EFFECTS,
        speed: { ...DEFAULT_SPEED, rate: 1.5 },
        loop: { mode: 'count', count: 2, fillFlicks: 0, crossfadeFlicks: 10 * (FLICKS_PER_SECOND / 30) },
        color: { ...NEUTRAL_GRADE, exposure: 0.3, saturation: 1.2 },
      },
    };
    const preset = findPreset('1080p')!;
    const resolvePath = (p: string) => path.join(dir, p);

    const argsFor = async (st: ProjectState, out: string) => {
      const plan = compileRenderPlan(st, { width: preset.width, height: preset.height, fit: 'fit' });
      const luts = await prepareLutFiles(plan, dir, { engine });
      return { plan, args: planToFfmpegArgs(luts.plan, preset, out, { resolvePath, metadata: exportMetadata(st, plan) }) };
    };

    const st = stateWith(asset, stacked);
    const { plan, args } = await argsFor(st, path.join(dir, 'out/plain.mp4'));
    const stages = (plan.base[0] as { stages: { kind: string }[] }).stages.map((s) => s.kind).join(' → ');
    const outSeconds = plan.durationFlicks / FLICKS_PER_SECOND;
    const ours = () => runExport({ state: st, projectDir: dir, engine, presetId: '1080p', fit: 'fit', outPath: path.join(dir, 'out/shotline.mp4'), overwrite: true });
    await plainFfmpeg(found.ffmpeg, args); // warm-up: page cache, x264 init
    const plainT: number[] = [];
    const oursT: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (i % 2 === 0) {
        plainT.push(await timed(() => plainFfmpeg(found.ffmpeg, args)));
        oursT.push(await timed(ours));
      } else {
        oursT.push(await timed(ours));
        plainT.push(await timed(() => plainFfmpeg(found.ffmpeg, args)));
      }
    }
    rows.push({
      name: `(i) speed 1.5× + loop ×2 (10-frame crossfade) + LUT, 10 s 1080p30 → ${outSeconds.toFixed(2)} s, Shotline runExport, wall`,
      value: median(oursT),
      unit: 's',
      baseline: median(plainT),
      baselineName: 'plain ffmpeg, same args',
      target: '≤ 1.05×',
    });

    // (ii) The effects' own cost, per second of output, against the untouched clip.
    const plainState = stateWith(asset, base);
    const { args: noFxArgs, plan: noFxPlan } = await argsFor(plainState, path.join(dir, 'out/nofx.mp4'));
    const noFx: number[] = [];
    for (let i = 0; i < RUNS; i++) noFx.push(await timed(() => plainFfmpeg(found.ffmpeg, noFxArgs)));
    const perOut = median(plainT) / outSeconds;
    const perOutNoFx = median(noFx) / (noFxPlan.durationFlicks / FLICKS_PER_SECOND);
    rows.push({ name: '(ii) ffmpeg seconds per output second, full time-effect stack', value: perOut, unit: 's/s', baseline: perOutNoFx, baselineName: 'same clip, no effects' });

    console.log(`\nShotline speed/loop benchmark — ${os.cpus().length} CPUs (load ${os.loadavg()[0]!.toFixed(1)}), ffmpeg ${found.version}, median of ${RUNS}`);
    console.log(`stages: ${stages}; inputs: ${plan.inputs.length}; output frames: ${plan.frameCount}`);
    console.log(`runs (s): Shotline ${oursT.map((x) => x.toFixed(2)).join(' ')} | plain ${plainT.map((x) => x.toFixed(2)).join(' ')} | no effects ${noFx.map((x) => x.toFixed(2)).join(' ')}`);
    console.log('\nSummary');
    printTable(rows);
    const ratio = median(oursT) / median(plainT);
    console.log(`\nwall ratio ${ratio.toFixed(3)} (target ≤ 1.05: ${ratio <= 1.05 ? 'met' : 'MISSED'}); total bench time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

await main();
