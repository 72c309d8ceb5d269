/**
 * Powers a token holder has that can hurt: replacing a file by export needs the user's
 * confirmation unless the file is an earlier Shotline export, and errors about a file the
 * caller named never echo that file's content back.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import type { ShotlineError } from '../../../app/errors.js';
import type { Job } from '../../../app/jobs/types.js';
import { unzipSync } from 'fflate';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { isShotlineExport } from '../../../main/export/overwrite-guard.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { ffmpeg, makeTestVideo } from '../../helpers/media-fixtures.js';
import { writeKeyLikeFile } from '../../helpers/key-like-file.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-powers-'));
let services: ShotlineServices;
let api: ShotlineClient;
const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

async function refused(p: Promise<unknown>): Promise<ShotlineError> {
  try {
    await p;
  } catch (e) {
    return e as ShotlineError;
  }
  throw new Error('expected a refusal');
}

async function finished(id: string): Promise<Job> {
  for (;;) {
    const j = (await api.call('jobs.list', {})).find((x) => x.id === id)!;
    if (['succeeded', 'failed', 'canceled'].includes(j.state)) return j;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home') });
  api = inProcessClient(services);
  await api.call('project.create', { dir: path.join(tmp, 'film'), name: 'Powers' });
  const clip = await makeTestVideo({ path: path.join(tmp, 'clip.mp4'), seconds: 1, width: 160, height: 90, withAudio: true });
  const { imported } = await api.call('assets.import', { files: [{ path: clip }] });
  const snap = await api.call('project.snapshot', {});
  const v1 = Object.values(snap.state.tracks).find((t) => t.kind === 'video')!;
  await api.call('edit.apply', { command: 'clip.add', args: { trackId: v1.id, assetId: imported[0]!.id, startFlicks: 0 } });
}, 120_000);

afterAll(async () => {
  await services.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('dangerous powers', () => {
  it('export over a file that is not a Shotline export needs the confirmation of that path', async () => {
    const thesis = path.join(tmp, 'thesis.mp4');
    fs.writeFileSync(thesis, 'three years of work');
    const before = sha(thesis);
    const jobsBefore = (await api.call('jobs.list', {})).length;
    const e = await refused(api.call('export.start', { preset: '720p-draft', outPath: thesis, overwrite: true }));
    expect(e.code).toBe('confirmation_required');
    expect(e.message).toBe(`${thesis} already exists and is not a Shotline export. Replacing it needs your confirmation.`);
    const wrong = await refused(api.call('export.start', { preset: '720p-draft', outPath: thesis, overwrite: true, confirmOverwrite: path.join(tmp, 'other.mp4') }));
    expect(wrong.code).toBe('confirmation_required');
    expect(sha(thesis)).toBe(before);
    expect((await api.call('jobs.list', {})).length).toBe(jobsBefore);

    // Confirmed: replaced by a real export.
    const ok = await finished((await api.call('export.start', { preset: '720p-draft', outPath: thesis, overwrite: true, confirmOverwrite: thesis })).id);
    expect(ok.state, JSON.stringify(ok.error)).toBe('succeeded');
    expect(sha(thesis)).not.toBe(before);

    // Now it is a Shotline export: replacing it again is routine.
    const again = await finished((await api.call('export.start', { preset: '720p-draft', outPath: thesis, overwrite: true })).id);
    expect(again.state, JSON.stringify(again.error)).toBe('succeeded');
  }, 120_000);

  it.each(['otio', 'fcpxml', 'edl', 'mlt'] as const)('a %s hand-off over a file that is not a Shotline export needs the confirmation of that path, then replaces it atomically', async (format) => {
    const dir = fs.mkdtempSync(path.join(tmp, `handoff-${format}-`));
    const target = path.join(dir, `notes.${format}`);
    fs.writeFileSync(target, 'my own notes, not a timeline');
    // A second name for the same inode: an in-place write would change it too, a rename does not.
    const twin = path.join(dir, 'twin');
    fs.linkSync(target, twin);
    const before = sha(target);

    const e = await refused(api.call('export.interchange', { format, outPath: target, overwrite: true }));
    expect(e.code).toBe('confirmation_required');
    expect(e.message).toBe(`${target} already exists and is not a Shotline export. Replacing it needs your confirmation.`);
    const wrong = await refused(api.call('export.interchange', { format, outPath: target, overwrite: true, confirmOverwrite: path.join(dir, 'other') }));
    expect(wrong.code).toBe('confirmation_required');
    expect(sha(target)).toBe(before);
    expect(fs.readdirSync(dir).sort()).toEqual([`notes.${format}`, 'twin']);

    const ok = await api.call('export.interchange', { format, outPath: target, overwrite: true, confirmOverwrite: target });
    expect(ok.outPath).toBe(target);
    expect(fs.readFileSync(target, 'utf8')).toContain('Made with Shotline');
    expect(sha(twin)).toBe(before); // replaced by rename, not rewritten in place
    expect(fs.readdirSync(dir).sort()).toEqual([`notes.${format}`, 'twin']); // no temp file left

    // Now it is a Shotline export: replacing it again is routine.
    await api.call('export.interchange', { format, outPath: target, overwrite: true });
    expect(fs.readFileSync(target, 'utf8')).toContain('Made with Shotline');
  }, 60_000);

  it('a project package over a file that is not a Shotline export needs the confirmation too', async () => {
    const target = path.join(tmp, 'thesis.shotlinepkg');
    fs.writeFileSync(target, 'not a package');
    const before = sha(target);
    const e = await refused(api.call('project.package', { outPath: target, overwrite: true }));
    expect(e.code).toBe('confirmation_required');
    expect(sha(target)).toBe(before);
    await api.call('project.package', { outPath: target, overwrite: true, confirmOverwrite: target });
    const first = sha(target);
    expect(first).not.toBe(before);
    // An earlier package is recognised (its stored manifest says who made it): no confirmation.
    await api.call('project.package', { outPath: target, overwrite: true });
    expect(sha(target)).not.toBe(first); // a new createdAt: really written again
  }, 60_000);

  it('a LUT import error names the line but never quotes the file', async () => {
    const key = path.join(tmp, 'id_ed25519');
    writeKeyLikeFile(key);
    const e = await refused(api.call('color.importLut', { file: { path: key } }));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/^"id_ed25519" is not a usable \.cube LUT: line 1: /);
    expect(e.message).not.toMatch(/BEGIN|OPENSSH|b3Bl/);
  });

  it('a media import error never quotes the file either, whatever its extension', async () => {
    for (const name of ['id_rsa', 'key.txt', 'key.srt', 'key.ans', 'key.png', 'key.mp4']) {
      const file = path.join(tmp, name);
      writeKeyLikeFile(file);
      const body = fs.readFileSync(file, 'utf8').split('\n')[1]!;
      const { imported, failed } = await api.call('assets.import', { files: [{ path: file }] });
      expect(imported, name).toEqual([]);
      expect(failed[0]!.error.code, name).toBe('media_unreadable');
      const said = JSON.stringify(failed);
      expect(failed[0]!.error.message, name).toContain(`"${name}" cannot be used`);
      expect(said, name).not.toMatch(/BEGIN|OPENSSH|PRIVATE|b3BlbnNzaC1rZXktdjE/);
      expect(said, name).not.toContain(body.slice(20, 40));
    }
  }, 60_000);

  it('a cameo bundle or revocation file over a file that is not a Shotline export needs the confirmation too', async () => {
    process.env.SHOTLINE_NO_KEYCHAIN = '1';
    const still = path.join(tmp, 'face.png');
    await ffmpeg(['-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240', '-frames:v', '1', still]);
    await api.call('cameos.setUser', { name: 'Jo' });
    const consent = { subject: 'Maya', audience: 'only-me' as const, collaborators: [], covers: 'likeness' as const, signedName: 'Maya', signedOn: '2026-11-01' };
    const maya = await api.call('cameos.create', { name: 'Maya', handle: 'maya', description: 'red scarf', consent, sources: { stills: [{ path: still }] } });
    for (const method of ['cameos.exportBundle', 'cameos.exportRevocation'] as const) {
      const target = path.join(tmp, `${method}.notes`);
      fs.writeFileSync(target, 'my own notes');
      const before = sha(target);
      const e = await refused(api.call(method, { id: maya.id, outPath: target, overwrite: true }));
      expect(e.code, method).toBe('confirmation_required');
      expect(sha(target), method).toBe(before);
      await api.call(method, { id: maya.id, outPath: target, overwrite: true, confirmOverwrite: target });
      expect(sha(target), method).not.toBe(before);
      // What replaced it is a Shotline export (marked as the others are), so exporting again over it is routine.
      expect(await isShotlineExport(target), method).toBe(true);
      const first = sha(target);
      await api.call(method, { id: maya.id, outPath: target, overwrite: true });
      expect(sha(target), method).not.toBe(first); // rewritten (a new date and ES256 signature)
      expect(unzipSync(fs.readFileSync(target))['shotline.txt'], method).toBeDefined();
    }

  }, 60_000);
});
