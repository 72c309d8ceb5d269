/**
 * Speed/loop export benchmark: `npx tsx bench/timing.bench.ts`.
 *
 * (i)  Shotline's export of a full time-effect stack against plain ffmpeg running exactly
 *      the same arguments (the filter graph included): one 10 s 1080p30 clip (testsrc2 +
 *      tone, made at run time) at a constant 1.5× (atempo), looped twice with a 10-frame
 *      crossfade (a second input, xfade + acrossfade), and a color grade (the lut3d stage).
 *      Runs alternate so machine noise hits both sides alike; median of 3. Target ≤ 1.05×.
 * (ii) What the effects cost ffmpeg, CPU seconds per second of output, against the clip with
 *      no effects: the full stack, and speed + loop alone (informative, no target).
 *
 * Every figure is a ratio against a baseline measured in the same run. Exits 0.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NEUTRAL_GRADE } from '../app/model/color.js';
import { findPreset } from '../app/export/presets.js';
import type { Asset, Clip, ProjectState } from '../app/model/types.js';
import { DEFAULT_EFFECTS } from '../app/model/types.js';
import { planToFfmpegArgs } from '../app/render/ffmpeg-args.js';
import { exportMetadata } from '../app/render/metadata.js';
import { compileRenderPlan } from '../app/render/plan.js';
import { FLICKS_PER_SECOND } from '../app/time/flicks.js';
import { DEFAULT_SPEED } from '../app/model/timing.js';
import { prepareLutFiles } from '../main/export/lut-cache.js';
import { runExport } from '../main/export/run-export.js';
import { createNativeEngine, findNativeFfmpeg } from '../main/media/native-engine.js';
import { probeMedia } from '../main/media/probe.js';
import { makeTestVideo } from '../tests/helpers/media-fixtures.js';
import { printTable, type Row } from './report.js';
import { median, medianOf, plainFfmpeg, timed, type Sample } from './measure.js';

const RUNS = 3;






function med(xs: Sample[], key: 'wall' | 'cpu'): number {
  return medianOf(xs, key) ?? NaN;
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
      const final = compileRenderPlan(st, { width: preset.width, height: preset.height, fit: 'fit' }, { lutFiles: luts.lutFiles });
      return { plan, args: planToFfmpegArgs(final, preset, out, { resolvePath, metadata: exportMetadata(st, plan) }) };
    };

    const st = stateWith(asset, stacked);
    const { plan, args } = await argsFor(st, path.join(dir, 'out/plain.mp4'));
    const stages = (plan.base[0] as { stages: { kind: string }[] }).stages.map((s) => s.kind).join(' → ');
    const outSeconds = plan.durationFlicks / FLICKS_PER_SECOND;
    const ours = () => runExport({ state: st, projectDir: dir, engine, presetId: '1080p', fit: 'fit', outPath: path.join(dir, 'out/shotline.mp4'), overwrite: true });
    await plainFfmpeg(found.ffmpeg, args); // warm-up: page cache, x264 init
    const plainT: Sample[] = [];
    const oursT: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (i % 2 === 0) {
        plainT.push(await timed(() => plainFfmpeg(found.ffmpeg, args)));
        oursT.push(await timed(ours));
      } else {
        oursT.push(await timed(ours));
        plainT.push(await timed(() => plainFfmpeg(found.ffmpeg, args)));
      }
    }
    const name = `(i) speed 1.5× + loop ×2 (10-frame crossfade) + LUT, 10 s 1080p30 → ${outSeconds.toFixed(2)} s, Shotline runExport`;
    rows.push({ name: `${name}, CPU time`, value: med(oursT, 'cpu'), unit: 's', baseline: med(plainT, 'cpu'), baselineName: 'plain ffmpeg, same args', target: '≤ 1.05×' });
    rows.push({ name: `${name}, wall`, value: med(oursT, 'wall'), unit: 's', baseline: med(plainT, 'wall'), baselineName: 'plain ffmpeg, same args', target: '≤ 1.05× (on an idle machine)' });

    // (ii) The effects' own cost, per second of output, against the untouched clip.
    const plainState = stateWith(asset, base);
    const { args: noFxArgs, plan: noFxPlan } = await argsFor(plainState, path.join(dir, 'out/nofx.mp4'));
    const noFx: Sample[] = [];
    for (let i = 0; i < RUNS; i++) noFx.push(await timed(() => plainFfmpeg(found.ffmpeg, noFxArgs)));
    const noFxSeconds = noFxPlan.durationFlicks / FLICKS_PER_SECOND;
    rows.push({ name: '(ii) ffmpeg CPU seconds per output second, full stack (speed + loop + LUT)', value: med(plainT, 'cpu') / outSeconds, unit: 's/s', baseline: med(noFx, 'cpu') / noFxSeconds, baselineName: 'same clip, no effects' });
    const timingOnly = stateWith(asset, { ...stacked, effects: { ...stacked.effects, color: undefined } });
    const { args: tArgs } = await argsFor(timingOnly, path.join(dir, 'out/timing-only.mp4'));
    const tOnly: Sample[] = [];
    for (let i = 0; i < RUNS; i++) tOnly.push(await timed(() => plainFfmpeg(found.ffmpeg, tArgs)));
    rows.push({ name: '(ii) ffmpeg CPU seconds per output second, speed 1.5× + loop ×2 only', value: med(tOnly, 'cpu') / outSeconds, unit: 's/s', baseline: med(noFx, 'cpu') / noFxSeconds, baselineName: 'same clip, no effects' });

    console.log(`\nShotline speed/loop benchmark — ${os.cpus().length} CPUs (load ${os.loadavg()[0]!.toFixed(1)}), ffmpeg ${found.version}, median of ${RUNS}`);
    console.log(`stages: ${stages}; inputs: ${plan.inputs.length}; output frames: ${plan.frameCount}`);
    const fmt = (xs: Sample[]) => xs.map((x) => `${x.wall.toFixed(2)}/${x.cpu?.toFixed(2) ?? '—'}`).join(' ');
    console.log(`runs (wall/CPU s): Shotline ${fmt(oursT)} | plain ${fmt(plainT)} | no effects ${fmt(noFx)}`);
    console.log('\nSummary');
    printTable(rows);
    const cpuRatio = med(oursT, 'cpu') / med(plainT, 'cpu');
    const wallRatio = med(oursT, 'wall') / med(plainT, 'wall');
    console.log(`\nCPU-time ratio ${cpuRatio.toFixed(3)} (target ≤ 1.05: ${cpuRatio <= 1.05 ? 'met' : 'MISSED'}); wall ratio ${wallRatio.toFixed(3)} (load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs); total bench time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

await main();
