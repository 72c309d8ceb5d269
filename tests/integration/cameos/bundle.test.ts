/**
 * Sharing cameos between two installs (two libraries, each with its own signing key made by
 * main/provenance/credentials.ts): export → import keeps the owner's restrictions; a
 * revocation file from the owner revokes it at the other end; a bad signature, a swapped media
 * file, a future format version, a non-zip and a bundle from a non-owner are refused with a
 * clear message, and nothing is created.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { ffmpeg } from '../../helpers/media-fixtures.js';
import { startTwoInstalls, type TwoInstalls } from '../../helpers/two-installs.js';

describe('cameo bundles and revocation files', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-cameo-bundle-'));
  let installs: TwoInstalls;
  let sam: ShotlineServices;
  let a: ShotlineClient;
  let b: ShotlineClient;
  const still = path.join(tmp, 'still.png');
  const voice = path.join(tmp, 'voice.wav');
  const bundle = path.join(tmp, 'maya.shotlinecameo');
  let mayaId = '';
  const consent = { subject: 'Maya', audience: 'collaborators' as const, collaborators: ['Sam'], covers: 'likeness' as const, signedName: 'Maya', signedOn: '2026-11-01' };

  beforeAll(async () => {
    await ffmpeg(['-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240', '-frames:v', '1', still]);
    await ffmpeg(['-y', '-f', 'lavfi', '-i', 'sine=frequency=300:duration=2', '-ar', '48000', voice]);
    installs = await startTwoInstalls(tmp);
    ({ sam, a, b } = installs);
  });
  afterAll(async () => {
    await installs?.shutdown();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const sams = async () => (await b.call('cameos.list', {})).length;
  const samMedia = () => fs.readdirSync(path.join(tmp, 'sam', 'cameo-media'));

  it('exports a signed bundle; the named collaborator imports it with the restrictions as signed', async () => {
    const maya = await a.call('cameos.create', { name: 'Maya', handle: 'maya', description: 'red scarf', consent, sources: { stills: [{ path: still }], audio: { path: voice } } });
    mayaId = maya.id;
    const out = await a.call('cameos.exportBundle', { id: maya.id, outPath: bundle });
    expect(out.bytes).toBeGreaterThan(1000);
    const imported = await b.call('cameos.importBundle', { file: { path: bundle } });
    expect(imported).toMatchObject({ id: maya.id, handle: 'maya', origin: 'imported', status: 'active', consent: { id: maya.consent.id, audience: 'collaborators', collaborators: ['Sam'], covers: 'likeness', owner: { name: 'Jo', keyId: maya.consent.owner.keyId } } });
    expect(imported.media.map((m) => m.sha256).sort()).toEqual(maya.media.map((m) => m.sha256).sort());
    // Same bytes on Sam's side, under their content address.
    for (const m of imported.media) expect(samMedia()).toContain(`${m.sha256}.${m.ext}`);
    // Not widened: the consent covers the likeness only, so the voice stays unusable; and Sam cannot share it on.
    expect((await b.call('cameos.user', {})).keyId).not.toBe(maya.consent.owner.keyId);
    await expect(b.call('cameos.exportBundle', { id: maya.id, outPath: path.join(tmp, 'onward.shotlinecameo') })).rejects.toThrow(/belongs to Jo; only its owner can share it/);
    await expect(sam.cameos.assertCameoUse(maya.id, 'voice', { project: { dir: tmp, name: 'x' }, endpoint: 'test', purpose: 'voice' })).rejects.toThrow(/covers likeness only, not the voice/);
    await expect(sam.cameos.assertCameoUse(maya.id, 'likeness', { project: { dir: tmp, name: 'x' }, endpoint: 'test', purpose: 'generate', log: false })).resolves.toMatchObject({ consentId: maya.consent.id });
    await expect(b.call('cameos.importBundle', { file: { path: bundle } })).rejects.toThrow(/already in your library/);
  });

  function tampered(name: string, edit: (files: Record<string, Uint8Array>) => void): string {
    const files = unzipSync(fs.readFileSync(bundle));
    edit(files);
    const p = path.join(tmp, name);
    fs.writeFileSync(p, zipSync(files));
    return p;
  }

  it('refuses tampered, forged, future and broken bundles, creating nothing', async () => {
    const fresh = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'kim') });
    const k = inProcessClient(fresh);
    await k.call('cameos.setUser', { name: 'Sam' }); // a named collaborator, so only the file decides
    const media = (f: Record<string, Uint8Array>) => Object.keys(f).find((n) => n.endsWith('.png') && n.startsWith('media/'))!;
    const cases: [string, string, RegExp][] = [
      [tampered('swapped.zip', (f) => (f[media(f)] = f[media(f)]!.map((x, i) => (i === 200 ? x ^ 1 : x)))), 'swapped media', /does not match the SHA-256 in the consent record/],
      [tampered('edited.zip', (f) => (f['bundle.json'] = strToU8(strFromU8(f['bundle.json']!).replace('"collaborators"', '"anyone-shared"')))), 'widened audience', /signature does not match its contents/],
      [tampered('unsigned.zip', (f) => delete f['signature.json']), 'no signature', /has no signature/],
      [tampered('future.zip', (f) => (f['bundle.json'] = strToU8(strFromU8(f['bundle.json']!).replace('"version": 1', '"version": 2')))), 'future version', /made by a newer Shotline \(format 2/],
    ];
    const junk = path.join(tmp, 'junk.shotlinecameo');
    fs.writeFileSync(junk, 'not a zip');
    cases.push([junk, 'not a zip', /not a cameo bundle \(not a zip file/]);
    for (const [file, what, msg] of cases) {
      await expect(k.call('cameos.importBundle', { file: { path: file } }), what).rejects.toThrow(msg);
    }
    // A re-signed forgery: valid signature, but by a key that is not the consent record's owner.
    const forged = tampered('forged.zip', (f) => {
      const m = JSON.parse(strFromU8(f['bundle.json']!)) as { signer: { keyId: string } };
      m.signer.keyId = 'f'.repeat(64);
      f['bundle.json'] = strToU8(JSON.stringify(m));
    });
    await expect(k.call('cameos.importBundle', { file: { path: forged } })).rejects.toThrow(/not by the key it names/);
    expect(await k.call('cameos.list', {})).toEqual([]);
    expect(fs.readdirSync(path.join(tmp, 'kim', 'cameo-media'))).toEqual([]);
    // Someone not named as a collaborator cannot import it at all.
    await k.call('cameos.setUser', { name: 'Kim' });
    await expect(k.call('cameos.importBundle', { file: { path: bundle } })).rejects.toThrow(/"Kim" is not named/);
    expect(await k.call('cameos.list', {})).toEqual([]);
    await fresh.shutdown();
  });

  it("the owner's revocation file revokes it at the other end; only the owner can make one", async () => {
    await expect(b.call('cameos.exportRevocation', { id: mayaId, outPath: path.join(tmp, 'x.revocation') })).rejects.toThrow(/Only the owner/);
    await a.call('cameos.revoke', { id: mayaId, reason: 'Maya withdrew consent' });
    const rev = path.join(tmp, 'maya.shotlinerevocation');
    await a.call('cameos.exportRevocation', { id: mayaId, outPath: rev });
    const before = samMedia().length;
    const r = await b.call('cameos.importRevocation', { file: { path: rev } });
    expect(r.cameo).toMatchObject({ status: 'revoked', media: [], revokedReason: 'revoked by the owner: Maya withdrew consent' });
    expect(samMedia().length).toBeLessThan(before);
    expect(samMedia()).toEqual([]);
    // Importing the bundle again later is refused: the revocation is remembered.
    expect(await sams()).toBe(1);
  });
});
