/**
 * Generation in the app, through the in-process client (same dispatcher and schemas as every
 * transport), with the shipped model pack, real onnxruntime and real ffmpeg: backends list,
 * takes from a shot, progress, cache hits, cancel, failure + retry, bad input, continuity,
 * reference images, remix, and crash-resume (a killed process; a crash after import).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import type { BackendInfo } from '../../../app/generation/types.js';
import type { Job } from '../../../app/jobs/types.js';
import { EMPTY_PROMPT, type Asset, type ProjectState } from '../../../app/model/types.js';
import { composePrompt } from '../../../app/model/prompt.js';
import { secondsToFlicks } from '../../../app/time/flicks.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import type { GenerateJobResult } from '../../../app/generation/jobs.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { ffprobeJson, makeTestAudio, makeTestImage } from '../../helpers/media-fixtures.js';
import { NO_PACK, PACK_DIR, REPO_ROOT, SHIPPED_MODELS } from './find-pack.js';
import { writeTinyPack } from '../../unit/generation/tiny-pack.js';

const TERMINAL = ['succeeded', 'failed', 'canceled'];

describe.skipIf(!PACK_DIR)('generation service (shipped pack, onnxruntime, ffmpeg)', () => {
  let tmp: string;
  let home: string;
  let services: ShotlineServices;
  let api: ShotlineClient;
  const events: Job[] = [];

  async function waitJob(id: string, client = api): Promise<Job> {
    for (;;) {
      const j = (await client.call('jobs.list', {})).find((x) => x.id === id)!;
      if (TERMINAL.includes(j.state)) return j;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const state = async (): Promise<ProjectState> => (await api.call('project.snapshot', {})).state;
  async function addShot(fields: Record<string, unknown>): Promise<string> {
    const r = await api.call('edit.apply', { command: 'shot.add', args: { fields: { durationFlicks: secondsToFlicks(2), ...fields } } });
    return Object.keys(r.patch.shots ?? {})[0]!;
  }
  const takesOf = (s: ProjectState, shotId: string) => Object.values(s.takes).filter((t) => t.shotId === shotId).sort((a, b) => a.position - b.position);
  const redCircle = { subject: 'a red circle', action: 'moves to the left', setting: '' };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-gen-svc-'));
    home = path.join(tmp, 'home');
    if (!PACK_DIR!.startsWith(SHIPPED_MODELS)) process.env.SHOTLINE_MODELS_DIR = path.dirname(PACK_DIR!);
    services = await ShotlineServices.create({ transport: 'in-process', userDataDir: home });
    api = inProcessClient(services);
    services.subscribe((e) => {
      if (e.type === 'job.updated' && e.job.kind === 'generate') events.push(e.job);
    });
    await api.call('project.create', { dir: path.join(tmp, 'film'), name: 'Film', settings: { width: 1280, height: 720 } });
  });
  afterAll(async () => {
    await services?.shutdown();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('lists the local backend with its capabilities and execution provider', async () => {
    const list: BackendInfo[] = await api.call('generation.backends', {});
    const local = list.find((b) => b.id === 'local-onnx' && b.status === 'ready')!;
    expect(local).toBeTruthy();
    expect(local.executionProvider).toBe('cpu');
    expect(local.capabilities.tasks).toEqual(['text-to-video', 'image-to-video', 'video-to-video']);
    expect(local.capabilities.durations).toEqual([2]);
    expect(local.capabilities.sizes).toEqual([{ width: 256, height: 256 }]);
    expect(local.capabilities.fps).toEqual([8]);
    expect(local.capabilities.audio).toBe(false);
    expect(local.model.name).toBe(JSON.parse(fs.readFileSync(path.join(PACK_DIR!, 'manifest.json'), 'utf8')).name);

    // A pack dropped into the user's models folder (library setting) shows up without a restart;
    // a broken one is listed with its reason.
    const userModels = path.join(tmp, 'my-models');
    writeTinyPack(path.join(userModels, 'tiny'));
    writeTinyPack(path.join(userModels, 'broken'), (m) => (m.scheduler.type = 'euler'));
    services.library.setPreference('userModelsDir', userModels);
    try {
      const more = await api.call('generation.backends', {});
      expect(more[0]!.model.name).toBe(local.model.name); // the shipped pack stays the default
      expect(more.find((b) => b.model.name === 'tiny-test-pack')).toMatchObject({ status: 'ready', executionProvider: 'cpu', capabilities: { durations: [0.5], sizes: [{ width: 16, height: 16 }] } });
      expect(more.find((b) => b.location === path.join(userModels, 'broken'))).toMatchObject({ status: 'error', error: { message: expect.stringMatching(/scheduler\.type is "euler"/) } });
    } finally {
      services.library.setPreference('userModelsDir', null);
    }
    expect((await api.call('generation.backends', {})).some((b) => b.model.name === 'tiny-test-pack')).toBe(false);
  });

  it('generates a take: progress per step with ETA, MP4 imported with provenance, "Take 1" added', async () => {
    const shotId = await addShot({ title: 'Opening', prompt: redCircle, seed: 42 });
    const jobs = await api.call('generation.start', { shotId, steps: 10 });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.kind).toBe('generate');
    expect(jobs[0]!.resource).toBe('gpu');
    const done = await waitJob(jobs[0]!.id);
    expect(done.state).toBe('succeeded');
    const r = done.result as GenerateJobResult;
    expect(r).toMatchObject({ cached: false, seed: 42, executionProvider: 'cpu' });
    const steps = events.filter((e) => e.id === done.id && /^Step \d+\/10$/.test(e.message));
    expect(steps.length).toBeGreaterThanOrEqual(5);
    expect(steps.every((e) => e.etaSeconds !== null && e.progress > 0 && e.progress < 1)).toBe(true);
    const progress = steps.map((e) => e.progress);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);

    const s = await state();
    const takes = takesOf(s, shotId);
    expect(takes.map((t) => [t.label, t.assetId, t.remixOf])).toEqual([['Take 1', r.assetId, null]]);
    expect(s.shots[shotId]!.chosenTakeId).toBe(takes[0]!.id);
    const asset = s.assets[r.assetId]!;
    expect(asset.kind).toBe('video');
    expect(asset.provenance).toMatchObject({
      source: 'generated',
      backend: 'local-onnx',
      prompt: 'a red circle moves to the left.',
      seed: 42,
      inputAssetIds: [],
      // guidance: the pack manifest's default (the request names none)
      parameters: { task: 'text-to-video', steps: 10, guidance: JSON.parse(fs.readFileSync(path.join(PACK_DIR!, 'manifest.json'), 'utf8')).guidance.default, durationSeconds: 2, width: 256, height: 256, fps: 8, executionProvider: 'cpu' },
    });
    expect((asset.provenance as unknown as { parameters: { requestHash: string } }).parameters.requestHash).toMatch(/^[a-f0-9]{64}$/);
    const probe = await ffprobeJson(path.join(tmp, 'film', asset.path));
    const v = probe.streams.find((x) => x.codec_type === 'video')!;
    expect(v).toMatchObject({ codec_name: 'h264', width: 256, height: 256, r_frame_rate: '8/1', nb_frames: '16' });
    expect(Number(probe.format.duration)).toBeCloseTo(2, 1);
  });

  it('an identical request is a cache hit: the take appears at once, the model does not run', async () => {
    const before = await state();
    const shotId = Object.values(before.shots).find((x) => x.title === 'Opening')!.id;
    const assetsBefore = Object.keys(before.assets).length;
    const jobs = await api.call('generation.start', { shotId, steps: 10 });
    // Registered before the job even runs.
    const now = await state();
    const takes = takesOf(now, shotId);
    expect(takes.map((t) => t.label)).toEqual(['Take 1', 'Take 2']);
    expect(takes[1]!.assetId).toBe(takes[0]!.assetId);
    const done = await waitJob(jobs[0]!.id);
    expect(done.state).toBe('succeeded');
    expect(done.result).toMatchObject({ cached: true, takeId: takes[1]!.id });
    expect(events.some((e) => e.id === done.id && /^Step /.test(e.message))).toBe(false);
    expect(Object.keys((await state()).assets)).toHaveLength(assetsBefore);
    expect(takesOf(await state(), shotId)).toHaveLength(2);
  });

  it('several takes: one job each, seeds seed, seed+1; null seed = random per take, shown in provenance', async () => {
    const shotId = await addShot({ title: 'Two', prompt: { subject: 'a blue square', action: 'moves up' } });
    const jobs = await api.call('generation.start', { shotId, takes: 2, seed: 7, steps: 4 });
    expect(jobs.map((j) => j.title)).toEqual(['Generate Two: Take 1 (seed 7)', 'Generate Two: Take 2 (seed 8)']);
    const results = (await Promise.all(jobs.map((j) => waitJob(j.id)))).map((j) => j.result as GenerateJobResult);
    expect(results.map((r) => r.seed)).toEqual([7, 8]);
    expect(results[0]!.assetId).not.toBe(results[1]!.assetId);
    const rnd = await api.call('generation.start', { shotId, seed: null, steps: 2 });
    const r = (await waitJob(rnd[0]!.id)).result as GenerateJobResult;
    expect(Number.isInteger(r.seed)).toBe(true);
    expect(((await state()).assets[r.assetId]!.provenance as { seed: number }).seed).toBe(r.seed);
  });

  it('refuses bad input with clear messages, before queueing anything', async () => {
    const shotId = await addShot({ title: 'Bad', prompt: redCircle });
    const generateJobs = async () => (await api.call('jobs.list', {})).filter((j) => j.kind === 'generate').length;
    const jobsBefore = await generateJobs();
    const err = async (input: Record<string, unknown>) => {
      try {
        await api.call('generation.start', { shotId, ...input } as never);
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(await err({ durationSeconds: 4 })).toBe('This backend makes 2-second clips; choose 2 s.');
    expect(await err({ model: 'no-such-pack' })).toBe('No local model pack named "no-such-pack" is installed.');
    expect(await err({ backendId: 'sora' })).toBe('There is no generation backend "sora".');
    expect(await err({ steps: 5000 })).toMatch(/^Invalid generation.start: steps/);
    expect(await err({ takes: 9 })).toMatch(/^Invalid generation.start: takes/);
    expect(await err({ continueFromPrevious: true, useReference: false, remix: undefined, shotId: await addShot({ title: 'Lonely', prompt: redCircle }) })).toMatch(
      /^The previous shot \("Bad"\) has no chosen video take to continue from\.$/,
    );
    const empty = await addShot({ title: 'Empty' });
    expect(await err({ shotId: empty })).toBe('The prompt is empty: describe the shot (subject, action, setting) before generating.');
    const longPrompt = { ...EMPTY_PROMPT, subject: 'x'.repeat(2000), action: 'y'.repeat(2000), setting: 'z'.repeat(2000) };
    const long = await addShot({ title: 'Long', prompt: longPrompt });
    expect(await err({ shotId: long })).toBe(`The prompt is ${composePrompt(longPrompt).length.toLocaleString('en-US')} characters long; the limit is 4,000. Shorten it.`);
    // A sound or a video as the reference image.
    const wav = await makeTestAudio({ path: path.join(tmp, 'voice.wav'), seconds: 1 } as never);
    const imp = await api.call('assets.import', { files: [{ path: wav }] });
    await api.call('edit.apply', { command: 'shot.update', args: { shotId, fields: { referenceAssetId: imp.imported[0]!.id } } });
    expect(await err({})).toBe('The reference "voice.wav" is a sound, not a still image.');
    expect(await generateJobs()).toBe(jobsBefore);
  });

  it('cancel stops within a step and registers nothing; a failed job keeps its error and request, retry re-runs it', async () => {
    const shotId = await addShot({ title: 'Cancel me', prompt: redCircle, seed: 99 });
    const s0 = await state();
    const [job] = await api.call('generation.start', { shotId, steps: 200 });
    for (;;) {
      const j = events.filter((e) => e.id === job!.id).at(-1);
      if (j && /^Step [2-9]/.test(j.message)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const t0 = performance.now();
    await api.call('jobs.cancel', { jobId: job!.id });
    const done = await waitJob(job!.id);
    expect(done.state).toBe('canceled');
    expect(performance.now() - t0).toBeLessThan(5000);
    const lastStep = Math.max(...events.filter((e) => e.id === job!.id && /^Step/.test(e.message)).map((e) => Number(/Step (\d+)/.exec(e.message)![1])));
    expect(lastStep).toBeLessThan(50);
    const s1 = await state();
    expect(Object.keys(s1.assets)).toEqual(Object.keys(s0.assets));
    expect(takesOf(s1, shotId)).toHaveLength(0);

    // Failure: a reference image whose file went bad on disk after import.
    const png = await makeTestImage({ path: path.join(tmp, 'ref.png') } as never);
    const imp = await api.call('assets.import', { files: [{ path: png }] });
    const ref: Asset = imp.imported[0]!;
    await api.call('edit.apply', { command: 'shot.update', args: { shotId, fields: { referenceAssetId: ref.id } } });
    const refFile = path.join(tmp, 'film', ref.path);
    const good = fs.readFileSync(refFile);
    fs.writeFileSync(refFile, 'not an image any more');
    const [bad] = await api.call('generation.start', { shotId, steps: 3 });
    // The queue goes on: a job queued behind the failing one still succeeds.
    const other = await addShot({ title: 'After', prompt: { subject: 'a yellow triangle', action: 'falls' } });
    const [next] = await api.call('generation.start', { shotId: other, steps: 2, seed: 1 });
    const failed = await waitJob(bad!.id);
    expect(failed.state).toBe('failed');
    expect(failed.error?.message).toBe('The reference "ref.png" is not an image Shotline can read (it does not decode).');
    expect(failed.payload).toMatchObject({ shotId, request: { task: 'image-to-video', seed: 99, steps: 3 } });
    expect((await waitJob(next!.id)).state).toBe('succeeded');
    expect(takesOf(await state(), shotId)).toHaveLength(0);
    fs.writeFileSync(refFile, good);
    await api.call('jobs.retry', { jobId: bad!.id });
    const retried = await waitJob(bad!.id);
    expect(retried.state).toBe('succeeded');
    const s2 = await state();
    const takes = takesOf(s2, shotId);
    expect(takes).toHaveLength(1);
    expect(s2.assets[takes[0]!.assetId]!.provenance).toMatchObject({ inputAssetIds: [ref.id], parameters: { task: 'image-to-video' } });
    // Take numbers are slates: the canceled Take 1 and the retried Take 2 keep theirs, so the next is Take 3.
    expect(takes[0]!.label).toBe('Take 2');
    const [again] = await api.call('generation.start', { shotId, steps: 2, seed: 5 });
    expect(again!.title).toMatch(/Take 3/);
    await waitJob(again!.id);
  }, 120_000);

  it('continues from the previous shot (its last frame as the reference) and remixes a take', async () => {
    const first = await addShot({ title: 'Cont A', prompt: redCircle, seed: 3 });
    const [a] = await api.call('generation.start', { shotId: first, steps: 3 });
    const ra = (await waitJob(a!.id)).result as GenerateJobResult;
    const second = await addShot({ title: 'Cont B', prompt: { subject: 'a red circle', action: 'moves to the right' }, continuity: true, seed: 4 });
    const [b] = await api.call('generation.start', { shotId: second, steps: 3 });
    const jb = await waitJob(b!.id);
    expect(jb.state).toBe('succeeded');
    const rb = jb.result as GenerateJobResult;
    const s = await state();
    expect(s.assets[rb.assetId]!.provenance).toMatchObject({ inputAssetIds: [ra.assetId], parameters: { task: 'image-to-video', continuedFrom: ra.assetId } });

    const [m] = await api.call('generation.start', { shotId: first, remix: { takeId: ra.takeId, strength: 0.5, prompt: { action: 'moves up' } }, steps: 4 });
    expect(m!.title).toMatch(/^Remix Cont A: Take 2/);
    const rm = (await waitJob(m!.id)).result as GenerateJobResult;
    const s2 = await state();
    expect(s2.takes[rm.takeId]).toMatchObject({ label: 'Take 2', remixOf: ra.takeId, shotId: first });
    expect(s2.assets[rm.assetId]!.provenance).toMatchObject({
      prompt: 'a red circle moves up.',
      inputAssetIds: [ra.assetId],
      parameters: { task: 'video-to-video', strength: 0.5, steps: 4 },
    });
  }, 120_000);

  it('crash after import, before the take: resuming adds exactly one take; a finished job resumed adds none', async () => {
    const shotId = await addShot({ title: 'Crash', prompt: redCircle, seed: 11 });
    const [job] = await api.call('generation.start', { shotId, steps: 2 });
    const r = (await waitJob(job!.id)).result as GenerateJobResult;
    const dir = (await api.call('project.snapshot', {})).dir;
    // Pretend the process died after the asset was imported but before 'take.add' ...
    await api.call('edit.apply', { command: 'take.remove', args: { takeId: r.takeId } });
    await api.call('project.close', {});
    const db = new Database(path.join(dir, 'project.shotline'));
    db.prepare("UPDATE jobs SET state = 'running' WHERE id = ?").run(job!.id);
    db.close();
    await api.call('project.open', { dir });
    const resumed = await waitJob(job!.id);
    expect(resumed.state).toBe('succeeded');
    expect(resumed.result).toMatchObject({ cached: true, assetId: r.assetId });
    expect(takesOf(await state(), shotId).map((t) => t.label)).toEqual(['Take 1']);
    // ... and after the take was added but before the job was marked done.
    await api.call('project.close', {});
    const db2 = new Database(path.join(dir, 'project.shotline'));
    db2.prepare("UPDATE jobs SET state = 'running' WHERE id = ?").run(job!.id);
    db2.close();
    await api.call('project.open', { dir });
    expect((await waitJob(job!.id)).state).toBe('succeeded');
    expect(takesOf(await state(), shotId)).toHaveLength(1);
  });

  it('a process killed mid-generation: the job is requeued on open, completes, one take', async () => {
    const dir = (await api.call('project.snapshot', {})).dir;
    const shotId = await addShot({ title: 'Killed', prompt: { subject: 'a green diamond', action: 'spins' }, seed: 21 });
    await api.call('project.close', {});
    const env = { ...process.env, SHOTLINE_HOME: home, SHOTLINE_ORT_THREADS: '1' };
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'shotline.mjs'), 'generate', dir, '--shot', shotId, '--steps', '40'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        err += String(d);
        if (/Generating [1-9]\d+%/.test(err)) resolve();
      });
      child.on('exit', (code) => reject(new Error(`the CLI exited (${code}) before generating: ${err}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const db = new Database(path.join(dir, 'project.shotline'), { readonly: true });
    const row = db.prepare("SELECT id, state FROM jobs WHERE kind = 'generate' ORDER BY created_at DESC LIMIT 1").get() as { id: string; state: string };
    db.close();
    expect(row.state).toBe('running');
    await api.call('project.open', { dir });
    const j = await waitJob(row.id);
    expect(j.state).toBe('succeeded');
    expect(j.attempts).toBe(2);
    const takes = takesOf(await state(), shotId);
    expect(takes.map((t) => t.label)).toEqual(['Take 1']);
  }, 180_000);
});

describe.skipIf(!!PACK_DIR)('generation service (no pack)', () => {
  it('is skipped', () => console.warn(NO_PACK));
});
