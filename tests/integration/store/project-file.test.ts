/**
 * Opening something that is not a Shotline project never writes to it; a project an older
 * Shotline left half-created (schema committed, settings not) is repaired when it holds no
 * user content and refused, untouched, when it does.
 */
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_MIGRATIONS, migrate } from '../../../main/store/migrations.js';
import { ProjectStore } from '../../../main/store/project-store.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-pfile-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Bytes of every file in the folder, so "untouched" covers -wal/-shm siblings too. */
function folderBytes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, f);
    out[f] = fs.statSync(p).isFile() ? crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex') : 'dir';
  }
  return out;
}

function projectDir(name: string, write: (file: string) => void): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  write(path.join(dir, 'project.shotline'));
  return dir;
}

describe('opening files that are not (whole) Shotline projects', () => {
  const refused: [string, (file: string) => void, RegExp][] = [
    ['a 0-byte file', (f) => fs.writeFileSync(f, ''), /is empty.*nothing was changed/],
    ['a text file', (f) => fs.writeFileSync(f, 'hello, I am notes\n'), /not an SQLite database/],
    [
      "another program's SQLite database",
      (f) => {
        const db = new Database(f);
        db.exec('CREATE TABLE contacts (name TEXT, phone TEXT); INSERT INTO contacts VALUES (\'Ada\', \'123\')');
        db.close();
      },
      /another program's SQLite database/,
    ],
    [
      'an SQLite file with another application id',
      (f) => {
        const db = new Database(f);
        db.pragma('application_id = 1234');
        db.exec('CREATE TABLE project (key TEXT)');
        db.close();
      },
      /another program \(application id 1234\)/,
    ],
    ['an empty SQLite database', (f) => new Database(f).exec('VACUUM').close(), /is empty/],
  ];
  for (const [what, write, message] of refused) {
    it(`refuses ${what} without writing a byte`, () => {
      const dir = projectDir(what.replace(/\W+/g, '-'), write);
      const before = folderBytes(dir);
      expect(() => ProjectStore.open(dir)).toThrow(message);
      expect(folderBytes(dir)).toEqual(before);
    });
  }

  it('a creation killed between linking the file into place and dropping its temporary name: open removes the leftover name', () => {
    const dir = path.join(tmp, 'linked-twice');
    ProjectStore.create(dir, { name: 'Linked', fps: { num: 24, den: 1 }, width: 1920, height: 1080, sampleRate: 48000 }).close();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // a process that has exited
    const leftover = path.join(dir, `.project.shotline.creating-${dead}-0a1b2c3d4e5f`);
    fs.linkSync(path.join(dir, 'project.shotline'), leftover); // what the kill left: a second link
    const store = ProjectStore.open(dir);
    expect(store.loadState().settings.name).toBe('Linked');
    store.close();
    expect(fs.existsSync(leftover)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.creating-'))).toEqual([]);
    // A living process's creation in progress is left alone.
    const live = path.join(dir, `.project.shotline.creating-${process.pid}-0a1b2c3d4e5f`);
    fs.writeFileSync(live, '');
    ProjectStore.open(dir).close();
    expect(fs.existsSync(live)).toBe(true);
  });

  it('a process killed mid-transaction in rollback-journal mode (hot -journal): open rolls it back and opens the last committed state', () => {
    const dir = path.join(tmp, 'hot-journal');
    ProjectStore.create(dir, { name: 'Committed', fps: { num: 24, den: 1 }, width: 640, height: 360, sampleRate: 48000 }).close();
    const file = path.join(dir, 'project.shotline');
    const db = new Database(file);
    db.pragma('journal_mode = DELETE');
    db.close();
    // A writer that spills half a transaction into the file, then dies without committing.
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(${JSON.stringify(file)});
      db.pragma('cache_size = 2');
      db.exec('BEGIN');
      db.prepare("UPDATE project SET value = ? WHERE key = 'settings'").run(JSON.stringify({ name: 'Half-written' }));
      db.exec('CREATE TABLE scratch (b BLOB)');
      const ins = db.prepare('INSERT INTO scratch VALUES (randomblob(4000))');
      for (let i = 0; i < 400; i++) ins.run();
      process.kill(process.pid, 'SIGKILL');`;
    const killed = spawnSync(process.execPath, ['-e', script], { cwd: process.cwd() });
    expect(killed.signal).toBe('SIGKILL');
    expect(fs.statSync(`${file}-journal`).size).toBeGreaterThan(0);
    const store = ProjectStore.open(dir);
    expect(store.loadState().settings.name).toBe('Committed');
    expect(store.db.prepare("SELECT name FROM sqlite_master WHERE name = 'scratch'").get()).toBeUndefined();
    store.close();
    expect(fs.existsSync(`${file}-journal`)).toBe(false);
  });

  it('repairs a project an older Shotline left half-created (schema, no settings, no content)', async () => {
    const dir = projectDir('half-created', (f) => {
      const db = new Database(f);
      migrate(db, PROJECT_MIGRATIONS, 'test');
      db.close();
    });
    const services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home') });
    try {
      const snap = await inProcessClient(services).call('project.open', { dir });
      expect(snap.state.settings.name).toBe('half-created');
      expect(Object.values(snap.state.tracks).map((t) => t.kind).sort()).toEqual(['audio', 'video']);
    } finally {
      await services.shutdown();
    }
    const again = ProjectStore.open(dir);
    expect(again.repaired).toBe(false);
    expect(again.loadState().settings.name).toBe('half-created');
    again.close();
  });

  it('refuses, untouched, a project without settings that holds user content', () => {
    const dir = projectDir('damaged', (f) => {
      const db = new Database(f);
      migrate(db, PROJECT_MIGRATIONS, 'test');
      db.prepare('INSERT INTO command_log (label, command, args, patch, inverse, at) VALUES (?, ?, ?, ?, ?, ?)').run('Add shot', 'shot.add', '{}', '{}', '{}', 'now');
      db.close();
    });
    const before = folderBytes(dir);
    expect(() => ProjectStore.open(dir)).toThrow(/has no project settings/);
    expect(folderBytes(dir)).toEqual(before);
  });

  it('new projects carry Shotline\'s application id and leave no temporary file', () => {
    const dir = path.join(tmp, 'fresh');
    const store = ProjectStore.create(dir, { name: 'x', fps: { num: 24, den: 1 }, width: 640, height: 360, sampleRate: 48000 });
    expect(store.db.pragma('application_id', { simple: true })).toBe(0x53484f54);
    store.close();
    expect(fs.readdirSync(dir).sort()).toEqual(['media', 'project.shotline']);
  });
});
