// LibraryStore's methods on a real library.sqlite: what they keep survives a reopen, sealed
// secrets are kept apart from settings, and recent projects follow the folders on disk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PREFERENCES } from '../../../app/api/preferences.js';
import { ShotlineError } from '../../../app/errors.js';
import { LibraryStore } from '../../../main/store/library-store.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-library-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function fakeProject(name: string): string {
  const dir = path.join(tempDir(), name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'project.shotline'), '');
  return dir;
}

describe('LibraryStore', () => {
  it('keeps typed preferences, with defaults until set, across a reopen', () => {
    const home = tempDir();
    let lib = new LibraryStore(home);
    expect(lib.preferences()).toEqual(DEFAULT_PREFERENCES);
    lib.setPreference('ffmpegPath', '/usr/bin/ffmpeg');
    lib.setPreference('executionProvider', 'cpu');
    lib.close();
    lib = new LibraryStore(home);
    expect(lib.preferences()).toEqual({ ffmpegPath: '/usr/bin/ffmpeg', userModelsDir: null, executionProvider: 'cpu' });
    expect(lib.preference('ffmpegPath')).toBe('/usr/bin/ffmpeg');
    lib.setPreference('ffmpegPath', null);
    expect(lib.preference('ffmpegPath')).toBeNull();
    lib.close();
  });

  it('keeps sealed secrets apart: the settings methods cannot read, write or delete them', () => {
    const home = tempDir();
    const lib = new LibraryStore(home);
    lib.putSealedSecret('endpoint:studio', 'djEwAAAA-ciphertext');
    lib.putSealedSecret('endpoint:farm', 'djEwBBBB-ciphertext');
    lib.setSetting('theme', 'dark');
    expect(lib.sealedSecret('endpoint:studio')).toBe('djEwAAAA-ciphertext');
    expect(lib.sealedSecretNames()).toEqual(['endpoint:farm', 'endpoint:studio']);
    for (const attempt of [() => lib.getSetting('secret:endpoint:studio', null), () => lib.setSetting('secret:endpoint:studio', 'x'), () => lib.deleteSetting('secret:endpoint:studio')]) {
      expect(attempt).toThrow(ShotlineError);
    }
    expect(lib.sealedSecret('endpoint:studio')).toBe('djEwAAAA-ciphertext');
    expect(lib.deleteSealedSecret('endpoint:studio')).toBe(true);
    expect(lib.deleteSealedSecret('endpoint:studio')).toBe(false);
    expect(lib.sealedSecret('endpoint:studio')).toBeNull();
    expect(lib.sealedSecretNames()).toEqual(['endpoint:farm']);
    expect(lib.getSetting('theme', 'light')).toBe('dark');
    lib.close();
    // What is on disk: the remaining secret under its reserved key, nothing else of it.
    const db = new Database(path.join(home, 'library.sqlite'), { readonly: true });
    const keys = (db.prepare('SELECT key FROM settings ORDER BY key').all() as { key: string }[]).map((r) => r.key);
    db.close();
    expect(keys).toEqual(['secret:endpoint:farm', 'theme']);
  });

  it('lists recent projects newest first, forgets on request, and hides folders that are gone', async () => {
    const lib = new LibraryStore(tempDir());
    const a = fakeProject('A');
    const b = fakeProject('B');
    lib.touchRecent(a, 'Alpha');
    await new Promise((r) => setTimeout(r, 5));
    lib.touchRecent(b, 'Beta');
    expect(lib.recent().map((r) => r.name)).toEqual(['Beta', 'Alpha']);
    await new Promise((r) => setTimeout(r, 5));
    lib.touchRecent(a, 'Alpha renamed');
    expect(lib.recent().map((r) => r.name)).toEqual(['Alpha renamed', 'Beta']);
    fs.rmSync(path.join(b, 'project.shotline'));
    expect(lib.recent().map((r) => r.dir)).toEqual([a]);
    expect(lib.forgetRecent(a)).toBe(true);
    expect(lib.recent()).toEqual([]);
    lib.close();
  });
});
