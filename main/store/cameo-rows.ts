/**
 * The cameo tables of the app library (migration 4): cameos, their consent records, media
 * rows (files by content hash in the media folder beside library.sqlite), the use log, the
 * per-endpoint character ids, revocation records and the trash of files a revoke released.
 * SQL only; main/cameos/library.ts orders the file operations around these rows.
 */
import type Database from 'better-sqlite3';
import type { Cameo, CameoMedia, CameoUseEntry, ConsentRecord } from '../../app/cameos/types.js';

interface CameoRaw {
  id: string; handle: string; name: string; description: string; tags: string; has_likeness: number; has_voice: number;
  origin: string; state: string; consent_id: string; owner_key: string | null; revoked_at: string | null; revoked_reason: string | null;
  created_at: string; updated_at: string;
}
interface MediaRaw { cameo_id: string; role: string; sha256: string; ext: string; bytes: number; meta: string; position: number }
interface UseRaw {
  id: number; cameo_id: string; consent_id: string; part: string; project_dir: string; project_name: string; shot_id: string | null;
  shot_title: string | null; take_label: string | null; endpoint: string; purpose: string; at: string;
}

export interface CharacterRow {
  endpointId: string;
  cameoId: string;
  mediaSha256: string;
  characterId: string;
  characterName: string;
  createdAt: string;
}

/** A file of a cameo that a server keeps (ComfyUI has no route to delete an uploaded input). */
export interface RemoteFileRow {
  cameoId: string;
  endpointId: string;
  /** The endpoint's name and address when the file was sent (it may be renamed or removed since). */
  endpointName: string;
  baseUrl: string;
  /** The name the server gave the file (in its input folder). */
  file: string;
  at: string;
}

export class CameoRows {
  constructor(private readonly db: Database.Database) {}

  /** Run `fn` in one transaction (immediate: a second process waits rather than failing mid-way). */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  private media(cameoId: string): CameoMedia[] {
    const rows = this.db.prepare('SELECT * FROM cameo_media WHERE cameo_id = ? ORDER BY position').all(cameoId) as MediaRaw[];
    return rows.map((r) => ({ role: r.role as CameoMedia['role'], sha256: r.sha256, ext: r.ext, bytes: r.bytes, meta: JSON.parse(r.meta) as CameoMedia['meta'] }));
  }

  private consent(id: string): ConsentRecord {
    const r = this.db.prepare('SELECT record FROM cameo_consents WHERE id = ?').get(id) as { record: string } | undefined;
    if (!r) throw new Error(`cameo consent ${id} is missing`);
    return JSON.parse(r.record) as ConsentRecord;
  }

  private fromRaw(r: CameoRaw): Cameo {
    return {
      id: r.id, handle: r.handle, name: r.name, description: r.description, tags: JSON.parse(r.tags) as string[],
      parts: { likeness: r.has_likeness === 1, voice: r.has_voice === 1 }, media: this.media(r.id), consent: this.consent(r.consent_id),
      origin: r.origin as Cameo['origin'], state: r.state as Cameo['state'], revokedAt: r.revoked_at, revokedReason: r.revoked_reason, createdAt: r.created_at,
    };
  }

  list(): Cameo[] {
    return (this.db.prepare('SELECT * FROM cameos ORDER BY state, name COLLATE NOCASE').all() as CameoRaw[]).map((r) => this.fromRaw(r));
  }

  get(id: string): Cameo | null {
    const r = this.db.prepare('SELECT * FROM cameos WHERE id = ?').get(id) as CameoRaw | undefined;
    return r ? this.fromRaw(r) : null;
  }

  /** Active cameos with this handle (case-insensitive). */
  activeWithHandle(handle: string): Cameo[] {
    return (this.db.prepare("SELECT * FROM cameos WHERE handle = ? AND state = 'active'").all(handle) as CameoRaw[]).map((r) => this.fromRaw(r));
  }

  insert(c: Cameo, now: string): void {
    this.db
      .prepare(
        `INSERT INTO cameos (id, handle, name, description, tags, has_likeness, has_voice, origin, state, consent_id, owner_key, revoked_at, revoked_reason, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(c.id, c.handle, c.name, c.description, JSON.stringify(c.tags), c.parts.likeness ? 1 : 0, c.parts.voice ? 1 : 0, c.origin, c.state, c.consent.id, c.consent.owner.keyId, c.revokedAt, c.revokedReason, c.createdAt, now);
    this.db.prepare('INSERT INTO cameo_consents (id, cameo_id, record, created_at) VALUES (?, ?, ?, ?)').run(c.consent.id, c.id, JSON.stringify(c.consent), c.consent.createdAt);
    const m = this.db.prepare('INSERT INTO cameo_media (cameo_id, role, sha256, ext, bytes, meta, position) VALUES (?, ?, ?, ?, ?, ?, ?)');
    c.media.forEach((x, i) => m.run(c.id, x.role, x.sha256, x.ext, x.bytes, JSON.stringify(x.meta), i));
  }

  update(id: string, fields: { handle: string; name: string; description: string; tags: string[] }, now: string): void {
    this.db.prepare('UPDATE cameos SET handle = ?, name = ?, description = ?, tags = ?, updated_at = ? WHERE id = ?').run(fields.handle, fields.name, fields.description, JSON.stringify(fields.tags), now, id);
  }

  /** Mark revoked and drop its media rows; returns the files no other cameo still uses (now in the trash). */
  revoke(id: string, reason: string | null, at: string): { sha256: string; ext: string }[] {
    const media = this.db.prepare('SELECT DISTINCT sha256, ext FROM cameo_media WHERE cameo_id = ?').all(id) as { sha256: string; ext: string }[];
    this.db.prepare("UPDATE cameos SET state = 'revoked', revoked_at = ?, revoked_reason = ?, updated_at = ? WHERE id = ?").run(at, reason, at, id);
    this.db.prepare('DELETE FROM cameo_media WHERE cameo_id = ?').run(id);
    // Character ids on servers must never be used again.
    this.db.prepare('DELETE FROM cameo_characters WHERE cameo_id = ?').run(id);
    const released = media.filter((m) => !this.db.prepare('SELECT 1 FROM cameo_media WHERE sha256 = ? AND ext = ?').get(m.sha256, m.ext));
    const t = this.db.prepare('INSERT OR IGNORE INTO cameo_trash (sha256, ext) VALUES (?, ?)');
    for (const m of released) t.run(m.sha256, m.ext);
    return released;
  }

  trash(): { sha256: string; ext: string }[] {
    return this.db.prepare('SELECT sha256, ext FROM cameo_trash').all() as { sha256: string; ext: string }[];
  }

  untrash(sha256: string, ext: string): void {
    this.db.prepare('DELETE FROM cameo_trash WHERE sha256 = ? AND ext = ?').run(sha256, ext);
  }

  /** Every media file name rows refer to ("<sha>.<ext>"). */
  referencedFiles(): Set<string> {
    const rows = this.db.prepare('SELECT DISTINCT sha256, ext FROM cameo_media').all() as { sha256: string; ext: string }[];
    return new Set(rows.map((r) => `${r.sha256}.${r.ext}`));
  }

  // Files kept by servers ---------------------------------------------------------------------

  putRemoteFile(f: RemoteFileRow): void {
    this.db
      .prepare('INSERT OR IGNORE INTO cameo_remote_files (cameo_id, endpoint_id, endpoint_name, base_url, file, at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(f.cameoId, f.endpointId, f.endpointName, f.baseUrl, f.file, f.at);
  }

  /** Every file of the cameo a server was sent, in the order they were sent (kept after a revoke: the user still has to ask for them to go). */
  remoteFilesOf(cameoId: string): RemoteFileRow[] {
    const rows = this.db.prepare('SELECT * FROM cameo_remote_files WHERE cameo_id = ? ORDER BY rowid').all(cameoId) as { cameo_id: string; endpoint_id: string; endpoint_name: string; base_url: string; file: string; at: string }[];
    return rows.map((r) => ({ cameoId: r.cameo_id, endpointId: r.endpoint_id, endpointName: r.endpoint_name, baseUrl: r.base_url, file: r.file, at: r.at }));
  }

  /** Since when uploads are recorded (the library's migration 5), as an ISO time like the use log's. */
  remoteFilesRecordedSince(): string {
    return (this.db.prepare('SELECT at FROM cameo_remote_files_since').get() as { at: string }).at;
  }

  // Use log -------------------------------------------------------------------------------

  logUse(u: Omit<CameoUseEntry, 'id'>): number {
    return Number(
      this.db
        .prepare('INSERT INTO cameo_uses (cameo_id, consent_id, part, project_dir, project_name, shot_id, shot_title, take_label, endpoint, purpose, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(u.cameoId, u.consentId, u.part, u.projectDir, u.projectName, u.shotId, u.shotTitle, u.takeLabel, u.endpoint, u.purpose, u.at).lastInsertRowid,
    );
  }

  uses(cameoId: string, limit = 500): CameoUseEntry[] {
    const rows = this.db.prepare('SELECT * FROM cameo_uses WHERE cameo_id = ? ORDER BY at DESC, id DESC LIMIT ?').all(cameoId, limit) as UseRaw[];
    return rows.map((r) => ({
      id: r.id, cameoId: r.cameo_id, consentId: r.consent_id, part: r.part as CameoUseEntry['part'], projectDir: r.project_dir, projectName: r.project_name,
      shotId: r.shot_id, shotTitle: r.shot_title, takeLabel: r.take_label, endpoint: r.endpoint, purpose: r.purpose, at: r.at,
    }));
  }

  useCounts(): Map<string, number> {
    const rows = this.db.prepare("SELECT cameo_id, COUNT(*) AS n FROM cameo_uses WHERE purpose != 'export-override' GROUP BY cameo_id").all() as { cameo_id: string; n: number }[];
    return new Map(rows.map((r) => [r.cameo_id, r.n]));
  }

  /** Project folders that used this cameo (for the revoke cascade). */
  projectsUsing(cameoId: string): string[] {
    return (this.db.prepare('SELECT DISTINCT project_dir FROM cameo_uses WHERE cameo_id = ?').all(cameoId) as { project_dir: string }[]).map((r) => r.project_dir);
  }

  /** Revoked cameos' ids (what projects are checked against when opened). */
  revokedIds(): Set<string> {
    return new Set((this.db.prepare("SELECT id FROM cameos WHERE state = 'revoked'").all() as { id: string }[]).map((r) => r.id));
  }

  // Characters (per endpoint) ----------------------------------------------------------------

  character(endpointId: string, cameoId: string, mediaSha256: string): CharacterRow | null {
    const r = this.db.prepare('SELECT * FROM cameo_characters WHERE endpoint_id = ? AND cameo_id = ? AND media_sha256 = ?').get(endpointId, cameoId, mediaSha256) as
      | { endpoint_id: string; cameo_id: string; media_sha256: string; character_id: string; character_name: string; created_at: string }
      | undefined;
    return r ? { endpointId: r.endpoint_id, cameoId: r.cameo_id, mediaSha256: r.media_sha256, characterId: r.character_id, characterName: r.character_name, createdAt: r.created_at } : null;
  }

  putCharacter(c: CharacterRow): void {
    this.db
      .prepare('INSERT OR REPLACE INTO cameo_characters (endpoint_id, cameo_id, media_sha256, character_id, character_name, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(c.endpointId, c.cameoId, c.mediaSha256, c.characterId, c.characterName, c.createdAt);
  }

  /** Endpoints that hold a character of this cameo (named in the revoke report). */
  charactersOf(cameoId: string): CharacterRow[] {
    const rows = this.db.prepare('SELECT * FROM cameo_characters WHERE cameo_id = ?').all(cameoId) as { endpoint_id: string; cameo_id: string; media_sha256: string; character_id: string; character_name: string; created_at: string }[];
    return rows.map((r) => ({ endpointId: r.endpoint_id, cameoId: r.cameo_id, mediaSha256: r.media_sha256, characterId: r.character_id, characterName: r.character_name, createdAt: r.created_at }));
  }

  // Revocation records (from the owner, or made here) ------------------------------------------

  putRevocation(cameoId: string, record: unknown, at: string): void {
    this.db.prepare('INSERT OR REPLACE INTO cameo_revocations (cameo_id, record, at) VALUES (?, ?, ?)').run(cameoId, JSON.stringify(record), at);
  }

  revocation<T>(cameoId: string): T | null {
    const r = this.db.prepare('SELECT record FROM cameo_revocations WHERE cameo_id = ?').get(cameoId) as { record: string } | undefined;
    return r ? (JSON.parse(r.record) as T) : null;
  }
}
