/**
 * Cameos through the app's API (in-process: the same dispatcher and schemas as every
 * transport), with real SQLite, real ffmpeg and the shipped model pack: create a cameo → use it
 * by @handle in two projects (the still is the first frame; the take's provenance names the
 * cameo and its consent record; every use is logged) → revoke while one project is closed →
 * both projects' takes are marked (the closed one when opened) → export refused with the shots
 * listed → replace the take → export passes. Consent refusals at queue time, and the owner's
 * logged override for their own likeness.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import type { Job } from '../../../app/jobs/types.js';
import type { ProjectState } from '../../../app/model/types.js';
import { secondsToFlicks } from '../../../app/time/flicks.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { ffmpeg } from '../../helpers/media-fixtures.js';
import { PACK_DIR } from '../generation/find-pack.js';

const TERMINAL = ['succeeded', 'failed', 'canceled'];

describe.skipIf(!PACK_DIR)('cameos in generation, revoke cascade, export gate', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-cameo-cascade-'));
  const home = path.join(tmp, 'home');
  let services: ShotlineServices;
  let api: ShotlineClient;
  const still = path.join(tmp, 'maya.png');
  const voice = path.join(tmp, 'maya.wav');
  afterAll(async () => {
    await services?.shutdown();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function waitJob(id: string): Promise<Job> {
    for (;;) {
      const j = (await api.call('jobs.list', {})).find((x) => x.id === id)!;
      if (TERMINAL.includes(j.state)) return j;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const state = async (): Promise<ProjectState> => (await api.call('project.snapshot', {})).state;
  async function addShot(fields: Record<string, unknown>): Promise<string> {
    const r = await api.call('edit.apply', { command: 'shot.add', args: { fields: { durationFlicks: secondsToFlicks(2), ...fields } } });
    return Object.keys(r.patch.shots ?? {})[0]!;
  }
  const consent = { subject: 'Maya Lind', audience: 'only-me' as const, collaborators: [], covers: 'both' as const, signedName: 'Maya Lind', signedOn: '2026-11-01' };

  beforeAll(async () => {
    await ffmpeg(['-y', '-f', 'lavfi', '-i', 'testsrc2=size=256x256', '-frames:v', '1', still]);
    await ffmpeg(['-y', '-f', 'lavfi', '-i', 'sine=frequency=300:duration=2', '-ar', '48000', voice]);
    if (!PACK_DIR!.includes(path.join('resources', 'models'))) process.env.SHOTLINE_MODELS_DIR = path.dirname(PACK_DIR!);
    services = await ShotlineServices.create({ transport: 'in-process', userDataDir: home });
    api = inProcessClient(services);
  });

  let mayaId = '';
  let takeA = '';
  const dirA = path.join(tmp, 'A');
  const dirB = path.join(tmp, 'B');

  it('creates a cameo with its consent record; an unknown or refused cameo queues nothing', async () => {
    const maya = await api.call('cameos.create', { name: 'Maya', handle: 'maya', description: 'green raincoat', consent, sources: { stills: [{ path: still }], audio: { path: voice } } });
    mayaId = maya.id;
    expect(maya).toMatchObject({ handle: 'maya', status: 'active', useCount: 0, parts: { likeness: true, voice: true } });
    const expired = await api.call('cameos.create', { name: 'Theo', handle: 'theo', consent: { ...consent, subject: 'Theo', signedName: 'Theo', signedOn: '2026-01-01', expiresOn: '2026-02-01' }, sources: { stills: [{ path: still }] } });
    expect(expired.status).toBe('expired');

    await api.call('project.create', { dir: dirA, name: 'Film A', settings: { width: 1280, height: 720 } });
    const unknown = await addShot({ prompt: { subject: '@nobody walks' } });
    await expect(api.call('generation.start', { shotId: unknown })).rejects.toThrow(/No cameo has the handle @nobody/);
    const theo = await addShot({ prompt: { subject: '@theo walks' } });
    await expect(api.call('generation.start', { shotId: theo })).rejects.toThrow(/consent for @theo \(Theo\) expired on 2026-02-01/);
    expect((await api.call('jobs.list', {})).filter((j) => j.kind === 'generate')).toEqual([]);
    for (const id of [unknown, theo]) await api.call('edit.apply', { command: 'shot.remove', args: { shotId: id } });
  });

  it('uses the cameo by @handle: its still is the first frame, provenance and the use log name it', async () => {
    const shot = await addShot({ title: 'Lighthouse', prompt: { subject: '@maya walks into the lighthouse' } });
    const [job] = await api.call('generation.start', { shotId: shot, seed: 7 });
    const done = await waitJob(job!.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const s = await state();
    const take = Object.values(s.takes).find((t) => t.shotId === shot)!;
    takeA = take.id;
    const asset = s.assets[take.assetId]!;
    if (asset.provenance.source !== 'generated') throw new Error('not generated');
    const maya = (await api.call('cameos.get', { id: mayaId })).cameo;
    expect(asset.provenance.parameters.task).toBe('image-to-video');
    expect(asset.provenance.prompt).toBe('Maya walks into the lighthouse. Maya: green raincoat.');
    expect(asset.provenance.parameters.cameos).toEqual([{ cameoId: mayaId, handle: 'maya', consentRecordId: maya.consent.id, parts: ['likeness'], delivery: 'reference-image' }]);
    expect((asset.provenance.parameters.inputs as { sha256: string }[])[0]!.sha256).toBe(maya.media.find((m) => m.role === 'still')!.sha256);
    await api.call('edit.apply', { command: 'take.choose', args: { takeId: take.id } });
    await api.call('edit.apply', { command: 'timeline.assemble', args: {} });
    const detail = await api.call('cameos.get', { id: mayaId });
    expect(detail.cameo.useCount).toBe(1);
    expect(detail.uses[0]).toMatchObject({ projectDir: dirA, projectName: 'Film A', shotId: shot, shotTitle: 'Lighthouse', takeLabel: 'Take 1', part: 'likeness', purpose: 'generate', consentId: maya.consent.id });
    expect(detail.uses[0]!.endpoint).toMatch(/shapes|tiny|local/i);
  }, 120_000);

  it('a second project uses it too and is closed; revoke marks the open project at once, deletes the media, refuses export with the shots', async () => {
    await api.call('project.create', { dir: dirB, name: 'Film B', settings: { width: 1280, height: 720 } });
    const shot = await addShot({ title: 'Beach', prompt: { subject: 'A beach at dawn' }, cameoIds: [mayaId] });
    const [job] = await api.call('generation.start', { shotId: shot, seed: 3 });
    expect((await waitJob(job!.id)).state).toBe('succeeded');
    const tb = Object.values((await state()).takes)[0]!;
    await api.call('edit.apply', { command: 'take.choose', args: { takeId: tb.id } });
    await api.call('edit.apply', { command: 'timeline.assemble', args: {} });
    await api.call('project.open', { dir: dirA }); // B is closed now

    const mediaDir = path.join(home, 'cameo-media');
    expect(fs.readdirSync(mediaDir).length).toBeGreaterThan(0);
    const r = await api.call('cameos.revoke', { id: mayaId, reason: 'Maya asked' });
    expect(r).toMatchObject({ markedTakes: 1, cameo: { status: 'revoked', media: [] } });
    expect(r.deletedFiles).toBeGreaterThan(0);
    // The other cameo (Theo) keeps the still they share; Maya's voice is gone.
    expect(fs.readdirSync(mediaDir).filter((f) => f.endsWith('.wav'))).toEqual([]);
    expect((await state()).takes[takeA]!.revokedCameos).toEqual([mayaId]);
    await expect(api.call('export.start', { preset: '720p-draft', outPath: path.join(tmp, 'a.mp4') })).rejects.toThrow(/uses @maya, revoked since: replace the take in Lighthouse \(Take 1\)/);
    // Use is refused from now on, with the reason.
    const again = await addShot({ prompt: { subject: '@maya again' } });
    await expect(api.call('generation.start', { shotId: again })).rejects.toThrow(/@maya \(Maya\) was revoked on \d{4}-\d\d-\d\d \(Maya asked\)/);
    await api.call('edit.apply', { command: 'shot.remove', args: { shotId: again } });
  }, 120_000);

  it('the project closed at revoke time is marked when opened; replacing the take lets export pass', async () => {
    await api.call('project.open', { dir: dirB });
    const s = await state();
    const tb = Object.values(s.takes)[0]!;
    expect(tb.revokedCameos).toEqual([mayaId]);
    await expect(api.call('export.cameoBlockers', {})).resolves.toEqual([expect.objectContaining({ shotTitle: 'Beach', takeLabel: 'Take 1', cameoIds: [mayaId] })]);
    await expect(api.call('export.start', { preset: '720p-draft', outPath: path.join(tmp, 'b.mp4') })).rejects.toThrow(/Beach \(Take 1\)/);
    // Not the owner's own likeness (self: false): no override.
    await expect(api.call('export.start', { preset: '720p-draft', outPath: path.join(tmp, 'b.mp4'), cameoOverride: { cameoIds: [mayaId], reason: 'festival cut' } })).rejects.toThrow(/only when it is their own likeness/);

    // Replace: the cameo leaves the shot, a new take is generated and chosen, the timeline reassembled.
    const shotId = tb.shotId;
    await api.call('edit.apply', { command: 'shot.update', args: { shotId, fields: { cameoIds: [] } } });
    const [job] = await api.call('generation.start', { shotId, seed: 4 });
    expect((await waitJob(job!.id)).state).toBe('succeeded');
    const fresh = Object.values((await state()).takes).find((t) => t.id !== tb.id)!;
    await api.call('edit.apply', { command: 'take.choose', args: { takeId: fresh.id } });
    await api.call('edit.apply', { command: 'timeline.assemble', args: {} });
    expect(await api.call('export.cameoBlockers', {})).toEqual([]);
    const exp = await api.call('export.start', { preset: '720p-draft', outPath: path.join(tmp, 'b.mp4') });
    expect((await waitJob(exp.id)).state).toBe('succeeded');
    expect(fs.statSync(path.join(tmp, 'b.mp4')).size).toBeGreaterThan(1000);
  }, 180_000);

  it("the owner may override for their own likeness, and it is logged", async () => {
    const me = await api.call('cameos.create', { name: 'Me', handle: 'me', consent: { ...consent, subject: 'Jo', signedName: 'Jo', self: true }, sources: { stills: [{ path: still }] } });
    const shot = await addShot({ title: 'Selfie', prompt: { subject: '@me waves' } });
    const [job] = await api.call('generation.start', { shotId: shot, seed: 1 });
    expect((await waitJob(job!.id)).state).toBe('succeeded');
    const t = Object.values((await state()).takes).find((x) => x.shotId === shot)!;
    await api.call('edit.apply', { command: 'take.choose', args: { takeId: t.id } });
    await api.call('edit.apply', { command: 'timeline.assemble', args: {} });
    await api.call('cameos.revoke', { id: me.id });
    await expect(api.call('export.start', { preset: '720p-draft', outPath: path.join(tmp, 'c.mp4') })).rejects.toThrow(/Selfie/);
    const exp = await api.call('export.start', { preset: '720p-draft', outPath: path.join(tmp, 'c.mp4'), cameoOverride: { cameoIds: [me.id], reason: 'my own showreel' } });
    expect((await waitJob(exp.id)).state).toBe('succeeded');
    const log = (await api.call('cameos.get', { id: me.id })).uses;
    expect(log[0]).toMatchObject({ purpose: 'export-override', shotTitle: 'my own showreel' });
  }, 180_000);
});
