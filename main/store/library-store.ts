/**
 * The app-level `library.sqlite` in the user-data folder: what spans projects
 * (recent projects, app settings; later the cameo library and generation cache index).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { RecentProject } from '../../app/api/contract.js';
import { DEFAULT_PREFERENCES, PREFERENCE_KEYS, type AppPreferences } from '../../app/api/preferences.js';
import { ShotlineError } from '../../app/errors.js';
import { LIBRARY_MIGRATIONS, migrate } from './migrations.js';

/** Where Shotline keeps its own data: SHOTLINE_HOME, else the platform's config folder. */
export function defaultUserDataDir(): string {
  if (process.env.SHOTLINE_HOME) return process.env.SHOTLINE_HOME;
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Shotline');
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? os.homedir(), 'Shotline');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'shotline');
}

/** Settings keys that hold sealed secrets; the plain settings methods refuse them. */
const SECRET_PREFIX = 'secret:';

/**
 * The only code that reads or writes library.sqlite's tables (endpoint rows aside, which
 * main/store/endpoint-rows.ts keeps on the same `db`): callers use these methods, never SQL.
 */
export class LibraryStore {
  /** For row classes in main/store/ only (the lint refuses `db.prepare` elsewhere). */
  readonly db: Database.Database;

  constructor(readonly userDataDir: string) {
    fs.mkdirSync(userDataDir, { recursive: true });
    this.db = new Database(path.join(userDataDir, 'library.sqlite'));
    migrate(this.db, LIBRARY_MIGRATIONS, 'The Shotline library');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
  }

  // Recent projects ------------------------------------------------------------------------

  /** Record that a project was opened now (a reopened one moves to the top). */
  touchRecent(dir: string, name: string): void {
    this.db
      .prepare('INSERT INTO recent_projects (dir, name, opened_at) VALUES (?, ?, ?) ON CONFLICT(dir) DO UPDATE SET name = excluded.name, opened_at = excluded.opened_at')
      .run(dir, name, new Date().toISOString());
  }

  /** Most recent first; a project folder moved or deleted since is not offered. */
  recent(limit = 20): RecentProject[] {
    const rows = this.db.prepare('SELECT dir, name, opened_at FROM recent_projects ORDER BY opened_at DESC LIMIT ?').all(limit) as { dir: string; name: string; opened_at: string }[];
    return rows.filter((r) => fs.existsSync(path.join(r.dir, 'project.shotline'))).map((r) => ({ dir: r.dir, name: r.name, openedAt: r.opened_at }));
  }

  /** Drop a project from the list (the folder itself is not touched). */
  forgetRecent(dir: string): boolean {
    return this.db.prepare('DELETE FROM recent_projects WHERE dir = ?').run(dir).changes > 0;
  }

  // Preferences (typed; app/api/preferences.ts) ----------------------------------------------

  preference<K extends keyof AppPreferences>(key: K): AppPreferences[K] {
    return this.getSetting(PREFERENCE_KEYS[key], DEFAULT_PREFERENCES[key]);
  }

  preferences(): AppPreferences {
    return { ffmpegPath: this.preference('ffmpegPath'), userModelsDir: this.preference('userModelsDir'), executionProvider: this.preference('executionProvider') };
  }

  /** Save one preference; null for a nullable one goes back to the default. */
  setPreference<K extends keyof AppPreferences>(key: K, value: AppPreferences[K]): void {
    this.setSetting(PREFERENCE_KEYS[key], value);
  }

  // Other settings (JSON values by key) ----------------------------------------------------

  getSetting<T>(key: string, fallback: T): T {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(settingKey(key)) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : fallback;
  }

  setSetting(key: string, value: unknown): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(settingKey(key), JSON.stringify(value));
  }

  deleteSetting(key: string): boolean {
    return this.db.prepare('DELETE FROM settings WHERE key = ?').run(settingKey(key)).changes > 0;
  }

  // Sealed secrets ---------------------------------------------------------------------------
  // Only ciphertext (or a reference into a keychain) ever reaches this file: the caller seals
  // the value (Electron safeStorage, main/electron/secrets.ts) and alone can open it.

  sealedSecret(name: string): string | null {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(SECRET_PREFIX + name) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as string) : null;
  }

  putSealedSecret(name: string, sealed: string): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(SECRET_PREFIX + name, JSON.stringify(sealed));
  }

  deleteSealedSecret(name: string): boolean {
    return this.db.prepare('DELETE FROM settings WHERE key = ?').run(SECRET_PREFIX + name).changes > 0;
  }

  /** Names with a sealed secret (never their values). */
  sealedSecretNames(): string[] {
    const rows = this.db.prepare("SELECT key FROM settings WHERE substr(key, 1, length(?)) = ? ORDER BY key").all(SECRET_PREFIX, SECRET_PREFIX) as { key: string }[];
    return rows.map((r) => r.key.slice(SECRET_PREFIX.length));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function settingKey(key: string): string {
  if (key.startsWith(SECRET_PREFIX)) throw new ShotlineError('invalid_input', `The setting name "${key}" is reserved for sealed secrets.`, 'Use the sealed-secret methods of the library store.');
  return key;
}
