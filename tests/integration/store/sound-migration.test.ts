/**
 * Schema 4 (sound editing): a project saved before linked clips and track controls opens
 * with every row intact and the new members at their defaults; the new members round-trip
 * through SQLite exactly; a migration that fails part way leaves the file at its old version.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { execute } from '../../../app/commands/engine.js';
import { applyPatch } from '../../../app/commands/patch.js';
import { PROJECT_MIGRATIONS, migrate } from '../../../main/store/migrations.js';
import { PROJECT_FILE, ProjectStore } from '../../../main/store/project-store.js';
import { counterIds, emptyState, videoAsset } from '../../helpers/state.js';
import { secondsToFlicks as s } from '../../../app/time/flicks.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-sound-mig-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A project file exactly as schema 2 wrote it: a track and a clip row without the new columns. */
function version2Project(dir: string): void {
  const db = new Database(path.join(dir, PROJECT_FILE));
  migrate(db, PROJECT_MIGRATIONS.filter((m) => m.version <= 2), 'v2');
  const st = emptyState();
  db.prepare('INSERT INTO project (key, value) VALUES (?, ?)').run('settings', JSON.stringify(st.settings));
  db.prepare('INSERT INTO project (key, value) VALUES (?, ?)').run('created_at', JSON.stringify('2026-01-01T00:00:00Z'));
  const a = videoAsset('a', 3);
  db.prepare('INSERT INTO assets VALUES (?,?,?,?,?,?,?,?,?,?)').run(a.id, a.kind, a.sha256, a.path, a.name, a.bytes, a.probe.durationFlicks, JSON.stringify(a.probe), '{}', JSON.stringify(a.provenance));
  db.prepare('INSERT INTO tracks VALUES (?,?,?,?,?)').run('v1', 'video', 0, 'V1', 0);
  db.prepare('INSERT INTO tracks VALUES (?,?,?,?,?)').run('a1', 'audio', 0, 'A1', 1);
  db.prepare('INSERT INTO clips VALUES (?,?,?,?,?,?,?,?)').run('c1', 'v1', 'a', 0, 0, s(2), null, JSON.stringify({ volume: 0.5, fadeInFlicks: 0, fadeOutFlicks: 0 }));
  db.close();
}

describe('project schema 4: linked clips and audio-track controls', () => {
  it('opens a schema-2 project with its rows intact and the new members at their defaults', () => {
    const dir = tempDir();
    version2Project(dir);
    const store = ProjectStore.open(dir);
    expect(store.db.pragma('user_version', { simple: true })).toBe(4);
    const st = store.loadState();
    expect(st.tracks.a1).toEqual({ id: 'a1', kind: 'audio', index: 0, name: 'A1', muted: true });
    // An old picture clip keeps playing its own sound: no link, not detached.
    expect(st.clips.c1).toEqual({ id: 'c1', trackId: 'v1', assetId: 'a', startFlicks: 0, inFlicks: 0, outFlicks: s(2), shotId: null, effects: { volume: 0.5, fadeInFlicks: 0, fadeOutFlicks: 0 } });
    store.close();
  });

  it('stores links, detached sound and track controls, and reads them back identically', () => {
    const dir = tempDir();
    version2Project(dir);
    const store = ProjectStore.open(dir);
    let st = store.loadState();
    const ids = counterIds();
    for (const [command, args] of [
      ['clip.detachAudio', { clipIds: ['c1'] }],
      ['track.update', { trackId: 'a1', volume: 2, pan: -0.5, solo: true, locked: false }],
    ] as const) {
      const done = execute(st, command, args, ids);
      store.commit(done.entry);
      st = applyPatch(st, done.entry.patch);
    }
    store.close();
    const again = ProjectStore.open(dir);
    const back = again.loadState();
    expect(back).toEqual(st);
    const sound = Object.values(back.clips).find((c) => c.trackId === 'a1')!;
    expect(back.clips.c1!.audioDetached).toBe(true);
    expect(sound.linkId).toBe(back.clips.c1!.linkId);
    expect(back.tracks.a1).toMatchObject({ volume: 2, pan: -0.5, solo: true, locked: false });
    again.close();
  });

  it('a migration that fails part way leaves the file at schema 3 with its rows', () => {
    const dir = tempDir();
    version2Project(dir);
    const file = path.join(dir, PROJECT_FILE);
    const db = new Database(file);
    // The same step with a statement that fails after the first ALTER ran.
    const broken = PROJECT_MIGRATIONS.map((m) => (m.version === 4 ? { ...m, up: `${m.up}\nALTER TABLE no_such_table ADD COLUMN x TEXT;` } : m));
    expect(() => migrate(db, broken, 'test')).toThrow(/no_such_table/);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    const cols = (db.prepare('PRAGMA table_info(clips)').all() as { name: string }[]).map((c) => c.name);
    expect(cols).not.toContain('link_id');
    expect(db.prepare('SELECT COUNT(*) AS n FROM clips').get()).toEqual({ n: 1 });
    db.close();
    // And it still opens (and migrates) normally afterwards.
    const store = ProjectStore.open(dir);
    expect(store.loadState().clips.c1).toBeDefined();
    store.close();
  });
});
