/**
 * The `comfyui` backend against a server speaking ComfyUI's API (HTTP + WebSocket), driven by
 * the two shipped Wan 2.1 workflows: the loader validates them and refuses broken ones in
 * words; text-to-video fills the mapped inputs (prompt, seed, 4n+1 frames, size) and follows
 * progress; image-to-video uploads the reference; a node error fails the take with ComfyUI's
 * message; cancel interrupts our running prompt; a job killed after /prompt re-attaches by
 * its client id without queueing again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import { checkWorkflow, frameCount } from '../../../app/endpoints/comfy-mapping.js';
import type { Endpoint } from '../../../app/endpoints/types.js';
import type { GenerateJobResult } from '../../../app/generation/jobs.js';
import type { Job } from '../../../app/jobs/types.js';
import { secondsToFlicks } from '../../../app/time/flicks.js';
import { loadWorkflow, shippedWorkflowsDir } from '../../../main/backends/comfyui/workflow.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { startFakeComfy, type FakeComfy } from '../../helpers/fake-comfyui.js';
import { ffprobeJson, makeTestImage } from '../../helpers/media-fixtures.js';

describe('shipped ComfyUI workflows and the mapping loader', () => {
  it('both examples load, and their mappings imply what they can make', () => {
    const t2v = loadWorkflow('builtin:wan2.1-t2v', undefined);
    const i2v = loadWorkflow('builtin:wan2.1-i2v', undefined);
    expect(t2v.mapping).toMatchObject({ task: 'text-to-video', fps: 16, output: { node: '50' } });
    expect(i2v.mapping).toMatchObject({ task: 'image-to-video', inputs: { image: { node: '52', input: 'image' } } });
    expect(frameCount(t2v.mapping, 5)).toBe(81); // Wan: 4n + 1
    expect(frameCount(t2v.mapping, 2)).toBe(33);
  });

  it('refuses a UI-format workflow, a mapping that points at missing nodes or inputs, and i2v without an image', () => {
    const wf = JSON.parse(fs.readFileSync(path.join(shippedWorkflowsDir(), 'wan2.1-t2v.json'), 'utf8'));
    const map = JSON.parse(fs.readFileSync(path.join(shippedWorkflowsDir(), 'wan2.1-t2v.mapping.json'), 'utf8'));
    const names = { workflow: 'w.json', mapping: 'w.mapping.json' };
    expect(() => checkWorkflow({ nodes: [], links: [] }, map, names)).toThrow(/UI workflow, not the API format.*Export \(API\)/);
    expect(() => checkWorkflow(wf, { ...map, inputs: { ...map.inputs, seed: { node: '99', input: 'seed' } } }, names)).toThrow(/seed points at node "99", which the workflow does not have/);
    expect(() => checkWorkflow(wf, { ...map, inputs: { ...map.inputs, prompt: { node: '6', input: 'txt' } } }, names)).toThrow(/input "txt" of node "6" \(CLIPTextEncode\), which has only: text, clip/);
    expect(() => checkWorkflow(wf, { ...map, task: 'image-to-video' }, names)).toThrow(/needs inputs\.image/);
    expect(() => checkWorkflow(wf, { ...map, version: 2 }, names)).toThrow(/not a valid mapping: version/);
  });
});

describe('comfyui backend against a ComfyUI-speaking server', () => {
  let comfy: FakeComfy;
  let tmp: string;
  let services: ShotlineServices;
  let api: ShotlineClient;
  let t2v: Endpoint;
  const events: Job[] = [];
  const waitJob = async (id: string): Promise<Job> => {
    for (;;) {
      const j = (await api.call('jobs.list', {})).find((x) => x.id === id)!;
      if (['succeeded', 'failed', 'canceled'].includes(j.state)) return j;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  let n = 0;
  const addShot = async (subject: string, extra: Record<string, unknown> = {}) => {
    const r = await api.call('edit.apply', { command: 'shot.add', args: { fields: { title: `S${++n}`, durationFlicks: secondsToFlicks(2), prompt: { subject }, ...extra } } });
    return Object.keys(r.patch.shots ?? {})[0]!;
  };

  beforeAll(async () => {
    comfy = await startFakeComfy();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-comfy-'));
    services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home') });
    api = inProcessClient(services);
    services.subscribe((e) => e.type === 'job.updated' && events.push(e.job));
    await api.call('project.create', { dir: path.join(tmp, 'film'), name: 'Film' });
  });
  afterAll(async () => {
    await services?.shutdown();
    await comfy?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('add refuses a workflow that does not load; test reports the server', async () => {
    await expect(api.call('endpoints.add', { name: 'Box', kind: 'comfyui', baseUrl: comfy.url, options: { workflow: path.join(tmp, 'nope.json') } })).rejects.toThrow(/does not exist/);
    t2v = await api.call('endpoints.add', { name: 'Box', kind: 'comfyui', baseUrl: comfy.url, options: { workflow: 'builtin:wan2.1-t2v' } });
    expect(t2v.capabilities).toMatchObject({ tasks: ['text-to-video'], durations: [2, 3, 5], fps: [16], sizes: [{ width: 832, height: 480 }, { width: 480, height: 832 }, { width: 624, height: 624 }] });
    expect(await api.call('endpoints.test', { id: t2v.id })).toMatchObject({ ok: true, message: expect.stringMatching(/ComfyUI 0\.3\.40 on cuda:0 Fake GPU/) });
  });

  it('text-to-video: mapped inputs filled, progress from the socket, output fetched through /view', async () => {
    const shotId = await addShot('a lighthouse in fog', { seed: 1234 });
    const [job] = await api.call('generation.start', { shotId, backendId: `comfyui:${t2v.id}` });
    expect(job!.resource).toBe(`network:${t2v.id}`);
    const done = await waitJob(job!.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const g = comfy.prompts.at(-1)!.graph;
    expect(g['6']!.inputs.text).toMatch(/^a lighthouse in fog/);
    expect(g['3']!.inputs.seed).toBe(1234);
    expect(g['40']!.inputs).toMatchObject({ length: 33, width: 832, height: 480 });
    expect(comfy.prompts.at(-1)!.clientId).toMatch(/^shotline-/);
    expect(events.some((e) => e.id === job!.id && /Generating on Box: step \d\/4/.test(e.message))).toBe(true);
    const s = (await api.call('project.snapshot', {})).state;
    const asset = s.assets[(done.result as GenerateJobResult).assetId]!;
    expect(asset.provenance).toMatchObject({ backend: 'comfyui', parameters: { remote: { endpointName: 'Box', videoId: comfy.prompts.at(-1)!.id } } });
    const probe = await ffprobeJson(path.join(tmp, 'film', asset.path));
    expect(probe.streams[0]).toMatchObject({ width: 832, height: 480, nb_frames: '33' });
    expect(comfy.routes).toContain('GET /view');
  });

  it('image-to-video uploads the reference at the workflow size and names it in LoadImage', async () => {
    const i2v = await api.call('endpoints.add', { name: 'Box i2v', kind: 'comfyui', baseUrl: comfy.url, options: { workflow: 'builtin:wan2.1-i2v', imageFit: 'pad' } });
    const png = await makeTestImage({ path: path.join(tmp, 'ref.png'), width: 320, height: 320 });
    const imp = await api.call('assets.import', { files: [{ path: png }] });
    const shotId = await addShot('the keeper waves', { referenceAssetId: imp.imported[0]!.id });
    const [job] = await api.call('generation.start', { shotId, backendId: `comfyui:${i2v.id}` });
    const done = await waitJob(job!.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const uploaded = comfy.uploads.at(-1)!;
    expect(comfy.prompts.at(-1)!.graph['52']!.inputs.image).toBe(path.basename(uploaded));
    const p = await ffprobeJson(uploaded);
    expect(p.streams[0]).toMatchObject({ width: 832, height: 480 }); // padded to the size, not stretched
  });

  it('a node error fails the take with ComfyUI\'s message; cancel interrupts our running prompt', async () => {
    comfy.failNext = 'CUDA out of memory. Tried to allocate 2.00 GiB';
    const [bad] = await api.call('generation.start', { shotId: await addShot('too big'), backendId: `comfyui:${t2v.id}` });
    const failed = await waitJob(bad!.id);
    expect(failed.state).toBe('failed');
    expect(failed.error!.message).toMatch(/ComfyUI failed to run the workflow: KSampler CUDA out of memory/);

    comfy.stepMs = 1500;
    const before = comfy.prompts.length;
    const [slow] = await api.call('generation.start', { shotId: await addShot('slow one'), backendId: `comfyui:${t2v.id}` });
    while (comfy.prompts.length === before) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300)); // it is running on the server now
    await api.call('jobs.cancel', { jobId: slow!.id });
    expect((await waitJob(slow!.id)).state).toBe('canceled');
    for (let i = 0; i < 100 && !comfy.routes.includes('POST /interrupt'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(comfy.routes).toContain('POST /interrupt');
    comfy.stepMs = 150;
  });

  it('a job stopped after /prompt, its prompt id lost (a kill before the commit), re-attaches by client id', async () => {
    comfy.stepMs = 600;
    const before = comfy.prompts.length;
    const shotId = await addShot('re-attach me');
    const [job] = await api.call('generation.start', { shotId, backendId: `comfyui:${t2v.id}` });
    while (comfy.prompts.length === before) await new Promise((r) => setTimeout(r, 50));
    // The server has the prompt; wait until the job has committed its id too (under load the
    // answer can take a while to be written, and this test fakes losing exactly that write).
    const promptIdOnRow = () => {
      const ro = new Database(path.join(tmp, 'film', 'project.shotline'), { readonly: true });
      try {
        const r = ro.prepare('SELECT remote FROM jobs WHERE id = ?').get(job!.id) as { remote: string | null } | undefined;
        return r?.remote ? (JSON.parse(r.remote) as { promptId: string | null }).promptId : null;
      } finally {
        ro.close();
      }
    };
    for (let i = 0; i < 400 && !promptIdOnRow(); i++) await new Promise((r) => setTimeout(r, 50));
    const interrupts = comfy.routes.filter((r) => r === 'POST /interrupt').length;
    await api.call('project.close', {}); // closing is not canceling: the prompt keeps running
    // As if killed between POST /prompt and writing its answer: only the client id is on the row.
    const db = new Database(path.join(tmp, 'film', 'project.shotline'));
    const row = db.prepare('SELECT remote FROM jobs WHERE id = ?').get(job!.id) as { remote: string };
    const cp = JSON.parse(row.remote) as { clientId: string; promptId: string | null };
    expect(cp.promptId).toBe(comfy.prompts.at(-1)!.id);
    db.prepare('UPDATE jobs SET remote = ? WHERE id = ?').run(JSON.stringify({ ...cp, promptId: null }), job!.id);
    db.close();
    const posts = comfy.routes.filter((r) => r === 'POST /prompt').length;
    await api.call('project.open', { dir: path.join(tmp, 'film') });
    const done = await waitJob(job!.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(comfy.routes.filter((r) => r === 'POST /prompt').length).toBe(posts); // never queued again
    expect(comfy.prompts.length).toBe(before + 1);
    expect(comfy.routes.filter((r) => r === 'POST /interrupt').length).toBe(interrupts);
    comfy.stepMs = 150;
  });

  it('one WebSocket per endpoint for all its jobs; dropped mid-job, it reconnects with back-off and the jobs confirm through /history', async () => {
    await api.call('endpoints.update', { id: t2v.id, concurrency: 2 });
    comfy.stepMs = 350;
    const conns = comfy.wsConnections.length;
    const before = comfy.prompts.length;
    const start = async (subject: string) => (await api.call('generation.start', { shotId: await addShot(subject), backendId: `comfyui:${t2v.id}` }))[0]!;
    const jobs = [await start('shared socket one'), await start('shared socket two')];
    while (comfy.prompts.length < before + 2) await new Promise((r) => setTimeout(r, 50));
    // Both prompts were queued under the endpoint's one socket client id, each with its own job key.
    const mine = comfy.prompts.slice(before);
    expect(new Set(mine.map((p) => p.clientId)).size).toBe(1);
    expect(new Set(mine.map((p) => p.extra.shotline_job)).size).toBe(2);
    expect(comfy.wsConnections.length - conns).toBeLessThanOrEqual(1);
    expect(comfy.wsConnections.slice(conns).every((c) => c === mine[0]!.clientId)).toBe(true);

    // The socket drops while the first runs and stays refused until both have finished on the
    // server: their completion events are lost.
    while (!events.some((e) => e.id === jobs[0]!.id && /step \d\/4/.test(e.message))) await new Promise((r) => setTimeout(r, 20));
    comfy.refuseWs = true;
    comfy.dropSockets();
    while (!mine.every((p) => comfy.history.has(p.id))) await new Promise((r) => setTimeout(r, 50));
    const dropped = comfy.wsConnections.length;
    comfy.refuseWs = false;
    const done = await Promise.all(jobs.map((j) => waitJob(j.id)));
    expect(done.map((j) => j.state)).toEqual(['succeeded', 'succeeded']);
    for (const p of mine) expect(comfy.routes).toContain(`GET /history/${p.id}`);
    expect(comfy.prompts.length).toBe(before + 2); // nothing queued twice

    // It came back (same client id) and carries the next job's progress.
    const third = await start('after the reconnect');
    expect((await waitJob(third.id)).state).toBe('succeeded');
    expect(comfy.wsConnections.length).toBeGreaterThan(dropped);
    expect(comfy.wsConnections.at(-1)).toBe(mine[0]!.clientId);
    expect(events.some((e) => e.id === third.id && /Generating on Box: step \d\/4/.test(e.message))).toBe(true);
    comfy.stepMs = 150;
  });
});
