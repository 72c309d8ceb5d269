/**
 * What is this file? Decided read-only, before anything may write to it: a Shotline project,
 * a project whose creation was interrupted by an older Shotline, or something else (a 0-byte
 * file, another program's SQLite database, not SQLite at all) that must be left untouched.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ShotlineError } from '../../app/errors.js';
import { OWNER_TAG, ownerAlive } from '../util/pid-alive.js';

/** `PRAGMA application_id` of every project this version creates ("SHOT"). Older projects have 0. */
export const SHOTLINE_APPLICATION_ID = 0x53484f54;

/** Tables only a Shotline project has together; how a project made before application_id is recognised. */
const SHOTLINE_TABLES = ['project', 'assets', 'shots', 'takes', 'tracks', 'clips', 'command_log', 'jobs'];
/** Tables whose rows are the user's work: a file with rows in any of them is never "repaired". */
const USER_CONTENT_TABLES = ['assets', 'shots', 'takes', 'clips', 'command_log'];

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export type ProjectFileKind =
  | { kind: 'project'; userVersion: number; hasSettings: true }
  /** Our schema but no settings row: an older Shotline was killed while creating it. */
  | { kind: 'incomplete'; userVersion: number; hasUserContent: boolean }
  | { kind: 'empty' }
  | { kind: 'not_sqlite' }
  | { kind: 'foreign'; reason: string };

/** Classify `file` without writing to it (read-only connection, no journal-mode change). */
export function inspectProjectFile(file: string): ProjectFileKind {
  const st = fs.statSync(file);
  if (!st.isFile()) return { kind: 'foreign', reason: 'it is not a regular file' };
  if (st.size === 0) return { kind: 'empty' };
  const head = Buffer.alloc(SQLITE_MAGIC.length);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (!head.equals(SQLITE_MAGIC)) return { kind: 'not_sqlite' };

  rollBackHotJournal(file);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const appId = db.pragma('application_id', { simple: true }) as number;
    const userVersion = db.pragma('user_version', { simple: true }) as number;
    if (appId !== 0 && appId !== SHOTLINE_APPLICATION_ID) return { kind: 'foreign', reason: `it belongs to another program (application id ${appId})` };
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    if (tables.size === 0) return appId === SHOTLINE_APPLICATION_ID ? { kind: 'incomplete', userVersion, hasUserContent: false } : { kind: 'empty' };
    const missing = SHOTLINE_TABLES.filter((t) => !tables.has(t));
    if (missing.length > 0 || userVersion === 0) return { kind: 'foreign', reason: `it is another program's SQLite database (no ${missing[0] ?? 'Shotline schema version'})` };
    const settings = db.prepare("SELECT 1 FROM project WHERE key = 'settings'").get();
    if (settings) return { kind: 'project', userVersion, hasSettings: true };
    const hasUserContent = USER_CONTENT_TABLES.some((t) => db.prepare(`SELECT 1 FROM ${t} LIMIT 1`).get());
    return { kind: 'incomplete', userVersion, hasUserContent };
  } finally {
    db.close();
  }
}

/**
 * A process killed inside a rollback-journal transaction leaves a hot `-journal`: the file
 * holds half a transaction until someone rolls it back, and a read-only connection cannot
 * (SQLITE_READONLY_ROLLBACK: "attempt to write a readonly database"). Rolling back is what
 * SQLite's own contract requires of the next opener, whoever's file it is: it restores the
 * last committed state and adds nothing, so it is done here with a connection that only reads.
 * A live writer holding its lock makes the journal not hot; SQLite then leaves it alone.
 */
function rollBackHotJournal(file: string): void {
  let size = 0;
  try {
    size = fs.statSync(`${file}-journal`).size;
  } catch {
    return;
  }
  if (size === 0) return;
  const db = new Database(file, { fileMustExist: true });
  try {
    // The first read takes the shared lock, finds the journal hot and plays it back.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } finally {
    db.close();
  }
}

/** The error for a file Shotline refuses to open; the file is never changed. */
export function refuseFile(file: string, found: Exclude<ProjectFileKind, { kind: 'project' } | { kind: 'incomplete' }>): ShotlineError {
  const dir = path.dirname(file);
  switch (found.kind) {
    case 'empty':
      return new ShotlineError(
        'project_unreadable',
        `${file} is empty (0 bytes or no tables), so it is not a Shotline project; nothing was changed.`,
        `If creating a project in ${dir} was interrupted, delete ${path.basename(file)} and create the project again.`,
      );
    case 'not_sqlite':
      return new ShotlineError('project_unreadable', `${file} is not a Shotline project (not an SQLite database); nothing was changed.`, 'Choose the folder of a Shotline project.');
    case 'foreign':
      return new ShotlineError('project_unreadable', `${file} is not a Shotline project: ${found.reason}. Nothing was changed.`, 'Choose the folder of a Shotline project.');
  }
}

/** Name under which a new project file is built before it is renamed into place. */
export function creatingName(file: string, owner: string, nonce: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.creating-${owner}-${nonce}`);
}

const CREATING = new RegExp(`^\\.(.+)\\.creating-${OWNER_TAG}-[0-9a-f]+(-journal|-wal|-shm)?$`);

/** Leftovers of project creations whose process is gone (a kill between build and rename). */
export function staleCreations(dir: string, projectFile: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => {
      const m = CREATING.exec(n);
      return !!m && m[1] === projectFile && !ownerAlive(m[2]!);
    })
    .map((n) => path.join(dir, n));
}

