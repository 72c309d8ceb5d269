/**
 * Stabilize end to end through the services (in-process client, the dispatcher and schemas
 * every transport uses), with real ffmpeg, measured:
 *  - a clip shaken by known random offsets (tests/helpers/shaky-video.ts) is analysed, its
 *    preview proxy and its export are measured by phase correlation (motion.ts): residual
 *    frame-to-frame motion ≤ 30% of the input's, and the preview matches the export;
 *  - the analysis is cached by content: exports and re-analyses after it run no detect;
 *    a trim makes it stale and the next export analyses (with progress) exactly once;
 *  - cancel mid-analysis leaves no .trf (nor a partial) and records nothing;
 *  - the effect and its analysis survive close + reopen; edits undo and redo;
 *  - the project folder's name is full of filter-graph metacharacters (escaping).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import type { ApiEvent } from '../../../app/api/contract.js';
import type { Job } from '../../../app/jobs/types.js';
import type { Clip } from '../../../app/model/types.js';
import { STAB_DIR } from '../../../app/stabilize/keys.js';
import { stabilizeStatus } from '../../../app/stabilize/status.js';
import { secondsToFlicks as s } from '../../../app/time/flicks.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import type { FfmpegEngine } from '../../../main/media/engine.js';
import { createNativeEngine, findNativeFfmpeg } from '../../../main/media/native-engine.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import type { StabilizeJobResult } from '../../../main/stabilize/job.js';
import { ffprobeJson } from '../../helpers/media-fixtures.js';
import { makeShakyVideo, type ShakyVideo } from '../../helpers/shaky-video.js';
import { psnrAgainstSource } from '../export/helpers.js';
import { measureMotion } from './motion.js';

const W = 384;
const H = 216;
/** Brings a 720p-draft export (16:9, so no bars) back to the source scale for measuring. */
const EXPORT_TO_SOURCE = `scale=${W}:${H}`;

let tmp: string;
let services: ShotlineServices;
let api: ShotlineClient;
let projectDir: string;
let shaky: ShakyVideo;
let longShaky: ShakyVideo;
const runs: string[][] = [];
const events: ApiEvent[] = [];

const detectRuns = () => runs.filter((args) => args.some((a) => a.startsWith('vidstabdetect='))).length;

async function waitJob(id: string): Promise<Job> {
  for (;;) {
    const j = (await api.call('jobs.list', {})).find((x) => x.id === id)!;
    if (['succeeded', 'failed', 'canceled'].includes(j.state)) return j;
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function clipNow(id: string): Promise<Clip> {
  return (await api.call('project.snapshot', {})).state.clips[id]!;
}

async function exportTo(name: string): Promise<{ job: Job; file: string }> {
  const file = path.join(tmp, 'out', name);
  const job = await waitJob((await api.call('export.start', { preset: '720p-draft', outPath: file, fit: 'fit', overwrite: true })).id);
  expect(job.state, job.error?.message).toBe('succeeded');
  return { job, file };
}

function stabFiles(): string[] {
  const dir = path.join(projectDir, STAB_DIR);
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-stab-'));
  fs.mkdirSync(path.join(tmp, 'out'));
  const found = await findNativeFfmpeg({});
  if (!found) throw new Error('These tests need a native ffmpeg with vid.stab.');
  const native = await createNativeEngine(found);
  // A spy around the real engine: every ffmpeg run's arguments, to count analyses.
  const engine: FfmpegEngine = { ...native, run: (o) => (runs.push(o.args), native.run(o)) };
  services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home'), engine });
  services.subscribe((e) => events.push(e));
  api = inProcessClient(services);
  // Metacharacters of filter graphs and of ffmpeg option values, in the folder the .trf lives in.
  projectDir = path.join(tmp, "film: it's [shaky], 50% ok; yes");
  shaky = await makeShakyVideo({ path: path.join(tmp, 'shaky.mp4'), width: W, height: H, seconds: 2, amplitude: 12, seed: 3, withAudio: true });
  longShaky = await makeShakyVideo({ path: path.join(tmp, 'long.mp4'), width: 640, height: 360, seconds: 12, amplitude: 12, seed: 4 });
  await api.call('project.create', { dir: projectDir, name: 'Shaky' });
}, 120_000);

afterAll(async () => {
  await services?.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('stabilize', () => {
  let clipId: string;
  let inputMotion: number;
  let trfPath: string;

  it('analyses a shaky clip: one detect, a .trf and a preview in the cache, recorded on the asset', async () => {
    expect(await api.call('stabilize.engine', {})).toEqual({ method: 'vidstab', warning: null });
    const imported = await api.call('assets.import', { files: [{ path: shaky.path }] });
    const asset = imported.imported[0]!;
    const snap = await api.call('project.snapshot', {});
    const v1 = Object.values(snap.state.tracks).find((t) => t.kind === 'video')!;
    const added = await api.call('edit.apply', { command: 'clip.add', args: { trackId: v1.id, assetId: asset.id, startFlicks: 0 } });
    clipId = Object.keys(added.patch.clips!)[0]!;
    await api.call('edit.apply', { command: 'clip.setStabilize', args: { clipId, stabilize: { smoothing: 15 } } });
    let clip = await clipNow(clipId);
    expect(clip.effects.stabilize).toEqual({ enabled: true, smoothing: 15, zoomMode: 'black-borders' });
    expect(stabilizeStatus(clip, asset, 'vidstab').state).toBe('not-analysed');

    // Let import's own jobs (filmstrip, peaks) finish so the count below is the analysis only.
    for (const j of await api.call('jobs.list', {})) await waitJob(j.id);
    const before = detectRuns();
    const job = await waitJob((await api.call('stabilize.analyze', { clipId })).id);
    expect(job.state, job.error?.message).toBe('succeeded');
    expect(job.kind).toBe('stabilize');
    expect(job.resource).toBe('cpu');
    const result = job.result as StabilizeJobResult;
    expect(result).toMatchObject({ method: 'vidstab', cached: { analysis: false, preview: false }, warning: null });
    expect(detectRuns()).toBe(before + 1);
    trfPath = path.join(projectDir, result.transformsPath!);
    expect(fs.statSync(trfPath).size).toBeGreaterThan(1000);
    expect(fs.readFileSync(trfPath, 'utf8').startsWith('VID.STAB')).toBe(true);
    expect(stabFiles().filter((f) => f.includes('partial'))).toEqual([]);

    const after = await api.call('project.snapshot', {});
    clip = after.state.clips[clipId]!;
    const status = stabilizeStatus(clip, after.state.assets[asset.id], 'vidstab');
    expect(status.state).toBe('analysed');
    expect(status.previewPath).toBe(result.previewPath);
    expect(status.record!.clipIds).toEqual([clipId]);
    const probe = await ffprobeJson(path.join(projectDir, result.previewPath));
    expect(probe.streams.find((x) => x.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: W, height: H });
    expect(probe.streams.some((x) => x.codec_type === 'audio')).toBe(true);
  });

  it('the preview and the export remove ≥ 70% of the frame-to-frame motion, and agree with each other', async () => {
    const input = await measureMotion(shaky.path);
    inputMotion = input.mean;
    // The measurement itself is exact on the unstabilized clip (known offsets).
    expect(Math.abs(input.mean - shaky.meanStep)).toBeLessThan(0.1);

    const clip = await clipNow(clipId);
    const snap = await api.call('project.snapshot', {});
    const preview = stabilizeStatus(clip, snap.state.assets[clip.assetId], 'vidstab').previewPath!;
    const prev = await measureMotion(path.join(projectDir, preview));

    const runsBefore = detectRuns();
    const mtime = fs.statSync(trfPath).mtimeMs;
    const { job, file } = await exportTo('first.mp4');
    expect(detectRuns()).toBe(runsBefore); // analysed already: the export reads the cache
    expect(fs.statSync(trfPath).mtimeMs).toBe(mtime);
    expect((job.result as { warnings?: string[] }).warnings).toBeUndefined();
    const out = await measureMotion(file, { filter: EXPORT_TO_SOURCE });
    console.log(
      `[stabilize] mean frame-to-frame motion, px at ${W}×${H}: input ${input.mean.toFixed(2)} (truth ${shaky.meanStep.toFixed(2)}), ` +
        `preview ${prev.mean.toFixed(2)} (${((100 * prev.mean) / input.mean).toFixed(1)}%), export ${out.mean.toFixed(2)} (${((100 * out.mean) / input.mean).toFixed(1)}%)`,
    );
    expect(out.mean).toBeLessThanOrEqual(0.3 * input.mean);
    expect(prev.mean).toBeLessThanOrEqual(0.3 * input.mean);
    expect(out.shifts.length).toBe(input.shifts.length);

    // What you preview is what you export: the same frame, at the same scale, matches.
    const psnr = await psnrAgainstSource(path.join(projectDir, preview), 30, file, 30, EXPORT_TO_SOURCE);
    console.log(`[stabilize] preview vs export, frame 30: PSNR ${psnr.toFixed(1)} dB`);
    expect(psnr).toBeGreaterThanOrEqual(28);
  });

  it('a second export and a re-analysis run no detect; new smoothing re-renders only the preview', async () => {
    const n = detectRuns();
    const mtime = fs.statSync(trfPath).mtimeMs;
    await exportTo('second.mp4');
    expect(detectRuns()).toBe(n);
    const again = await waitJob((await api.call('stabilize.analyze', { clipId })).id);
    expect((again.result as StabilizeJobResult).cached).toEqual({ analysis: true, preview: true });
    await api.call('edit.apply', { command: 'clip.setStabilize', args: { clipId, stabilize: { smoothing: 30, zoomMode: 'adaptive-zoom' } } });
    const third = await waitJob((await api.call('stabilize.analyze', { clipId })).id);
    expect((third.result as StabilizeJobResult).cached).toEqual({ analysis: true, preview: false });
    expect(detectRuns()).toBe(n);
    expect(fs.statSync(trfPath).mtimeMs).toBe(mtime);
  });

  it('undo and redo the settings through the API; the effect and its analysis survive close and reopen', async () => {
    await api.call('edit.undo', {});
    expect((await clipNow(clipId)).effects.stabilize).toEqual({ enabled: true, smoothing: 15, zoomMode: 'black-borders' });
    await api.call('edit.redo', {});
    expect((await clipNow(clipId)).effects.stabilize).toEqual({ enabled: true, smoothing: 30, zoomMode: 'adaptive-zoom' });

    await api.call('project.close', {});
    const reopened = await api.call('project.open', { dir: projectDir });
    const clip = reopened.state.clips[clipId]!;
    expect(clip.effects.stabilize).toEqual({ enabled: true, smoothing: 30, zoomMode: 'adaptive-zoom' });
    const status = stabilizeStatus(clip, reopened.state.assets[clip.assetId], 'vidstab');
    expect(status.state).toBe('analysed');
    expect(status.previewPath).toBeTruthy();
    expect(reopened.history.canUndo).toBe(true);
  });

  it('a trim makes the analysis stale; the export then analyses once, with progress, and caches it', async () => {
    const clip = await clipNow(clipId);
    await api.call('edit.apply', { command: 'clip.trim', args: { clipId, edge: 'out', toFlicks: clip.startFlicks + s(1.5) } });
    const trimmed = await clipNow(clipId);
    const snap = await api.call('project.snapshot', {});
    expect(stabilizeStatus(trimmed, snap.state.assets[trimmed.assetId], 'vidstab').state).toBe('stale');

    const n = detectRuns();
    const from = events.length;
    const { job } = await exportTo('trimmed.mp4');
    expect(detectRuns()).toBe(n + 1);
    const messages = events.slice(from).flatMap((e) => (e.type === 'job.updated' && e.job.id === job.id ? [e.job.message] : []));
    expect(messages.some((m) => m.startsWith('Analyzing camera motion'))).toBe(true);
    expect(messages.some((m) => m.startsWith('Encoding'))).toBe(true);
    // Recorded like the job's analysis: the clip is analysed again (its preview is not rendered yet).
    const after = await api.call('project.snapshot', {});
    expect(stabilizeStatus(trimmed, after.state.assets[trimmed.assetId], 'vidstab')).toMatchObject({ state: 'analysed', previewPath: null });
    await exportTo('trimmed-again.mp4');
    expect(detectRuns()).toBe(n + 1);
    expect(stabFiles().filter((f) => f.endsWith('.trf'))).toHaveLength(2);
  });

  it('a looped stabilized clip exports steady: every iteration reads the span with the same cached transforms', async () => {
    const clip = await clipNow(clipId);
    await api.call('edit.apply', { command: 'clip.setLoop', args: { clipId, loop: { mode: 'count', count: 2, fillFlicks: 0, crossfadeFlicks: 0 } } });
    const n = detectRuns();
    const { file } = await exportTo('looped.mp4');
    expect(detectRuns()).toBe(n); // same span and shakiness as the trimmed clip's analysis
    const exported = await ffprobeJson(file);
    expect(Number(exported.streams.find((x) => x.codec_type === 'video')!.nb_frames)).toBe(90); // 2 × 1.5 s at 30 fps
    const out = await measureMotion(file, { filter: EXPORT_TO_SOURCE });
    // One pair crosses the seam (end of the span → its start): a real cut, so compare the median step.
    const steps = out.shifts.map((x) => Math.hypot(x.dx, x.dy)).sort((a, b) => a - b);
    const medianStep = steps[Math.floor(steps.length / 2)]!;
    console.log(`[stabilize] looped export: median step ${medianStep.toFixed(2)} px, mean ${out.mean.toFixed(2)} px (input mean ${inputMotion.toFixed(2)} px)`);
    expect(medianStep).toBeLessThanOrEqual(0.3 * inputMotion);
    expect(out.mean).toBeLessThanOrEqual(0.3 * inputMotion);
    await api.call('edit.apply', { command: 'clip.setLoop', args: { clipId, loop: null } });
    expect((await clipNow(clipId)).outFlicks).toBe(clip.outFlicks);
  });

  it('cancel mid-analysis kills ffmpeg and leaves no .trf, no partial file and no record', async () => {
    const imported = await api.call('assets.import', { files: [{ path: longShaky.path }] });
    const asset = imported.imported[0]!;
    const snap = await api.call('project.snapshot', {});
    const v1 = Object.values(snap.state.tracks).find((t) => t.kind === 'video')!;
    const added = await api.call('edit.apply', { command: 'clip.add', args: { trackId: v1.id, assetId: asset.id, startFlicks: s(10) } });
    const longClip = Object.keys(added.patch.clips!)[0]!;
    await api.call('edit.apply', { command: 'clip.setStabilize', args: { clipId: longClip, stabilize: {} } });
    for (const j of await api.call('jobs.list', {})) await waitJob(j.id);
    const trfBefore = stabFiles().filter((f) => f.endsWith('.trf'));

    const job = await api.call('stabilize.analyze', { clipId: longClip });
    // Cancel once the analysis has really started: its partial file exists and it reported progress.
    for (;;) {
      const j = (await api.call('jobs.list', {})).find((x) => x.id === job.id)!;
      const partial = stabFiles().some((f) => f.includes('.trf.partial-'));
      if (partial && j.progress > 0) break;
      expect(['queued', 'running']).toContain(j.state);
      await new Promise((r) => setTimeout(r, 20));
    }
    await api.call('jobs.cancel', { jobId: job.id });
    const done = await waitJob(job.id);
    expect(done.state).toBe('canceled');
    expect(stabFiles().filter((f) => f.endsWith('.trf'))).toEqual(trfBefore);
    expect(stabFiles().filter((f) => f.includes('partial'))).toEqual([]);
    const after = await api.call('project.snapshot', {});
    expect(after.state.assets[asset.id]!.derivatives.stabilize).toBeUndefined();
    expect(stabilizeStatus(after.state.clips[longClip]!, after.state.assets[asset.id], 'vidstab').state).toBe('not-analysed');
  });
});
