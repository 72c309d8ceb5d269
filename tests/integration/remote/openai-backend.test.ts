/**
 * Shotline's `openai-videos` backend end to end, through the validated API against a real
 * `/v1/videos` server on loopback: endpoints (add / test / edit / remove, key from the
 * environment on this keychain-less box), takes with their audio, the per-endpoint network
 * slot, remix by remote id, and every misbehaviour the protocol allows, each ending in the
 * right state with the request counts proving nothing was submitted twice.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import type { Endpoint } from '../../../app/endpoints/types.js';
import type { GenerateJobResult } from '../../../app/generation/jobs.js';
import type { Job } from '../../../app/jobs/types.js';
import type { Asset, ProjectState } from '../../../app/model/types.js';
import { secondsToFlicks } from '../../../app/time/flicks.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { ffprobeJson } from '../../helpers/media-fixtures.js';
import { dropAfterHandling, FAKE_CAPS, startFakeVideoService } from '../../helpers/fake-video-service.js';

const TERMINAL = ['succeeded', 'failed', 'canceled'];

describe('openai-videos backend against a /v1/videos server', () => {
  let server: Awaited<ReturnType<typeof startFakeVideoService>>;
  let tmp: string;
  let services: ShotlineServices;
  let api: ShotlineClient;
  let ep: Endpoint;
  const events: Job[] = [];

  const count = (route: string) => server.counts.get(route) ?? 0;
  const state = async (): Promise<ProjectState> => (await api.call('project.snapshot', {})).state;
  async function waitJob(id: string): Promise<Job> {
    for (;;) {
      const j = (await api.call('jobs.list', {})).find((x) => x.id === id)!;
      if (TERMINAL.includes(j.state)) return j;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  let shotN = 0;
  async function addShot(subject: string): Promise<string> {
    const r = await api.call('edit.apply', { command: 'shot.add', args: { fields: { title: `Shot ${++shotN}`, durationFlicks: secondsToFlicks(1), prompt: { subject } } } });
    return Object.keys(r.patch.shots ?? {})[0]!;
  }
  async function generate(subject: string, extra: Record<string, unknown> = {}): Promise<Job> {
    const shotId = await addShot(subject);
    const [job] = await api.call('generation.start', { shotId, backendId: `openai-videos:${ep.id}`, ...extra });
    return waitJob(job!.id);
  }

  beforeAll(async () => {
    server = await startFakeVideoService({ delayMs: 200 });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-remote-'));
    services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home') });
    api = inProcessClient(services);
    services.subscribe((e) => {
      if (e.type === 'job.updated') events.push(e.job);
    });
    await api.call('project.create', { dir: path.join(tmp, 'film'), name: 'Film', settings: { width: 1280, height: 720 } });
  });
  afterAll(async () => {
    delete process.env.SHOTLINE_ENDPOINT_KEY_RENDER_FARM;
    await services?.shutdown();
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('adds an endpoint; without a keychain a key is refused with the env-var fallback and nothing is saved', async () => {
    await expect(api.call('endpoints.add', { name: 'Render farm', kind: 'openai-videos', baseUrl: server.url, apiKey: server.token })).rejects.toMatchObject({
      message: expect.stringMatching(/was not saved.*platform storage/i),
      hint: expect.stringContaining('SHOTLINE_ENDPOINT_KEY_RENDER_FARM=<key>'),
    });
    expect(await api.call('endpoints.list', {})).toEqual([]);
    await expect(api.call('endpoints.add', { name: 'x', kind: 'openai-videos', baseUrl: 'ftp://nope' })).rejects.toMatchObject({ code: 'invalid_input' });

    ep = await api.call('endpoints.add', { name: 'Render farm', kind: 'openai-videos', baseUrl: server.url, concurrency: 3, pricePerSecond: 0.1 });
    expect(ep).toMatchObject({ hasKey: false, keySource: null, keyEnvVar: 'SHOTLINE_ENDPOINT_KEY_RENDER_FARM', concurrency: 3 });
    // Without the key the server says 401, in words.
    const noKey = await api.call('endpoints.test', { id: ep.id });
    expect(noKey).toMatchObject({ ok: false, message: expect.stringMatching(/refused the API key \(401\)/) });

    process.env.SHOTLINE_ENDPOINT_KEY_RENDER_FARM = server.token;
    const ok = await api.call('endpoints.test', { id: ep.id });
    expect(ok).toMatchObject({ ok: true, message: expect.stringContaining('fake-video-1') });
    ep = (await api.call('endpoints.list', {}))[0]!;
    expect(ep).toMatchObject({ hasKey: true, keySource: 'environment', capabilities: FAKE_CAPS, lastCheck: { ok: true } });
    const listed = (await api.call('generation.backends', {})).find((b) => b.id === `openai-videos:${ep.id}`);
    expect(listed).toMatchObject({ status: 'ready', executionProvider: 'remote', capabilities: { audio: true, durations: [1, 2] } });
  });

  it('two takes run at once on the endpoint slot, arrive with their sound, and record the remote video', async () => {
    const shotId = await addShot('a lighthouse at dusk');
    const posts = count('POST /v1/videos');
    // The price is shown before anything is sent: 2 takes × 1 s × $0.10.
    expect(await api.call('generation.estimate', { shotId, backendId: `openai-videos:${ep.id}`, takes: 2 })).toEqual({ backendId: `openai-videos:${ep.id}`, takes: 2, secondsPerTake: 1, pricePerSecond: 0.1, totalUsd: 0.2 });
    expect(count('POST /v1/videos')).toBe(posts);
    expect(await api.call('generation.spend', {})).toEqual({ totalUsd: 0, takes: 0, byEndpoint: [] });
    const jobs = await api.call('generation.start', { shotId, backendId: `openai-videos:${ep.id}`, takes: 2 });
    expect(jobs.map((j) => j.resource)).toEqual([`network:${ep.id}`, `network:${ep.id}`]);
    const done = await Promise.all(jobs.map((j) => waitJob(j.id)));
    expect(done.map((j) => j.state)).toEqual(['succeeded', 'succeeded']);
    expect(count('POST /v1/videos') - posts).toBe(2);
    // Both were running at the same time (concurrency 3), not one after the other.
    const runningTogether = events.some((e, i) => e.state === 'running' && events.slice(0, i).some((f) => f.id !== e.id && jobs.some((j) => j.id === f.id) && f.state === 'running') && jobs.some((j) => j.id === e.id));
    expect(runningTogether).toBe(true);
    expect(events.some((e) => jobs.some((j) => j.id === e.id) && /Generating on Render farm: \d+%/.test(e.message))).toBe(true);

    const s = await state();
    for (const j of done) {
      const r = j.result as GenerateJobResult;
      const asset = s.assets[r.assetId]!;
      const probe = await ffprobeJson(path.join(tmp, 'film', asset.path));
      expect(probe.streams.map((x) => x.codec_type).sort()).toEqual(['audio', 'video']);
      expect(probe.streams.find((x) => x.codec_type === 'video')).toMatchObject({ width: 320, height: 180 });
      expect(asset.probe.hasAudio ?? probe.streams.some((x) => x.codec_type === 'audio')).toBe(true);
      expect(asset.provenance).toMatchObject({ source: 'generated', backend: 'openai-videos', parameters: { executionProvider: 'remote', remote: { endpointId: ep.id, endpointName: 'Render farm', videoId: expect.stringMatching(/^video_/), costUsd: 0.1 } } });
    }
    expect(await api.call('generation.spend', {})).toEqual({ totalUsd: 0.2, takes: 2, byEndpoint: [{ endpointName: 'Render farm', totalUsd: 0.2, takes: 2 }] });
  });

  it('remix of a take made there goes to /remix with its remote id', async () => {
    const s = await state();
    const take = Object.values(s.takes).find((t) => s.shots[t.shotId]!.prompt.subject === 'a lighthouse at dusk')!;
    const srcId = remoteIdOf(s.assets[take.assetId]!);
    const before = count('POST /v1/videos/{id}/remix');
    const [job] = await api.call('generation.start', { shotId: take.shotId, backendId: `openai-videos:${ep.id}`, remix: { takeId: take.id, prompt: { subject: 'a lighthouse in snow' } } });
    const done = await waitJob(job!.id);
    expect(done.state).toBe('succeeded');
    expect(count('POST /v1/videos/{id}/remix') - before).toBe(1);
    const after = await state();
    const newTake = after.takes[(done.result as GenerateJobResult).takeId]!;
    expect(newTake.remixOf).toBe(take.id);
    expect(server.store.get('token', remoteIdOf(after.assets[newTake.assetId]!))).toMatchObject({ remixed_from_video_id: srcId });
  });

  it('continue this take (extensions, billed for the added seconds) and a prompt-directed edit (edits, by id); posters from the thumbnails', async () => {
    const s = await state();
    const take = Object.values(s.takes).find((t) => s.shots[t.shotId]!.prompt.subject === 'a lighthouse at dusk')!;
    const srcId = remoteIdOf(s.assets[take.assetId]!);
    const base = { shotId: take.shotId, backendId: `openai-videos:${ep.id}` };
    // The price before submit: 6 added seconds at $0.10, not the clip's length.
    expect(await api.call('generation.estimate', { ...base, remix: { takeId: take.id, mode: 'extend', seconds: 6 } })).toMatchObject({ takes: 1, secondsPerTake: 6, totalUsd: 0.6 });
    const posts = { ext: count('POST /v1/videos/extensions'), edit: count('POST /v1/videos/edits') };
    const [ext, edit] = [
      ...(await api.call('generation.start', { ...base, remix: { takeId: take.id, mode: 'extend', seconds: 6, prompt: { action: 'the beam sweeps on' } } })),
      ...(await api.call('generation.start', { ...base, remix: { takeId: take.id, mode: 'edit', prompt: { subject: 'a lighthouse in fog' } } })),
    ];
    const [doneExt, doneEdit] = await Promise.all([waitJob(ext!.id), waitJob(edit!.id)]);
    expect([doneExt.state, doneEdit.state]).toEqual(['succeeded', 'succeeded']);
    expect([count('POST /v1/videos/extensions') - posts.ext, count('POST /v1/videos/edits') - posts.edit]).toEqual([1, 1]);
    const specs = server.maker.made.slice(-2);
    expect(specs.map((m) => m.op).sort()).toEqual(['edit', 'extend']);
    expect(specs.find((m) => m.op === 'extend')).toMatchObject({ seconds: 6, prompt: expect.stringContaining('the beam sweeps on') });
    const after = await state();
    for (const [done, operation, cost] of [[doneExt, 'extend', 0.6], [doneEdit, 'edit', 0.1]] as const) {
      const t = after.takes[(done.result as GenerateJobResult).takeId]!;
      const a = after.assets[t.assetId]!;
      expect(t.remixOf).toBe(take.id);
      expect(a.provenance).toMatchObject({ parameters: { remote: { operation, costUsd: cost } } });
      // By the server's id (made there), not an upload: the server links it to its source.
      expect(server.store.get('token', remoteIdOf(a))).toMatchObject({ remixed_from_video_id: srcId });
      // The server's thumbnail, kept in the project as the take's poster.
      const poster = path.join(tmp, 'film', a.derivatives.poster!.path);
      expect(fs.readFileSync(poster).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    }
    // An extension without its length is refused in words before anything is sent.
    await expect(api.call('generation.start', { ...base, remix: { takeId: take.id, mode: 'extend' } })).rejects.toMatchObject({ message: expect.stringContaining('how many seconds') });
    expect(count('POST /v1/videos/extensions') - posts.ext).toBe(1);
  });

  it('429 with retry-after and 500s: retried with the same Idempotency-Key; one video made', async () => {
    const keys: string[] = [];
    let n = 0;
    server.intercepts.push((req, res, route) => {
      if (route !== 'POST /v1/videos') return false;
      keys.push(String(req.headers['idempotency-key']));
      n++;
      if (n === 1) return reply(res, 429, { 'retry-after': '1' }, 'Rate limit reached for requests', 'rate_limit_exceeded');
      if (n === 2 || n === 3) return reply(res, 500, {}, 'The server had an error while processing your request.', 'server_error');
      return false;
    });
    const made = server.store.created;
    const job = await generate('a harbour in rain');
    server.intercepts.length = 0;
    expect(job.state).toBe('succeeded');
    expect(n).toBe(4);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^shotline-/);
    expect(server.store.created - made).toBe(1);
  });

  it('a dropped connection after the server accepted: found in the list, never sent again', async () => {
    let n = 0;
    server.intercepts.push((_req, res, route) => {
      if (route === 'POST /v1/videos' && ++n === 1) dropAfterHandling(res);
      return false;
    });
    const made = server.store.created;
    const job = await generate('a ferry leaving port');
    server.intercepts.length = 0;
    expect(job.state).toBe('succeeded');
    expect(n).toBe(1); // reconciled by GET /v1/videos, not re-POSTed
    expect(server.store.created - made).toBe(1);
  });

  it('failed (policy), expired, quota, and a content link that 404s end the take in words', async () => {
    const cases: { subject: string; on: (id: string, res: ServerResponse, route: string) => boolean; want: RegExp }[] = [
      { subject: 'policy case', on: (id, _r, route) => (route === 'GET /v1/videos/{id}' && server.store.setStatus(id, 'failed', { code: 'moderation_blocked', message: 'Your request was blocked by our moderation system.' }), false), want: /could not make this take: Your request was blocked by our moderation system/ },
      { subject: 'expired case', on: (id, _r, route) => (route === 'GET /v1/videos/{id}' && server.store.setStatus(id, 'expired'), false), want: /expired before Shotline could download it/ },
      { subject: 'missing content', on: (_id, res, route) => route === 'GET /v1/videos/{id}/content' && reply(res, 404, {}, 'Video content not found.', 'not_found'), want: /does not know this video any more \(404\): Video content not found/ },
    ];
    for (const c of cases) {
      server.intercepts.push((req, res, route) => c.on(/video_[0-9a-f]+/.exec(req.url ?? '')?.[0] ?? '', res, route));
      const made = server.store.created;
      const job = await generate(c.subject);
      server.intercepts.length = 0;
      expect(job.state, c.subject).toBe('failed');
      expect(job.error!.message).toMatch(c.want);
      expect(server.store.created - made).toBe(1);
    }
    // A spent quota is not retried.
    let posts = 0;
    server.intercepts.push((_req, res, route) => route === 'POST /v1/videos' && ++posts > 0 && reply(res, 429, {}, 'You exceeded your current quota.', 'insufficient_quota'));
    const job = await generate('quota case');
    server.intercepts.length = 0;
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ message: expect.stringMatching(/quota is used up: You exceeded your current quota/), hint: expect.stringMatching(/Add credit/) });
    expect(posts).toBe(1);
    // No take was created for any of them, and no stack trace reached the user.
    const s = await state();
    expect(Object.values(s.takes).filter((t) => /case|missing/.test(s.shots[t.shotId]!.prompt.subject))).toEqual([]);
  });

  it('a download cut in the middle resumes with Range and is verified by ffprobe', async () => {
    const ranges: (string | undefined)[] = [];
    server.intercepts.push((req, res, route) => {
      if (route !== 'GET /v1/videos/{id}/content' || /variant=thumbnail/.test(req.url ?? '')) return false;
      ranges.push(req.headers.range);
      if (ranges.length > 1) return false;
      // Send the first 2 kB of the real file, then cut the connection.
      const id = /video_[0-9a-f]+/.exec(req.url ?? '')![0];
      const f = server.store.files('token', id)!;
      const size = fs.statSync(f.file).size;
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': size });
      // (a pause first: a reset right behind the data can make the client drop what it had buffered)
      res.write(fs.readFileSync(f.file).subarray(0, 2048), () => setTimeout(() => res.socket?.destroy(), 150));
      return true;
    });
    const job = await generate('a lighthouse keeper');
    server.intercepts.length = 0;
    expect(job.state).toBe('succeeded');
    expect(ranges).toEqual([undefined, 'bytes=2048-']);
    const s = await state();
    const asset = s.assets[(job.result as GenerateJobResult).assetId]!;
    const probe = await ffprobeJson(path.join(tmp, 'film', asset.path));
    expect(Number(probe.format.duration)).toBeCloseTo(1, 0);
  });

  it('edit and remove: a changed address drops the last test; removing forgets the endpoint', async () => {
    const changed = await api.call('endpoints.update', { id: ep.id, baseUrl: `${server.url}/v1`, concurrency: 1 });
    expect(changed).toMatchObject({ baseUrl: `${server.url}/v1`, concurrency: 1, lastCheck: null });
    expect((await api.call('endpoints.test', { id: ep.id })).ok).toBe(true); // ".../v1" is the same API
    await expect(api.call('endpoints.add', { name: 'render FARM', kind: 'comfyui', baseUrl: 'http://127.0.0.1:8188' })).rejects.toThrow(/already an endpoint named "Render farm"/);
    expect(await api.call('endpoints.remove', { id: ep.id })).toBeNull();
    expect(await api.call('endpoints.list', {})).toEqual([]);
    const shotId = await addShot('after removal');
    await expect(api.call('generation.start', { shotId, backendId: `openai-videos:${ep.id}` })).rejects.toThrow(/no longer configured/);
  });
});

function remoteIdOf(a: Asset): string {
  if (a.provenance.source !== 'generated') throw new Error(`${a.name} was not generated`);
  return (a.provenance.parameters.remote as { videoId: string }).videoId;
}

function reply(res: ServerResponse, status: number, headers: Record<string, string>, message: string, code: string): true {
  const body = JSON.stringify({ error: { message, type: status === 429 ? 'requests' : 'server_error', param: null, code } });
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
  return true;
}
