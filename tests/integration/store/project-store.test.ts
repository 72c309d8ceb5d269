import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { execute } from '../../../app/commands/engine.js';
import { applyPatch, PatchBuilder } from '../../../app/commands/patch.js';
import type { CommandName } from '../../../app/commands/registry.js';
import { ShotlineError } from '../../../app/errors.js';
import type { ProjectState } from '../../../app/model/types.js';
import { orderedShots } from '../../../app/timeline/query.js';
import { PROJECT_MIGRATIONS, latestVersion, migrate } from '../../../main/store/migrations.js';
import { PROJECT_FILE, ProjectStore } from '../../../main/store/project-store.js';
import { counterIds, emptyState, videoAsset } from '../../helpers/state.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-store-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function seeded(dir: string): { store: ProjectStore; state: ProjectState } {
  const base = emptyState();
  const store = ProjectStore.create(dir, base.settings);
  const b = new PatchBuilder();
  for (const t of Object.values(base.tracks)) b.set('tracks', t);
  b.set('assets', videoAsset('a', 3)).set('assets', videoAsset('b', 5));
  store.applySystemPatch(b.patch);
  return { store, state: store.loadState() };
}

const ids = counterIds();
function edit(store: ProjectStore, state: ProjectState, command: CommandName, args: unknown): ProjectState {
  const done = execute(state, command, args, ids);
  store.commit(done.entry);
  return applyPatch(state, done.entry.patch);
}

describe('ProjectStore', () => {
  it('creates a project folder with media/ and a WAL SQLite file at the latest schema', () => {
    const dir = path.join(tempDir(), 'nested', 'film');
    const { store } = seeded(dir);
    expect(fs.existsSync(path.join(dir, 'media'))).toBe(true);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('user_version', { simple: true })).toBe(latestVersion(PROJECT_MIGRATIONS));
    store.close();
  });

  it('persists every edit relationally and reopens to the identical state', () => {
    const dir = tempDir();
    const { store, state: s0 } = seeded(dir);
    let st = edit(store, s0, 'shot.add', { fields: { title: 'Opening', prompt: { subject: 'A fox', dialogue: [{ speaker: 'Fox', line: 'Hi' }] } } });
    st = edit(store, st, 'shot.add', { fields: { title: 'Second' } });
    const [one, two] = orderedShots(st);
    st = edit(store, st, 'take.add', { shotId: one!.id, assetId: 'a' });
    st = edit(store, st, 'take.add', { shotId: two!.id, assetId: 'b' });
    st = edit(store, st, 'timeline.assemble', {});
    st = edit(store, st, 'shot.move', { shotId: two!.id, toIndex: 0 });
    store.close();

    const reopened = ProjectStore.open(dir);
    expect(reopened.loadState()).toEqual(st);
    // Relational, not a blob: the rows are queryable.
    const clipRows = reopened.db.prepare('SELECT start_flicks, out_flicks FROM clips ORDER BY start_flicks').all();
    // Two pictures and their linked sound (the assets have audio), the pairs linked by link_id.
    expect(clipRows).toHaveLength(4);
    expect(reopened.db.prepare('SELECT COUNT(DISTINCT link_id) AS n FROM clips WHERE link_id IS NOT NULL').get()).toEqual({ n: 2 });
    expect(reopened.db.prepare('SELECT title FROM shots ORDER BY position').all().map((r) => (r as { title: string }).title)).toEqual(['Second', 'Opening']);
    reopened.close();
  });

  it('keeps undo and redo across a reopen, and a new edit discards the redo branch', () => {
    const dir = tempDir();
    const { store, state: s0 } = seeded(dir);
    const s1 = edit(store, s0, 'shot.add', { fields: { title: 'A' } });
    const s2 = edit(store, s1, 'shot.add', { fields: { title: 'B' } });
    store.close();

    let st = ProjectStore.open(dir);
    expect(st.historyInfo()).toMatchObject({ canUndo: true, canRedo: false, undoLabel: 'Add shot' });
    const u = st.undo()!;
    expect(applyPatch(s2, u.inverse)).toEqual(s1);
    expect(st.loadState()).toEqual(s1);
    st.close();

    st = ProjectStore.open(dir);
    expect(st.historyInfo().canRedo).toBe(true);
    st.redo();
    expect(st.loadState()).toEqual(s2);
    st.undo();
    st.undo();
    expect(st.loadState()).toEqual(s0);
    edit(st, s0, 'shot.add', { fields: { title: 'C' } });
    expect(st.historyInfo().canRedo).toBe(false);
    expect(st.undo()).not.toBeNull();
    expect(st.undo()).toBeNull();
    st.close();
  });

  it('refuses a project from a newer Shotline and leaves the file byte-identical', () => {
    const dir = tempDir();
    seeded(dir).store.close();
    const file = path.join(dir, PROJECT_FILE);
    const db = new Database(file);
    db.pragma('journal_mode = DELETE');
    db.pragma(`user_version = ${latestVersion(PROJECT_MIGRATIONS) + 5}`);
    db.close();
    const before = fs.readFileSync(file);
    let err: unknown;
    try {
      ProjectStore.open(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ShotlineError);
    expect((err as ShotlineError).code).toBe('project_too_new');
    expect((err as ShotlineError).hint).toMatch(/Update Shotline/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.existsSync(file + '-wal')).toBe(false);
  });

  it('gives clear errors for a damaged file, a missing project and a folder that exists', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, PROJECT_FILE), 'this is not sqlite'.repeat(100));
    expect(() => ProjectStore.open(dir)).toThrow(/not a Shotline project \(not an SQLite database\)/);
    const empty = tempDir();
    expect(() => ProjectStore.open(empty)).toThrow(/is not a Shotline project/);
    expect(() => ProjectStore.create(dir, emptyState().settings)).toThrow(/already a Shotline project/);
  });

  it('a patch that breaks referential integrity is rolled back whole', () => {
    const dir = tempDir();
    const { store, state } = seeded(dir);
    const bad = new PatchBuilder()
      .set('shots', { ...orderedShots(edit(store, state, 'shot.add', {}))[0]!, title: 'changed' })
      .set('clips', { id: 'c1', trackId: 'nope', assetId: 'a', startFlicks: 0, inFlicks: 0, outFlicks: 10, shotId: null, effects: { volume: 1, fadeInFlicks: 0, fadeOutFlicks: 0 } }).patch;
    const before = store.loadState();
    expect(() => store.applySystemPatch(bad)).toThrow(/FOREIGN KEY/);
    expect(store.loadState()).toEqual(before);
    store.close();
  });

  it('migrates a version-0 database step by step in one transaction each (open refuses such a file untouched: project-file.test.ts)', () => {
    const dir = tempDir();
    const db = new Database(path.join(dir, PROJECT_FILE));
    migrate(db, PROJECT_MIGRATIONS, 'test');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all().map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['assets', 'shots', 'takes', 'tracks', 'clips', 'command_log', 'jobs']));
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion(PROJECT_MIGRATIONS));
    db.close();
  });
});
