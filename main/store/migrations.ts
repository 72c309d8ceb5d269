/**
 * Versioned schema migrations, kept in PRAGMA user_version. Each step runs in the same
 * transaction as its version bump, so a crash mid-migration leaves the old version intact.
 * Never edit a shipped step: add a new one.
 */
import type Database from 'better-sqlite3';
import { ShotlineError } from '../../app/errors.js';

export interface Migration {
  version: number;
  description: string;
  up: string;
}

export const PROJECT_MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'projects, assets, storyboard, timeline, command log, jobs',
    up: `
      CREATE TABLE project (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE assets (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('video','audio','image')),
        sha256 TEXT NOT NULL, path TEXT NOT NULL, name TEXT NOT NULL, bytes INTEGER NOT NULL,
        duration_flicks INTEGER NOT NULL, probe TEXT NOT NULL, derivatives TEXT NOT NULL, provenance TEXT NOT NULL
      );
      CREATE INDEX assets_sha ON assets(sha256);
      CREATE TABLE shots (
        id TEXT PRIMARY KEY, position REAL NOT NULL, title TEXT NOT NULL, prompt TEXT NOT NULL,
        duration_flicks INTEGER NOT NULL CHECK (duration_flicks > 0), aspect TEXT NOT NULL,
        chosen_take_id TEXT REFERENCES takes(id) DEFERRABLE INITIALLY DEFERRED,
        seed INTEGER, reference_asset_id TEXT REFERENCES assets(id) DEFERRABLE INITIALLY DEFERRED,
        continuity INTEGER NOT NULL, cameo_ids TEXT NOT NULL, notes TEXT NOT NULL
      );
      CREATE TABLE takes (
        id TEXT PRIMARY KEY,
        shot_id TEXT NOT NULL REFERENCES shots(id) DEFERRABLE INITIALLY DEFERRED,
        asset_id TEXT NOT NULL REFERENCES assets(id) DEFERRABLE INITIALLY DEFERRED,
        position REAL NOT NULL, label TEXT NOT NULL,
        remix_of TEXT REFERENCES takes(id) DEFERRABLE INITIALLY DEFERRED
      );
      CREATE INDEX takes_shot ON takes(shot_id);
      CREATE TABLE tracks (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('video','audio')), idx INTEGER NOT NULL,
        name TEXT NOT NULL, muted INTEGER NOT NULL
      );
      CREATE TABLE clips (
        id TEXT PRIMARY KEY,
        track_id TEXT NOT NULL REFERENCES tracks(id) DEFERRABLE INITIALLY DEFERRED,
        asset_id TEXT NOT NULL REFERENCES assets(id) DEFERRABLE INITIALLY DEFERRED,
        start_flicks INTEGER NOT NULL CHECK (start_flicks >= 0),
        in_flicks INTEGER NOT NULL CHECK (in_flicks >= 0),
        out_flicks INTEGER NOT NULL CHECK (out_flicks > in_flicks),
        shot_id TEXT REFERENCES shots(id) DEFERRABLE INITIALLY DEFERRED,
        effects TEXT NOT NULL
      );
      CREATE INDEX clips_track ON clips(track_id, start_flicks);
      CREATE TABLE command_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT NOT NULL, command TEXT NOT NULL, args TEXT NOT NULL,
        patch TEXT NOT NULL, inverse TEXT NOT NULL, undone INTEGER NOT NULL DEFAULT 0, at TEXT NOT NULL
      );
      CREATE INDEX command_log_undone ON command_log(undone, seq);
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, state TEXT NOT NULL, resource TEXT NOT NULL,
        progress REAL NOT NULL, eta_seconds REAL, message TEXT NOT NULL, title TEXT NOT NULL,
        payload TEXT NOT NULL, result TEXT, error TEXT, attempts INTEGER NOT NULL,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL
      );
      CREATE INDEX jobs_state ON jobs(state, created_at);
    `,
  },
  {
    version: 2,
    description: "jobs.remote: a remote job's checkpoint (idempotency key, remote id), committed before and after each submission",
    up: `ALTER TABLE jobs ADD COLUMN remote TEXT;`,
  },
  {
    version: 3,
    description: 'takes.revoked_cameos: the cameos of a take revoked since (JSON list; NULL: none)',
    up: `ALTER TABLE takes ADD COLUMN revoked_cameos TEXT;`,
  },
  {
    version: 4,
    description: 'sound editing: linked clips (link_id, audio_detached) and audio-track controls (tracks.mix: volume, pan, solo, lock)',
    up: `
      ALTER TABLE clips ADD COLUMN link_id TEXT;
      ALTER TABLE clips ADD COLUMN audio_detached INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX clips_link ON clips(link_id) WHERE link_id IS NOT NULL;
      ALTER TABLE tracks ADD COLUMN mix TEXT;
    `,
  },
];

export const LIBRARY_MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'recent projects and app settings',
    up: `
      CREATE TABLE recent_projects (dir TEXT PRIMARY KEY, name TEXT NOT NULL, opened_at TEXT NOT NULL);
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    description: 'remote generation endpoints (keys are in the keychain, not here)',
    up: `
      CREATE TABLE endpoints (
        id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        kind TEXT NOT NULL CHECK (kind IN ('openai-videos','comfyui')),
        base_url TEXT NOT NULL, model TEXT, concurrency INTEGER NOT NULL CHECK (concurrency >= 1),
        price_per_second REAL, pool TEXT, options TEXT NOT NULL, capabilities TEXT NOT NULL,
        last_check TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    description: "endpoints.kind may be 'openai-speech' (a /v1/audio/speech voice); SQLite cannot alter a CHECK, so the table is rebuilt",
    up: `
      CREATE TABLE endpoints_v3 (
        id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        kind TEXT NOT NULL CHECK (kind IN ('openai-videos','comfyui','openai-speech')),
        base_url TEXT NOT NULL, model TEXT, concurrency INTEGER NOT NULL CHECK (concurrency >= 1),
        price_per_second REAL, pool TEXT, options TEXT NOT NULL, capabilities TEXT NOT NULL,
        last_check TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
      );
      INSERT INTO endpoints_v3 (id, name, kind, base_url, model, concurrency, price_per_second, pool, options, capabilities, last_check, created_at, updated_at)
        SELECT id, name, kind, base_url, model, concurrency, price_per_second, pool, options, capabilities, last_check, created_at, updated_at FROM endpoints;
      DROP TABLE endpoints;
      ALTER TABLE endpoints_v3 RENAME TO endpoints;
    `,
  },
  {
    version: 4,
    description: 'cameo library: cameos, consent records, media (by content hash), use log, per-endpoint character ids, revocations, trash',
    up: `
      CREATE TABLE cameos (
        id TEXT PRIMARY KEY, handle TEXT NOT NULL COLLATE NOCASE, name TEXT NOT NULL, description TEXT NOT NULL, tags TEXT NOT NULL,
        has_likeness INTEGER NOT NULL, has_voice INTEGER NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('created','imported')),
        state TEXT NOT NULL CHECK (state IN ('active','revoked')),
        consent_id TEXT NOT NULL, owner_key TEXT, revoked_at TEXT, revoked_reason TEXT,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL
      );
      CREATE INDEX cameos_handle ON cameos(handle);
      CREATE TABLE cameo_consents (id TEXT PRIMARY KEY, cameo_id TEXT NOT NULL REFERENCES cameos(id) DEFERRABLE INITIALLY DEFERRED, record TEXT NOT NULL, created_at TEXT NOT NULL);
      CREATE TABLE cameo_media (
        cameo_id TEXT NOT NULL REFERENCES cameos(id) DEFERRABLE INITIALLY DEFERRED, role TEXT NOT NULL, sha256 TEXT NOT NULL,
        ext TEXT NOT NULL, bytes INTEGER NOT NULL, meta TEXT NOT NULL, position INTEGER NOT NULL,
        PRIMARY KEY (cameo_id, role, sha256)
      );
      CREATE INDEX cameo_media_sha ON cameo_media(sha256);
      CREATE TABLE cameo_uses (
        id INTEGER PRIMARY KEY AUTOINCREMENT, cameo_id TEXT NOT NULL, consent_id TEXT NOT NULL, part TEXT NOT NULL,
        project_dir TEXT NOT NULL, project_name TEXT NOT NULL, shot_id TEXT, shot_title TEXT, take_label TEXT,
        endpoint TEXT NOT NULL, purpose TEXT NOT NULL, at TEXT NOT NULL
      );
      CREATE INDEX cameo_uses_cameo ON cameo_uses(cameo_id, at);
      CREATE TABLE cameo_characters (
        endpoint_id TEXT NOT NULL, cameo_id TEXT NOT NULL, media_sha256 TEXT NOT NULL,
        character_id TEXT NOT NULL, character_name TEXT NOT NULL, created_at TEXT NOT NULL,
        PRIMARY KEY (endpoint_id, cameo_id, media_sha256)
      );
      CREATE TABLE cameo_revocations (cameo_id TEXT PRIMARY KEY, record TEXT NOT NULL, at TEXT NOT NULL);
      CREATE TABLE cameo_trash (sha256 TEXT NOT NULL, ext TEXT NOT NULL, PRIMARY KEY (sha256, ext));
    `,
  },
  {
    version: 5,
    description: "files of a cameo uploaded to a server that keeps them (ComfyUI's input folder): named at revoke, kept after it",
    up: `
      CREATE TABLE cameo_remote_files (
        cameo_id TEXT NOT NULL, endpoint_id TEXT NOT NULL, endpoint_name TEXT NOT NULL, base_url TEXT NOT NULL,
        file TEXT NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (cameo_id, endpoint_id, file)
      );
      -- From when uploads are recorded: an older use may have sent files that no row names.
      CREATE TABLE cameo_remote_files_since (at TEXT NOT NULL);
      INSERT INTO cameo_remote_files_since (at) VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
    `,
  },
];

export function latestVersion(migrations: Migration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

/** Bring `db` up to the latest version; refuse (without touching it) a file from a newer Shotline. */
export function migrate(db: Database.Database, migrations: Migration[], what: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = latestVersion(migrations);
  if (current > latest) {
    throw new ShotlineError(
      'project_too_new',
      `${what} was saved by a newer version of Shotline (format ${current}; this version reads up to ${latest}).`,
      'Update Shotline to open it. The file has not been changed.',
    );
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
