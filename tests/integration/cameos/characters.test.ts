/**
 * Cameos on an `openai-videos` endpoint, against Shotline's own `/v1/videos` server on loopback
 * (the code `shotline serve` runs, with its new POST /v1/videos/characters route): the cameo's
 * video is uploaded as a character only when its consent allows, once per endpoint and cameo
 * (cached), and the prompt names the character; an endpoint without characters gets the still
 * as `input_reference`; a refused cameo uploads nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import type { Endpoint } from '../../../app/endpoints/types.js';
import type { Job } from '../../../app/jobs/types.js';
import type { ProjectState } from '../../../app/model/types.js';
import { secondsToFlicks } from '../../../app/time/flicks.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { ffmpeg } from '../../helpers/media-fixtures.js';
import { startFakeVideoService } from '../../helpers/fake-video-service.js';

const TERMINAL = ['succeeded', 'failed', 'canceled'];

describe('cameos as characters on a /v1/videos endpoint', () => {
  let server: Awaited<ReturnType<typeof startFakeVideoService>>;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-cameo-chars-'));
  let services: ShotlineServices;
  let api: ShotlineClient;
  let withChars: Endpoint;
  let plain: Endpoint;
  const video = path.join(tmp, 'maya.mp4');
  const posts = () => server.counts.get('POST /v1/videos/characters') ?? 0;
  const state = async (): Promise<ProjectState> => (await api.call('project.snapshot', {})).state;
  async function waitJob(id: string): Promise<Job> {
    for (;;) {
      const j = (await api.call('jobs.list', {})).find((x) => x.id === id)!;
      if (TERMINAL.includes(j.state)) return j;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  let n = 0;
  async function generate(subject: string, ep: Endpoint, fields: Record<string, unknown> = {}): Promise<Job> {
    const r = await api.call('edit.apply', { command: 'shot.add', args: { fields: { title: `Shot ${++n}`, durationFlicks: secondsToFlicks(1), prompt: { subject }, ...fields } } });
    const shotId = Object.keys(r.patch.shots ?? {})[0]!;
    const [job] = await api.call('generation.start', { shotId, backendId: `openai-videos:${ep.id}` });
    return waitJob(job!.id);
  }
  const consent = { subject: 'Maya', audience: 'only-me' as const, covers: 'likeness' as const, signedName: 'Maya', signedOn: '2026-11-01' };

  beforeAll(async () => {
    await ffmpeg(['-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15:duration=3', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', video]);
    server = await startFakeVideoService({ delayMs: 100 });
    services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home') });
    api = inProcessClient(services);
    process.env.SHOTLINE_ENDPOINT_KEY_STUDIO_A = server.token;
    process.env.SHOTLINE_ENDPOINT_KEY_STUDIO_B = server.token;
    withChars = await api.call('endpoints.add', { name: 'Studio A', kind: 'openai-videos', baseUrl: server.url, options: { characters: true } });
    plain = await api.call('endpoints.add', { name: 'Studio B', kind: 'openai-videos', baseUrl: server.url });
    for (const ep of [withChars, plain]) expect((await api.call('endpoints.test', { id: ep.id })).ok).toBe(true);
    await api.call('project.create', { dir: path.join(tmp, 'film'), name: 'Film', settings: { width: 1280, height: 720 } });
  });
  afterAll(async () => {
    delete process.env.SHOTLINE_ENDPOINT_KEY_STUDIO_A;
    delete process.env.SHOTLINE_ENDPOINT_KEY_STUDIO_B;
    await services?.shutdown();
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('uploads the cameo video as a character once per endpoint (consent checked first) and names it in the prompt', async () => {
    const maya = await api.call('cameos.create', { name: 'Maya', handle: 'maya', description: 'red scarf', consent, sources: { video: { path: video }, stillTimes: [1] } });
    const job = await generate('@maya waves from the pier', withChars);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(posts()).toBe(1);
    const uploaded = server.characters.list();
    expect(uploaded).toEqual([{ id: expect.stringMatching(/^char_/), name: 'maya', bytes: fs.statSync(video).size }]);
    expect(server.maker.made.at(-1)!.prompt).toBe('@maya waves from the pier. Maya: red scarf.');
    expect(server.maker.made.at(-1)!.inputReference).toBeFalsy();
    const s = await state();
    const asset = Object.values(s.assets).at(-1)!;
    expect(asset.provenance.source === 'generated' && asset.provenance.parameters.cameos).toEqual([
      { cameoId: maya.id, handle: 'maya', consentRecordId: maya.consent.id, parts: ['likeness'], delivery: 'character', characterId: uploaded[0]!.id },
    ]);
    // A second take reuses the cached character id: no second upload.
    expect((await generate('@maya sits down', withChars)).state).toBe('succeeded');
    expect(posts()).toBe(1);
    const detail = await api.call('cameos.get', { id: maya.id });
    expect(detail.remote).toEqual([{ endpointId: withChars.id, endpointName: 'Studio A', characterId: uploaded[0]!.id }]);
    expect(detail.uses.map((u) => u.purpose).sort()).toEqual(['character-upload', 'generate', 'generate']);
  });

  it('a cameo revoked after its take was queued (before it ran) is refused at run time: no upload', async () => {
    await api.call('endpoints.update', { id: withChars.id, concurrency: 1 });
    const kai = await api.call('cameos.create', { name: 'Kai', handle: 'kai', consent: { ...consent, subject: 'Kai', signedName: 'Kai' }, sources: { video: { path: video }, stillTimes: [2] } });
    const shot = async (subject: string) => Object.keys((await api.call('edit.apply', { command: 'shot.add', args: { fields: { durationFlicks: secondsToFlicks(1), prompt: { subject } } } })).patch.shots ?? {})[0]!;
    // The first take holds the endpoint's only slot for a few hundred ms; Kai's waits behind it.
    const [busy] = await api.call('generation.start', { shotId: await shot('a long pier'), backendId: `openai-videos:${withChars.id}` });
    const [queued] = await api.call('generation.start', { shotId: await shot('@kai runs'), backendId: `openai-videos:${withChars.id}` });
    await api.call('cameos.revoke', { id: kai.id, reason: 'changed her mind' });
    expect((await waitJob(busy!.id)).state).toBe('succeeded');
    const done = await waitJob(queued!.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatchObject({ code: 'consent_refused', message: expect.stringContaining('@kai (Kai) was revoked') });
    expect(server.characters.list().map((c) => c.name)).toEqual(['maya']);
  });

  it('without characters the still goes as input_reference; nothing is uploaded as a character', async () => {
    const job = await generate('@maya on the beach', plain);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(posts()).toBe(1);
    const spec = server.maker.made.at(-1)!;
    expect(spec.prompt).toBe('Maya on the beach. Maya: red scarf.');
    expect(spec.inputReference && fs.existsSync(spec.inputReference)).toBeTruthy();
  });

  it('a cameo whose consent does not allow it never leaves the machine; revoke reports the character that stays remote', async () => {
    const expired = await api.call('cameos.create', { name: 'Ana', handle: 'ana', consent: { ...consent, subject: 'Ana', signedName: 'Ana', signedOn: '2026-01-01', expiresOn: '2026-03-01' }, sources: { video: { path: video } } });
    expect(expired.status).toBe('expired');
    const r = await api.call('edit.apply', { command: 'shot.add', args: { fields: { durationFlicks: secondsToFlicks(1), prompt: { subject: '@ana waves' } } } });
    await expect(api.call('generation.start', { shotId: Object.keys(r.patch.shots ?? {})[0]!, backendId: `openai-videos:${withChars.id}` })).rejects.toThrow(/consent for @ana \(Ana\) expired on 2026-03-01/);
    expect(posts()).toBe(1);
    expect(server.characters.list().map((c) => c.name)).toEqual(['maya']);

    const maya = (await api.call('cameos.list', {})).find((c) => c.handle === 'maya')!;
    const revoked = await api.call('cameos.revoke', { id: maya.id });
    expect(revoked.remoteCopies).toEqual([{ endpointName: 'Studio A', characterId: server.characters.list()[0]!.id, note: expect.stringMatching(/no delete/) }]);
    const again = await api.call('edit.apply', { command: 'shot.add', args: { fields: { durationFlicks: secondsToFlicks(1), prompt: { subject: '@maya again' } } } });
    await expect(api.call('generation.start', { shotId: Object.keys(again.patch.shots ?? {})[0]!, backendId: `openai-videos:${withChars.id}` })).rejects.toThrow(/was revoked/);
    expect(posts()).toBe(1);
  });
});
