/**
 * The same @handle from two owners (real installs, each with its own signing key): Sam records
 * his own @maya and imports Jo's @maya from a signed bundle. In Sam's project "@maya" alone is
 * refused before anything is queued or sent, with the two ways to write it; "@maya~jo" generates
 * with Jo's cameo (its still, byte for byte the library's, reaches the ComfyUI server; its consent
 * record is the one checked and logged) and the prompt names Jo's Maya. Before qualified handles
 * there was no way to write either one in a prompt.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import type { GeneratePayload } from '../../../app/generation/jobs.js';
import type { Job } from '../../../app/jobs/types.js';
import { secondsToFlicks } from '../../../app/time/flicks.js';
import { startFakeComfy, type FakeComfy } from '../../helpers/fake-comfyui.js';
import { ffmpeg } from '../../helpers/media-fixtures.js';
import { startTwoInstalls, type TwoInstalls } from '../../helpers/two-installs.js';

describe('two cameos with one @handle, told apart by their owner', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-cameo-qualified-'));
  let installs: TwoInstalls;
  let a: ShotlineClient;
  let b: ShotlineClient;
  let comfy: FakeComfy;
  const red = path.join(tmp, 'red.png');
  const blue = path.join(tmp, 'blue.png');
  const consent = { subject: 'Maya', audience: 'collaborators' as const, collaborators: ['Sam'], covers: 'likeness' as const, signedName: 'Maya', signedOn: '2026-11-01' };
  const sha = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');

  beforeAll(async () => {
    await ffmpeg(['-y', '-f', 'lavfi', '-i', 'color=c=red:size=320x240', '-frames:v', '1', red]);
    await ffmpeg(['-y', '-f', 'lavfi', '-i', 'color=c=blue:size=320x240', '-frames:v', '1', blue]);
    installs = await startTwoInstalls(tmp);
    ({ a, b } = installs);
    comfy = await startFakeComfy();
  });
  afterAll(async () => {
    await installs?.shutdown();
    await comfy?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('"@maya" is ambiguous with the ways to write it; "@maya~jo" uses Jo\'s cameo', async () => {
    const jos = await a.call('cameos.create', { name: 'Maya Okafor', handle: 'maya', consent, sources: { stills: [{ path: red }] } });
    const bundle = path.join(tmp, 'maya.shotlinecameo');
    await a.call('cameos.exportBundle', { id: jos.id, outPath: bundle });
    const mine = await b.call('cameos.create', { name: 'Maya Lind', handle: 'maya', consent: { ...consent, audience: 'only-me', collaborators: [] }, sources: { stills: [{ path: blue }] } });
    // Importing a clashing handle is allowed (it is someone else's cameo): the prompt tells them apart.
    await b.call('cameos.importBundle', { file: { path: bundle } });
    expect((await b.call('cameos.list', {})).map((c) => [c.name, c.consent.owner.name]).sort()).toEqual([['Maya Lind', 'Sam'], ['Maya Okafor', 'Jo']]);

    const i2v = await b.call('endpoints.add', { name: 'Box i2v', kind: 'comfyui', baseUrl: comfy.url, options: { workflow: 'builtin:wan2.1-i2v', imageFit: 'pad' } });
    await b.call('project.create', { dir: path.join(tmp, 'film'), name: 'Film' });
    const shot = async (subject: string) => Object.keys((await b.call('edit.apply', { command: 'shot.add', args: { fields: { durationFlicks: secondsToFlicks(2), prompt: { subject } } } })).patch.shots ?? {})[0]!;
    const backendId = `comfyui:${i2v.id}`;

    const posts = comfy.routes.length;
    const err = await b.call('generation.start', { shotId: await shot('@maya waves'), backendId }).then(
      () => null,
      (e: { message: string; hint?: string }) => e,
    );
    expect(err?.message).toBe('@maya is ambiguous: Maya Lind (from Sam) and Maya Okafor (from Jo) share it.');
    expect(err?.hint).toContain('Write @maya~sam (Maya Lind, from Sam) or @maya~jo (Maya Okafor, from Jo)');
    await expect(b.call('generation.start', { shotId: await shot('@maya~kim waves'), backendId })).rejects.toThrow('No @maya in your library belongs to "kim".');
    expect(comfy.routes.slice(posts).filter((r) => r.startsWith('POST'))).toEqual([]);
    expect(await b.call('jobs.list', {})).toEqual([]);

    const [job] = await b.call('generation.start', { shotId: await shot('@maya~jo waves from the pier'), backendId });
    let done: Job;
    for (;;) {
      done = (await b.call('jobs.list', {})).find((x) => x.id === job!.id)!;
      if (['succeeded', 'failed', 'canceled'].includes(done.state)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const p = done.payload as GeneratePayload;
    expect(p.cameos!.map((c) => [c.cameoId, c.consentRecordId])).toEqual([[jos.id, jos.consent.id]]);
    expect(p.request.prompt).toMatch(/^Maya Okafor waves from the pier\./);
    expect(p.request.prompt).not.toContain('~');
    // Jo's still (red), byte for byte as Sam's library holds it, is what reached the server (fitted: sampled centre pixel is red).
    const lib = path.join(tmp, 'sam', 'cameo-media', `${jos.media.find((m) => m.role === 'still')!.sha256}.png`);
    expect(sha(lib)).toBe(jos.media.find((m) => m.role === 'still')!.sha256);
    const up = comfy.uploaded.at(-1)!;
    const px = path.join(tmp, 'px.raw');
    await ffmpeg(['-y', '-i', up.path, '-vf', 'crop=1:1:iw/2:ih/2', '-f', 'rawvideo', '-pix_fmt', 'rgb24', px]);
    const [r, g, bl] = fs.readFileSync(px);
    expect(r).toBeGreaterThan(200);
    expect(g! + bl!).toBeLessThan(60);
    // The use is logged on Jo's cameo in Sam's library, none on Sam's own.
    expect((await b.call('cameos.get', { id: jos.id })).uses.map((u) => u.consentId)).toEqual([jos.consent.id]);
    expect((await b.call('cameos.get', { id: mine.id })).uses).toEqual([]);
  }, 180_000);
});
