/**
 * Stabilize benchmark: `npx tsx bench/stabilize.bench.ts`.
 *
 * One 10 s 1280×720 30 fps clip shaken by known random offsets (tests/helpers/shaky-video.ts),
 * stabilized with the same settings three ways, median of 3, runs alternated:
 *  - baseline: plain ffmpeg two-pass — vidstabdetect, then the export's own arguments
 *    (planToFfmpegArgs: vidstabtransform → fps → conform → H.264/AAC, preset 720p-draft);
 *  - (a) Shotline export with a cold cache: the export job runs the analysis itself;
 *  - (b) Shotline `stabilize.analyze` job (detect + the stabilized preview proxy) then the
 *    export job; its detect part alone is timed from the job's own phase messages;
 *  - (c) a second export after analysis: must run no detect (counted), time vs the first.
 * Wall time and CPU time (ffmpeg children + this process: the services run in-process) are
 * both reported; on a shared, loaded machine the CPU-time ratio is the steadier figure.
 * Every figure is a ratio against the baseline measured in the same run. Exits 0.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ShotlineClient } from '../app/api/client.js';
import type { Job } from '../app/jobs/types.js';
import { findPreset } from '../app/export/presets.js';
import { planToFfmpegArgs } from '../app/render/ffmpeg-args.js';
import { exportMetadata } from '../app/render/metadata.js';
import { compileRenderPlan } from '../app/render/plan.js';
import { STAB_DIR } from '../app/stabilize/keys.js';
import { stabilizeStages } from '../app/render/stabilize-stages.js';
import { inProcessClient } from '../main/bridge/in-process.js';
import type { FfmpegEngine } from '../main/media/engine.js';
import { createNativeEngine, findNativeFfmpeg } from '../main/media/native-engine.js';
import { ShotlineServices } from '../main/services/shotline.js';
import { detectArgs } from '../main/stabilize/analyze.js';
import { makeShakyVideo } from '../tests/helpers/shaky-video.js';
import { measureMotion } from '../tests/integration/stabilize/motion.js';
import { printTable, type Row } from './report.js';
import { childCpuSeconds, median, plainFfmpeg as runFfmpeg } from './measure.js';

/** Plain ffmpeg with the same global flags the native engine adds. */
const plainFfmpeg = (bin: string, args: string[]) => runFfmpeg(bin, ['-hide_banner', '-nostdin', '-y', ...args]);

const RUNS = 3;
const WIDTH = 1280;
const HEIGHT = 720;
const SECONDS = 10;
const PRESET = '720p-draft';



interface Sample {
  wall: number;
  cpu: number;
}

/** CPU seconds of reaped children (ffmpeg) plus this process, from /proc (0 where it is missing). */
function cpuNow(): number {
  const children = childCpuSeconds() ?? 0; // not Linux: wall time only
  const self = process.cpuUsage();
  return children + (self.user + self.system) / 1e6;
}

async function measure(fn: () => Promise<unknown>): Promise<Sample> {
  const c0 = cpuNow();
  const t0 = performance.now();
  await fn();
  return { wall: (performance.now() - t0) / 1000, cpu: cpuNow() - c0 };
}

const add = (a: Sample, b: Sample): Sample => ({ wall: a.wall + b.wall, cpu: a.cpu + b.cpu });
const med = (xs: Sample[], k: keyof Sample) => median(xs.map((x) => x[k]));

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

async function main(): Promise<void> {
  const started = performance.now();
  const found = await findNativeFfmpeg({});
  if (!found) return console.log('No native ffmpeg found: nothing to benchmark.');
  const native = await createNativeEngine(found);
  if (!native.hasFilter('vidstabdetect')) return console.log('This ffmpeg has no vid.stab: nothing to benchmark.');
  const runs: string[][] = [];
  const engine: FfmpegEngine = { ...native, run: (o) => (runs.push(o.args), native.run(o)) };
  const detects = () => runs.filter((a) => a.some((x) => x.startsWith('vidstabdetect='))).length;

  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'shotline-bench-stab-'));
  const services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home'), engine });
  const api: ShotlineClient = inProcessClient(services);
  // Job completion and phase changes, timed from the event stream (no polling delay).
  type Waiter = { done: (j: Job) => void; previewAt?: Sample };
  const phase = new Map<string, Waiter>();
  let t0 = 0;
  let c0 = 0;
  services.subscribe((e) => {
    if (e.type !== 'job.updated') return;
    const w = phase.get(e.job.id);
    if (!w) return;
    if (w.previewAt === undefined && e.job.message.startsWith('Rendering stabilized preview')) w.previewAt = { wall: (performance.now() - t0) / 1000, cpu: cpuNow() - c0 };
    if (['succeeded', 'failed', 'canceled'].includes(e.job.state)) w.done(e.job);
  });
  /** Runs a job to the end: its total, and (analysis jobs) the part before the preview began. */
  const runJob = async (start: () => Promise<Job>): Promise<{ job: Job; all: Sample; detect: Sample | null }> => {
    t0 = performance.now();
    c0 = cpuNow();
    let resolveDone!: (j: Job) => void;
    const done = new Promise<Job>((r) => (resolveDone = r));
    const job = await start();
    const w: Waiter = { done: resolveDone };
    phase.set(job.id, w);
    const current = (await api.call('jobs.list', {})).find((j) => j.id === job.id)!;
    if (['succeeded', 'failed', 'canceled'].includes(current.state)) resolveDone(current);
    const final = await done;
    if (final.state !== 'succeeded') throw new Error(`${final.kind} job ${final.state}: ${final.error?.message}`);
    return { job: final, all: { wall: (performance.now() - t0) / 1000, cpu: cpuNow() - c0 }, detect: w.previewAt ?? null };
  };

  try {
    const out = path.join(tmp, 'out');
    fs.mkdirSync(out);
    console.log(`Making a ${SECONDS} s ${WIDTH}×${HEIGHT} shaky clip…`);
    const shaky = await makeShakyVideo({ path: path.join(tmp, 'shaky.mp4'), width: WIDTH, height: HEIGHT, seconds: SECONDS, seed: 11, withAudio: true, preset: 'veryfast', crf: 20 });
    const projectDir = path.join(tmp, 'film');
    await api.call('project.create', { dir: projectDir, name: 'Bench' });
    const asset = (await api.call('assets.import', { files: [{ path: shaky.path }] })).imported[0]!;
    const snap = await api.call('project.snapshot', {});
    const v1 = Object.values(snap.state.tracks).find((t) => t.kind === 'video')!;
    const added = await api.call('edit.apply', { command: 'clip.add', args: { trackId: v1.id, assetId: asset.id, startFlicks: 0 } });
    const clipId = Object.keys(added.patch.clips!)[0]!;
    await api.call('edit.apply', { command: 'clip.setStabilize', args: { clipId, stabilize: { smoothing: 15, zoomMode: 'black-borders' } } });
    for (const j of await api.call('jobs.list', {})) if (j.state === 'queued' || j.state === 'running') await runJob(async () => j);

    // The baseline's arguments: Shotline's own, run by plain ffmpeg.
    const state = (await api.call('project.snapshot', {})).state;
    const preset = findPreset(PRESET)!;
    const plan = compileRenderPlan(state, { width: preset.width, height: preset.height, fit: 'fit' });
    const stage = stabilizeStages(plan)[0]!;
    const plainTrf = path.join(tmp, 'plain.trf');
    const pass1 = detectArgs({ source: path.join(projectDir, asset.path), inFlicks: stage.sourceInFlicks, outFlicks: stage.sourceOutFlicks, shakiness: stage.shakiness, accuracy: stage.accuracy, outPath: plainTrf }, plainTrf);
    const pass2 = planToFfmpegArgs(plan, preset, path.join(out, 'plain.mp4'), {
      resolvePath: (p) => (p === stage.transformsPath ? plainTrf : path.join(projectDir, p)),
      metadata: exportMetadata(state, plan),
    });
    const plainTwoPass = async () => {
      await plainFfmpeg(found.ffmpeg, pass1);
      await plainFfmpeg(found.ffmpeg, pass2);
    };
    const stabDir = path.join(projectDir, STAB_DIR);
    const clearCache = () => fs.rmSync(stabDir, { recursive: true, force: true });
    const exportJob = (name: string) => runJob(() => api.call('export.start', { preset: PRESET, outPath: path.join(out, name), fit: 'fit', overwrite: true }));

    // Warm-up (page cache, libraries), not timed.
    await plainTwoPass();

    const plain: Sample[] = [];
    const coldExport: Sample[] = [];
    const jobPlusExport: Sample[] = [];
    const jobDetect: Sample[] = [];
    const jobAllPlusExport: Sample[] = [];
    const warmExport: Sample[] = [];
    let warmDetects = 0;
    for (let i = 0; i < RUNS; i++) {
      const shotline = async () => {
        // (a) cold cache: the export analyses.
        clearCache();
        const n0 = detects();
        coldExport.push((await exportJob('cold.mp4')).all);
        if (detects() !== n0 + 1) throw new Error('the cold export did not analyse exactly once');
        // (b) analysis job, then export.
        clearCache();
        const a = await runJob(() => api.call('stabilize.analyze', { clipId }));
        const e = await exportJob('after-job.mp4');
        jobDetect.push(a.detect ?? a.all);
        jobPlusExport.push(add(a.detect ?? a.all, e.all));
        jobAllPlusExport.push(add(a.all, e.all));
        // (c) again: cached.
        const n1 = detects();
        warmExport.push((await exportJob('warm.mp4')).all);
        warmDetects += detects() - n1;
      };
      if (i % 2 === 0) {
        plain.push(await measure(plainTwoPass));
        await shotline();
      } else {
        await shotline();
        plain.push(await measure(plainTwoPass));
      }
    }

    const detectOnly = await measure(() => plainFfmpeg(found.ffmpeg, pass1));
    const input = await measureMotion(shaky.path, { filter: 'scale=640:360' });
    const stabilized = await measureMotion(path.join(out, 'warm.mp4'), { filter: 'scale=640:360' });
    const files = fs.readdirSync(stabDir);
    const trf = files.find((f) => f.endsWith('.trf'))!;
    const preview = files.find((f) => f.endsWith('.preview.mp4'))!;

    const load = os.loadavg()[0]!.toFixed(1);
    console.log(`\nShotline stabilize benchmark — ${os.cpus().length} CPUs (load ${load}), ffmpeg ${found.version}, median of ${RUNS}`);
    console.log(`clip ${WIDTH}×${HEIGHT} ${SECONDS} s 30 fps + AAC, ${mb(fs.statSync(shaky.path).size)}; preset ${PRESET} (${preset.width}×${preset.height}, x264 ${preset.x264Preset} crf ${preset.crf}); smoothing 15, black borders, shakiness 5, accuracy 15`);
    console.log(`sizes: export ${mb(fs.statSync(path.join(out, 'warm.mp4')).size)}, plain export ${mb(fs.statSync(path.join(out, 'plain.mp4')).size)}, .trf ${mb(fs.statSync(path.join(stabDir, trf)).size)}, preview proxy ${mb(fs.statSync(path.join(stabDir, preview)).size)}`);
    const fmt = (xs: Sample[]) => xs.map((x) => `${x.wall.toFixed(2)}/${x.cpu.toFixed(2)}`).join(' ');
    console.log(`runs (wall/CPU s): plain two-pass ${fmt(plain)} | cold export ${fmt(coldExport)} | analysis detect part + export ${fmt(jobPlusExport)} | analysis job detect part ${fmt(jobDetect)} | warm export ${fmt(warmExport)}`);
    console.log(`plain detect alone ${detectOnly.wall.toFixed(2)} s wall, ${detectOnly.cpu.toFixed(2)} s CPU; detects during the ${RUNS} second exports: ${warmDetects}`);
    console.log(`mean frame-to-frame motion at 640×360: input ${input.mean.toFixed(2)} px, stabilized export ${stabilized.mean.toFixed(2)} px (${((100 * stabilized.mean) / input.mean).toFixed(1)}%)`);
    const rows: Row[] = [];
    for (const k of ['wall', 'cpu'] as const) {
      const what = k === 'wall' ? 'wall' : 'CPU time';
      rows.push(
        { name: `(a) Shotline export, analysis run by the export (cold cache), ${what}`, value: med(coldExport, k), unit: 's', baseline: med(plain, k), baselineName: 'plain ffmpeg two-pass', target: '≤ 1.05×' },
        { name: `(b) Shotline analysis job (detect part) + export job, ${what}`, value: med(jobPlusExport, k), unit: 's', baseline: med(plain, k), baselineName: 'plain ffmpeg two-pass', target: '≤ 1.05×' },
        { name: `(b') analysis job incl. the preview proxy + export job, ${what}`, value: med(jobAllPlusExport, k), unit: 's', baseline: med(plain, k), baselineName: 'plain two-pass (makes no preview)' },
        { name: `(c) second export after analysis (no detect), ${what}`, value: med(warmExport, k), unit: 's', baseline: med(coldExport, k), baselineName: 'first (cold) export', target: `0 detects (got ${warmDetects})` },
      );
    }
    console.log('\nSummary');
    printTable(rows);
  } finally {
    await services.shutdown();
    await fs.promises.rm(tmp, { recursive: true, force: true });
  }
  console.log(`\ntotal bench time ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(0);
  },
);
