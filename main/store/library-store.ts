/**
 * The app-level `library.sqlite` in the user-data folder: what spans projects
 * (recent projects, app settings; later the cameo library and generation cache index).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { RecentProject } from '../../app/api/contract.js';
import { LIBRARY_MIGRATIONS, migrate } from './migrations.js';

/** Where Shotline keeps its own data: SHOTLINE_HOME, else the platform's config folder. */
export function defaultUserDataDir(): string {
  if (process.env.SHOTLINE_HOME) return process.env.SHOTLINE_HOME;
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Shotline');
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? os.homedir(), 'Shotline');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'shotline');
}

export class LibraryStore {
  readonly db: Database.Database;

  constructor(readonly userDataDir: string) {
    fs.mkdirSync(userDataDir, { recursive: true });
    this.db = new Database(path.join(userDataDir, 'library.sqlite'));
    migrate(this.db, LIBRARY_MIGRATIONS, 'The Shotline library');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
  }

  touchRecent(dir: string, name: string): void {
    this.db
      .prepare('INSERT INTO recent_projects (dir, name, opened_at) VALUES (?, ?, ?) ON CONFLICT(dir) DO UPDATE SET name = excluded.name, opened_at = excluded.opened_at')
      .run(dir, name, new Date().toISOString());
  }

  recent(limit = 20): RecentProject[] {
    const rows = this.db.prepare('SELECT dir, name, opened_at FROM recent_projects ORDER BY opened_at DESC LIMIT ?').all(limit) as { dir: string; name: string; opened_at: string }[];
    // A project folder moved or deleted since is not offered.
    return rows.filter((r) => fs.existsSync(path.join(r.dir, 'project.shotline'))).map((r) => ({ dir: r.dir, name: r.name, openedAt: r.opened_at }));
  }

  getSetting<T>(key: string, fallback: T): T {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : fallback;
  }

  setSetting(key: string, value: unknown): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
