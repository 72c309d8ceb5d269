/**
 * Export benchmark: `npm run bench -- export`.
 *
 * (i)  What a user waits for: `shotline export` run as a process (start-up, project open, job
 *      queue, preflight, LUT, ffmpeg, fsync, rename) against the command a person would write
 *      by hand for the same output (bench/export-project.ts): three trimmed, graded 1080p30
 *      clips → preset 1080p. Runs alternate so machine noise hits both sides alike; median of
 *      3 each. CPU time (ffmpeg's threads included) is the steady figure on a shared machine.
 *      Targets: CPU ≤ 1.05× with PSNR ≥ 45 dB between the two outputs.
 * (ii) Native vs wasm engine on the same short 720p export (preset 720p-draft).
 *
 * Every figure is a ratio against a baseline measured in the same run. Exits 0.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findPreset } from '../app/export/presets.js';
import type { Asset, Clip, ProjectState } from '../app/model/types.js';
import { DEFAULT_EFFECTS } from '../app/model/types.js';
import { secondsToFlicks } from '../app/time/flicks.js';
import { runExport } from '../main/export/run-export.js';
import type { FfmpegEngine } from '../main/media/engine.js';
import { createNativeEngine, findNativeFfmpeg } from '../main/media/native-engine.js';
import { probeMedia } from '../main/media/probe.js';
import { createWasmEngine } from '../main/media/wasm-engine.js';
import { makeTestVideo } from '../tests/helpers/media-fixtures.js';
import { printTable, type Row as SummaryRow } from './report.js';
import { medianOf, plainFfmpeg, timed, type Sample } from './measure.js';
import { buildGradedProject, handWrittenArgs } from './export-project.js';
import { CLI, countFrames, parseCpuReport, psnrBetween, runProcess } from './process.js';
import { chooseCliEntry } from '../bin/cli-entry.mjs';

// SHOTLINE_BENCH_RUNS overrides the count (e.g. 1 for a rough figure on a loaded machine).
const RUNS = Number(process.env.SHOTLINE_BENCH_RUNS) || 3;


interface Row {
  name: string;
  samples: Sample[];
  note?: string;
}






async function asset(projectDir: string, id: string, rel: string, engine: FfmpegEngine): Promise<Asset> {
  const probed = await probeMedia(path.join(projectDir, rel), engine, { decodeCheck: false });
  return {
    id,
    kind: probed.kind,
    sha256: id.padEnd(64, '0'),
    path: rel,
    name: path.basename(rel),
    bytes: fs.statSync(path.join(projectDir, rel)).size,
    probe: probed.probe,
    derivatives: {},
    provenance: { source: 'import', originalName: path.basename(rel), importedAt: new Date().toISOString() },
  };
}

function state(name: string, assets: Asset[], clipSeconds: number): ProjectState {
  const clips: Clip[] = assets.map((a, i) => ({
    id: `c${i}`,
    trackId: 'v1',
    assetId: a.id,
    startFlicks: secondsToFlicks(i * clipSeconds),
    inFlicks: 0,
    outFlicks: secondsToFlicks(clipSeconds),
    shotId: null,
    effects: DEFAULT_EFFECTS,
  }));
  return {
    settings: { name, fps: { num: 30, den: 1 }, width: 1920, height: 1080, sampleRate: 48000 },
    assets: Object.fromEntries(assets.map((a) => [a.id, a])),
    shots: {},
    takes: {},
    tracks: { v1: { id: 'v1', kind: 'video', index: 0, name: 'V1', muted: false } },
    clips: Object.fromEntries(clips.map((c) => [c.id, c])),
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  // Which code bin/shotline.mjs runs (the dist/cli bundle when fresh, else the sources through tsx).
  const entry = chooseCliEntry(path.resolve(path.dirname(CLI), '..'));
  const cliMode = entry.kind === 'bundle' ? 'from the dist/cli bundle' : `from the sources through tsx (${entry.reason})`;
  const found = await findNativeFfmpeg({});
  if (!found) {
    console.log('No native ffmpeg found: nothing to benchmark.');
    return;
  }
  const native = await createNativeEngine(found);
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'shotline-bench-export-'));
  const rows: Row[] = [];
  const summary: SummaryRow[] = [];
  try {
    fs.mkdirSync(path.join(dir, 'media'));
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);

    // (i) `shotline export` as a process against the hand-written command.
    const project = await buildGradedProject(path.join(dir, 'graded'), path.join(dir, 'home'));
    const preset = findPreset('1080p')!;
    const handOut = path.join(out, 'hand.mp4');
    const packedOut = path.join(out, 'hand-packed.mp4');
    const oursOut = path.join(out, 'shotline.mp4');
    const x264 = { preset: preset.x264Preset, crf: preset.crf, audioK: preset.audioBitrateK };
    const handArgs = handWrittenArgs(project, handOut, x264);
    const packedArgs = handWrittenArgs(project, packedOut, x264, 'packed');
    const env = { ...process.env, SHOTLINE_HOME: path.join(dir, 'home'), SHOTLINE_CPU_REPORT: '1' };
    // Where Shotline's CPU goes: its own process (start-up, project, queue, signing) and ffmpeg.
    const split: { self: number; children: number }[] = [];
    const shotlineRun = async () => {
      const r = parseCpuReport(await runProcess(process.execPath, [CLI, 'export', project.dir, '--preset', '1080p', '--out', oursOut, '--overwrite'], env));
      if (r) split.push(r);
    };
    // Warm-up: page cache, dynamic libraries, x264 init, tsx's compile cache; not timed.
    await plainFfmpeg(found.ffmpeg, handArgs);
    await shotlineRun();
    split.length = 0;
    const plain: Sample[] = [];
    const packed: Sample[] = [];
    const ours: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Alternate the order, so a burst of load elsewhere does not favour one side.
      const sides = [() => timed(() => plainFfmpeg(found.ffmpeg, handArgs)).then((x) => plain.push(x)), () => timed(shotlineRun).then((x) => ours.push(x)), () => timed(() => plainFfmpeg(found.ffmpeg, packedArgs)).then((x) => packed.push(x))];
      for (const side of i % 2 === 0 ? sides : [...sides].reverse()) await side();
    }
    const psnr = await psnrBetween(found.ffmpeg, oursOut, handOut);
    const psnrPacked = await psnrBetween(found.ffmpeg, oursOut, packedOut);
    const [frames, handFrames] = await Promise.all([countFrames(oursOut), countFrames(handOut)]);
    const wallRatio = medianOf(ours, 'wall')! / medianOf(plain, 'wall')!;
    const cpuOurs = medianOf(ours, 'cpu');
    const cpuPlain = medianOf(plain, 'cpu');
    const cpuPacked = medianOf(packed, 'cpu');
    const what = `${project.seconds} s graded 1080p30 (3 trimmed clips)`;
    summary.push({ name: `shotline export (process) ${what}, wall`, value: medianOf(ours, 'wall')!, unit: 's', baseline: medianOf(plain, 'wall')!, baselineName: 'hand-written ffmpeg' });
    if (cpuOurs !== null && cpuPlain !== null)
      summary.push({ name: `shotline export (process) ${what}, CPU time`, value: cpuOurs, unit: 's', baseline: cpuPlain, baselineName: 'hand-written ffmpeg', target: '≤ 1.05×' });
    summary.push({ name: 'PSNR shotline export vs hand-written, all frames', value: psnr, unit: 'dB', target: '≥ 45 dB' });
    if (split.length) {
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const self = med(split.map((x) => x.self));
      const kids = med(split.map((x) => x.children));
      summary.push({ name: "  of which shotline's ffmpeg, CPU time", value: kids, unit: 's', baseline: cpuPlain ?? undefined, baselineName: 'hand-written ffmpeg' });
      summary.push({ name: "  of which shotline's own process (start-up, project, queue, signing), CPU time", value: self, unit: 's' });
    }
    if (cpuOurs !== null && cpuPacked !== null)
      summary.push({ name: 'for reference: hand-written with packed rgb24 (fast, other picture), CPU vs shotline', value: cpuOurs, unit: 's', baseline: cpuPacked, baselineName: 'hand-written, rgb24' });
    summary.push({ name: 'PSNR shotline export vs hand-written rgb24 (informative)', value: psnrPacked, unit: 'dB' });
    rows.push({ name: `(i) hand-written ffmpeg: ${what}`, samples: plain, note: `${handFrames} frames` });
    rows.push({ name: '(i) hand-written, packed rgb24 for the LUT', samples: packed, note: `PSNR vs shotline ${psnrPacked.toFixed(1)} dB` });
    rows.push({
      name: '(i) shotline export (CLI process, job queue)',
      samples: ours,
      note: `${frames} frames; wall ${wallRatio.toFixed(3)}×${cpuOurs !== null && cpuPlain !== null ? `, CPU ${(cpuOurs / cpuPlain).toFixed(3)}×` : ''} vs hand-written; PSNR ${psnr.toFixed(1)} dB`,
    });

    // (ii) Native vs wasm on a short 720p export.
    await makeTestVideo({ path: path.join(dir, 'media/hd720.mp4'), seconds: 2, width: 1280, height: 720, fps: 30, toneHz: 440, withAudio: true });
    const small = state('Bench 720p', [await asset(dir, 'hd720', 'media/hd720.mp4', native)], 2);
    let wasm: FfmpegEngine | null = null;
    let wasmError = '';
    try {
      wasm = await createWasmEngine();
    } catch (e) {
      wasmError = e instanceof Error ? e.message : String(e);
    }
    const exportWith = (engine: FfmpegEngine, name: string) => () =>
      runExport({ state: small, projectDir: dir, engine, presetId: '720p-draft', fit: 'fit', outPath: path.join(out, `${name}.mp4`), overwrite: true });
    const nat: Sample[] = [];
    const wsm: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      nat.push(await timed(exportWith(native, 'native720')));
      if (wasm) wsm.push(await timed(exportWith(wasm, 'wasm720')));
    }
    rows.push({ name: '(ii) native engine: 2 s 720p → 720p-draft', samples: nat });
    if (wasm) summary.push({ name: 'export 2 s 720p draft, wasm engine', value: medianOf(wsm, 'wall')!, unit: 's', baseline: medianOf(nat, 'wall')!, baselineName: 'native engine' });
    if (wasm) rows.push({ name: '(ii) wasm engine, same export', samples: wsm, note: `wall ratio ${(medianOf(wsm, 'wall')! / medianOf(nat, 'wall')!).toFixed(2)}× native` });
    else rows.push({ name: '(ii) wasm engine', samples: [], note: `unavailable: ${wasmError}` });
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }

  const width = Math.max(...rows.map((r) => r.name.length));
  const load = os.loadavg()[0]!.toFixed(1);
  console.log(`\nShotline export benchmark — ${os.cpus().length} CPUs (load ${load}), ffmpeg ${found.version}, median of ${RUNS}`);
  console.log(`shotline ran ${cliMode}\n`);
  console.log(`${'case'.padEnd(width)}  ${'wall s'.padStart(7)}  ${'CPU s'.padStart(7)}  ${'wall runs (s)'.padEnd(18)}  note`);
  console.log('-'.repeat(width + 80));
  for (const r of rows) {
    const fmt = (n: number | null) => (n === null ? '—' : n.toFixed(2));
    const runs = r.samples.map((x) => x.wall.toFixed(2)).join(' ');
    console.log(`${r.name.padEnd(width)}  ${fmt(medianOf(r.samples, 'wall')).padStart(7)}  ${fmt(medianOf(r.samples, 'cpu')).padStart(7)}  ${runs.padEnd(18)}  ${r.note ?? ''}`);
  }
  console.log('\nSummary');
  printTable(summary);
  console.log(`\ntotal bench time ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    // A broken bench should be seen, but must not fail `npm run bench` for the other figures.
    process.exit(0);
  },
);
