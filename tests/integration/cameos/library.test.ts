/**
 * The cameo library with real SQLite files, real ffmpeg and real processes: media copied in by
 * content hash (never pointing at the user's file), the consent record holding those hashes,
 * bad inputs refused with nothing created, revoke deleting the files, and SIGKILL at every
 * fault point of create, bundle import and revoke leaving the database and the media folder consistent.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameoLibrary, type NewCameo } from '../../../main/cameos/library.js';
import { prepareCameoMedia, scoreFrames } from '../../../main/cameos/prepare.js';
import { LibraryStore } from '../../../main/store/library-store.js';
import { selectEngine } from '../../../main/media/select-engine.js';
import type { FfmpegEngine } from '../../../main/media/engine.js';
import { ffmpeg } from '../../helpers/media-fixtures.js';
import { ROOT } from '../../helpers/studio-process.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { ShotlineServices } from '../../../main/services/shotline.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-cameo-lib-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const sha = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');

let engine: FfmpegEngine;
const files = { video: path.join(tmp, 'capture.mp4'), silent: path.join(tmp, 'silent.mp4'), still: path.join(tmp, 'still.png'), voice: path.join(tmp, 'voice.wav'), empty: path.join(tmp, 'empty.mp4'), corrupt: path.join(tmp, 'corrupt.mp4') };

beforeAll(async () => {
  engine = await selectEngine({});
  // 4 s: testsrc2 (sharp) then a blurred stretch, with a tone after 0.5 s of silence.
  await ffmpeg(['-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15:duration=4', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=3,adelay=500|500,apad=whole_dur=4', '-filter_complex', "[0:v]boxblur=enable='gte(t,2)':luma_radius=8[v]", '-map', '[v]', '-map', '1:a', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', files.video]);
  await ffmpeg(['-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15:duration=2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', files.silent]);
  await ffmpeg(['-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240', '-frames:v', '1', files.still]);
  await ffmpeg(['-y', '-f', 'lavfi', '-i', 'sine=frequency=300:duration=2', '-ar', '48000', files.voice]);
  fs.writeFileSync(files.empty, '');
  fs.writeFileSync(files.corrupt, Buffer.from('this is not a video at all'.repeat(40)));
});

function newLib(name: string): { store: LibraryStore; lib: CameoLibrary; dir: string } {
  const dir = path.join(tmp, name);
  const store = new LibraryStore(dir);
  return { store, lib: new CameoLibrary(store), dir };
}

const consent = { subject: 'Maya Lind', audience: 'only-me' as const, collaborators: [], covers: 'both' as const, expiresOn: null, signedName: 'Maya Lind', signedOn: '2026-11-01', spokenSentence: 'I agree.' };
const input = (media: NewCameo['media'], over: Partial<NewCameo> = {}): NewCameo => ({ name: 'Maya', handle: '@Maya', description: 'green raincoat', tags: ['cast'], consent, media, ...over });

describe('cameo library', () => {
  it('prepares a capture (sharp stills from the sharp half, trimmed voice with loudness), copies by hash, records the hashes in the consent', async () => {
    const { store, lib, dir } = newLib('create');
    const scratch = fs.mkdtempSync(path.join(tmp, 'scratch-'));
    const media = await prepareCameoMedia(engine, { video: files.video, wantVoice: true }, scratch);
    const stills = media.filter((m) => m.role === 'still');
    expect(stills).toHaveLength(3);
    // The suggested frames come from the sharp part (before the blur starts at 2 s).
    const scores = await scoreFrames(engine, files.video, 4);
    const blurred = Math.max(...scores.filter((f) => f.t > 2.2).map((f) => f.sharpness));
    for (const s of stills) expect(s.meta!.sharpness!).toBeGreaterThan(blurred);
    const voice = media.find((m) => m.role === 'voice')!;
    // 0.5 s of leading and 0.5 s of trailing silence trimmed off the 4 s track: about 3 s of tone.
    expect(voice.meta!.seconds!).toBeGreaterThan(2.7);
    expect(voice.meta!.seconds!).toBeLessThan(3.3);
    expect(voice.meta!.lufs!).toBeLessThan(-5);
    expect(voice.meta!.lufs!).toBeGreaterThan(-40);

    const c = await lib.create(input(media), { name: 'Jo', keyId: null });
    expect(c.handle).toBe('maya');
    expect(c.parts).toEqual({ likeness: true, voice: true });
    for (const m of c.media) {
      const p = lib.mediaPath(m);
      expect(p.startsWith(path.join(dir, 'cameo-media'))).toBe(true);
      expect(sha(p)).toBe(m.sha256);
      expect(c.consent.media).toContainEqual({ role: m.role, sha256: m.sha256 });
    }
    // Never pointing at the user's file: the source is a copy with the same bytes.
    const src = c.media.find((m) => m.role === 'source')!;
    expect(src.sha256).toBe(sha(files.video));
    fs.rmSync(scratch, { recursive: true });
    // Reopened from disk, it is the same cameo.
    store.close();
    const again = newLib('create');
    expect(again.lib.require(c.id)).toEqual(c);
    again.store.close();
  });

  it('a frame picked past the last frame gives the last frame, not an error', async () => {
    const scratch = fs.mkdtempSync(path.join(tmp, 'scratch-'));
    const media = await prepareCameoMedia(engine, { video: files.video, stillTimes: [3.99, 1], wantVoice: false }, scratch);
    expect(media.filter((m) => m.role === 'still')).toHaveLength(2);
    fs.rmSync(scratch, { recursive: true });
  });

  it('refuses bad input with a clear message and creates nothing', async () => {
    const { store, lib, dir } = newLib('bad');
    const scratch = fs.mkdtempSync(path.join(tmp, 'scratch-'));
    await expect(prepareCameoMedia(engine, { video: files.silent, wantVoice: true }, scratch)).rejects.toThrow(/has no sound, so it cannot provide a voice/);
    await expect(prepareCameoMedia(engine, { video: files.empty, wantVoice: false }, scratch)).rejects.toThrow(/empty|0 bytes|no data/i);
    await expect(prepareCameoMedia(engine, { video: files.corrupt, wantVoice: false }, scratch)).rejects.toThrow(/corrupt\.mp4/);
    await expect(lib.create(input([{ role: 'still', file: files.empty, ext: 'png' }]), { name: 'Jo', keyId: null })).rejects.toThrow(/empty \(0 bytes\)/);
    await expect(lib.create(input([{ role: 'still', file: files.still, ext: 'png' }], { handle: 'a b' }), { name: 'Jo', keyId: null })).rejects.toThrow(/only letters/);
    await expect(lib.create(input([{ role: 'still', file: files.still, ext: 'png' }], { consent: { ...consent, signedName: ' ' } }), { name: 'Jo', keyId: null })).rejects.toThrow(/type their own name/);
    await expect(lib.create(input([{ role: 'still', file: files.still, ext: 'png' }], { consent: { ...consent, covers: 'voice' } }), { name: 'Jo', keyId: null })).rejects.toThrow(/no voice sample/);
    await expect(lib.create(input([{ role: 'still', file: files.still, ext: 'png' }], { consent: { ...consent, expiresOn: '2026-10-01' } }), { name: 'Jo', keyId: null })).rejects.toThrow(/expire \(2026-10-01\) before/);
    expect(lib.list()).toEqual([]);
    expect(fs.readdirSync(path.join(dir, 'cameo-media'))).toEqual([]);
    // A duplicate handle is refused too.
    await lib.create(input([{ role: 'still', file: files.still, ext: 'png' }]), { name: 'Jo', keyId: null });
    await expect(lib.create(input([{ role: 'still', file: files.still, ext: 'png' }], { name: 'Other' }), { name: 'Jo', keyId: null })).rejects.toThrow(/@maya is already used by Maya/);
    store.close();
    fs.rmSync(scratch, { recursive: true });
  });

  it('revoke deletes the media files (a file shared with another cameo stays) and keeps the record', async () => {
    const { store, lib, dir } = newLib('revoke');
    const a = await lib.create(input([{ role: 'still', file: files.still, ext: 'png' }, { role: 'voice', file: files.voice, ext: 'wav' }]), { name: 'Jo', keyId: null });
    const b = await lib.create(input([{ role: 'still', file: files.still, ext: 'png' }], { handle: 'maya2', name: 'Maya 2' }), { name: 'Jo', keyId: null });
    const r = lib.revoke(a.id, 'Maya asked');
    expect(r.deletedFiles).toBe(1); // the voice; the still is b's too
    expect(r.cameo.state).toBe('revoked');
    expect(r.cameo.media).toEqual([]);
    expect(r.cameo.consent.id).toBe(a.consent.id);
    expect(fs.readdirSync(path.join(dir, 'cameo-media')).sort()).toEqual([`${b.media[0]!.sha256}.png`]);
    lib.revoke(b.id, null);
    expect(fs.readdirSync(path.join(dir, 'cameo-media'))).toEqual([]);
    expect(lib.list().map((c) => c.status)).toEqual(['revoked', 'revoked']);
    store.close();
  });
});

describe('cameo library across SIGKILL', () => {
  const child = (dir: string, args: string[], fault?: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests/integration/cameos/library-child.ts'), dir, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...(fault ? { SHOTLINE_FAULT_KILL: fault } : {}) },
      encoding: 'utf8',
    });

  /** Every row points at a file with those bytes; after recover() no file is unreferenced. */
  function consistent(dir: string): { cameos: number; revoked: number } {
    const store = new LibraryStore(dir);
    const lib = new CameoLibrary(store);
    lib.recover(0);
    const list = lib.list();
    for (const c of list) for (const m of c.media) expect(sha(lib.mediaPath(m))).toBe(m.sha256);
    for (const c of list) if (c.state === 'revoked') expect(c.media).toEqual([]);
    const referenced = new Set(list.flatMap((c) => c.media.map((m) => `${m.sha256}.${m.ext}`)));
    expect(fs.readdirSync(lib.mediaDir).sort()).toEqual([...referenced].sort());
    store.close();
    return { cameos: list.length, revoked: list.filter((c) => c.state === 'revoked').length };
  }

  for (const fault of ['cameo-create:media-copied', 'cameo-commit:before', 'cameo-commit:after']) {
    it(`create killed at ${fault}: nothing or the whole cameo`, () => {
      const dir = path.join(tmp, `kill-${fault.replace(/[^a-z]/g, '-')}`);
      const r = child(dir, ['create', files.still, files.voice], fault);
      expect(r.signal, r.stderr).toBe('SIGKILL');
      const after = consistent(dir);
      expect(after.cameos).toBe(fault === 'cameo-commit:after' ? 1 : 0);
      // And the library still works afterwards.
      const ok = child(dir, ['create', files.still, files.voice]);
      expect(ok.status, ok.stderr).toBe(fault === 'cameo-commit:after' ? 1 : 0);
      expect(consistent(dir).cameos).toBe(1);
    }, 60_000);
  }

  for (const fault of ['cameo-revoke:committed', 'cameo-revoke:file-deleted']) {
    it(`revoke killed at ${fault}: revoked, and its files are gone after the next start`, () => {
      const dir = path.join(tmp, `kill-${fault.replace(/[^a-z]/g, '-')}`);
      const made = child(dir, ['create', files.still, files.voice]);
      expect(made.status, made.stderr).toBe(0);
      const id = /created (\S+)/.exec(made.stdout)![1]!;
      const r = child(dir, ['revoke', id], fault);
      expect(r.signal, r.stderr).toBe('SIGKILL');
      expect(consistent(dir)).toEqual({ cameos: 1, revoked: 1 });
      expect(fs.readdirSync(path.join(dir, 'cameo-media'))).toEqual([]);
    }, 60_000);
  }

  describe('bundle import', () => {
    let bundle = '';
    beforeAll(async () => {
      // A real bundle from another install (its own signing key), shared with anyone who holds it.
      process.env.SHOTLINE_NO_KEYCHAIN = '1';
      const jo = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'jo-install') });
      const api = inProcessClient(jo);
      await api.call('cameos.setUser', { name: 'Jo' });
      const c = await api.call('cameos.create', { name: 'Maya', handle: 'maya', consent: { ...consent, audience: 'anyone-shared' }, sources: { stills: [{ path: files.still }], audio: { path: files.voice } } });
      bundle = path.join(tmp, 'maya.shotlinecameo');
      await api.call('cameos.exportBundle', { id: c.id, outPath: bundle });
      await jo.shutdown();
    }, 60_000);

    for (const fault of ['cameo-commit:before', 'cameo-commit:after']) {
      it(`import killed at ${fault}: nothing or the whole cameo, and importing again works`, () => {
        const dir = path.join(tmp, `kill-import-${fault.replace(/[^a-z]/g, '-')}`);
        const r = child(dir, ['import', bundle], fault);
        expect(r.signal, r.stderr).toBe('SIGKILL');
        expect(consistent(dir).cameos).toBe(fault === 'cameo-commit:after' ? 1 : 0);
        const again = child(dir, ['import', bundle]);
        if (fault === 'cameo-commit:after') expect(again.stderr).toMatch(/already in your library/);
        else expect(again.status, again.stderr).toBe(0);
        expect(consistent(dir).cameos).toBe(1);
      }, 60_000);
    }
  });
});

describe('library migrations 4 and 5', () => {
  it('upgrades a version-3 library (endpoints kept) and adds the cameo tables and the record of files sent to servers', async () => {
    const Database = (await import('better-sqlite3')).default;
    const { LIBRARY_MIGRATIONS, migrate } = await import('../../../main/store/migrations.js');
    const dir = path.join(tmp, 'v2');
    fs.mkdirSync(dir);
    const db = new Database(path.join(dir, 'library.sqlite'));
    migrate(db, LIBRARY_MIGRATIONS.filter((m) => m.version <= 3), 'test');
    db.prepare("INSERT INTO endpoints (id, name, kind, base_url, model, concurrency, price_per_second, pool, options, capabilities, last_check, created_at, updated_at) VALUES ('e1', 'Box', 'comfyui', 'http://127.0.0.1:8188', NULL, 1, NULL, NULL, '{}', '{}', NULL, 'x', 'x')").run();
    db.close();
    const store = new LibraryStore(dir);
    expect(store.db.pragma('user_version', { simple: true })).toBe(5);
    expect(store.db.prepare('SELECT name FROM endpoints').all()).toEqual([{ name: 'Box' }]);
    const lib = new CameoLibrary(store);
    expect(lib.list()).toEqual([]);
    // Uploads are recorded from the upgrade on (older uses fall back to the use log).
    const since = lib.rows.remoteFilesRecordedSince();
    expect(since).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.abs(Date.parse(since) - Date.now())).toBeLessThan(60_000);
    const sent = { cameoId: 'c1', endpointId: 'e1', endpointName: 'Box', baseUrl: 'http://127.0.0.1:8188', file: 'shotline-1.png', at: '2026-11-27T09:00:00.000Z' };
    lib.rows.putRemoteFile(sent);
    lib.rows.putRemoteFile({ ...sent, file: 'shotline-1-voice.wav' });
    lib.rows.putRemoteFile({ ...sent, at: '2026-11-27T10:00:00.000Z' }); // the same file again: kept once, as first sent
    expect(lib.rows.remoteFilesOf('c1').map((f) => [f.file, f.at])).toEqual([['shotline-1.png', sent.at], ['shotline-1-voice.wav', sent.at]]);
    store.close();
  });
});
