/**
 * The cameo library on disk: rows in library.sqlite (main/store/cameo-rows.ts) and media
 * files in `cameo-media/` beside it, each stored once as `<sha256>.<ext>` (copied in: the
 * library never points at a user's own files).
 *
 * Crash safety, by ordering rather than luck:
 *  - create/import: every file is copied (temp name, fsync, rename to its content address)
 *    before the one transaction that inserts the cameo, its consent and media rows. A kill
 *    before the commit leaves only unreferenced files, which `recover()` sweeps; after it, the
 *    whole cameo.
 *  - revoke: one transaction marks the cameo revoked, drops its media rows and puts the files
 *    no other cameo uses in `cameo_trash`; then the files are unlinked and the trash rows
 *    cleared. A kill after the commit leaves trash that `recover()` finishes deleting on the
 *    next start; before it, nothing changed.
 * `faultPoint` names each gap so the crash test can kill a real process exactly there.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cameoStatus, daysLeft } from '../../app/cameos/consent.js';
import { handleProblem, normalizeHandle } from '../../app/cameos/handles.js';
import type { Cameo, CameoMedia, CameoMediaRole, CameoOwner, CameoSummary, ConsentAudience, ConsentCovers, ConsentRecord } from '../../app/cameos/types.js';
import { ShotlineError } from '../../app/errors.js';
import { CameoRows } from '../store/cameo-rows.js';
import type { LibraryStore } from '../store/library-store.js';
import { faultPoint } from '../util/fault.js';
import { OWNER_TAG, ownerAlive, ownerTag } from '../util/pid-alive.js';

export const CAMEO_MEDIA_DIR = 'cameo-media';
const INCOMING = new RegExp(`^\\.incoming-${OWNER_TAG}-[0-9a-f]+$`);
const MEDIA_NAME = /^[0-9a-f]{64}\.[a-z0-9]{1,8}$/;

/** What the person consents to, as the user enters it; the library adds ids, media hashes and the owner. */
export type ConsentInput = Pick<ConsentRecord, 'subject' | 'audience' | 'collaborators' | 'covers' | 'expiresOn' | 'signedName' | 'signedOn' | 'spokenSentence'> & {
  /** The owner is the person in it. */
  self?: boolean;
};

export interface NewCameoMedia {
  role: CameoMediaRole;
  /** A readable file (a user's file or a prepared one in scratch): it is copied, never referenced. */
  file: string;
  ext: string;
  meta?: CameoMedia['meta'];
}

export interface NewCameo {
  name: string;
  handle: string;
  description: string;
  tags: string[];
  consent: ConsentInput;
  media: NewCameoMedia[];
}

export interface RevokeResult {
  cameo: Cameo;
  deletedFiles: number;
  /** Server-side characters: the /v1/videos protocol has no delete for them. */
  remoteCopies: { endpointId: string; characterId: string }[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (s: string) => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

export class CameoLibrary {
  readonly rows: CameoRows;
  readonly mediaDir: string;

  constructor(readonly store: LibraryStore) {
    this.rows = new CameoRows(store.db);
    this.mediaDir = path.join(store.userDataDir, CAMEO_MEDIA_DIR);
    fs.mkdirSync(this.mediaDir, { recursive: true });
  }

  mediaPath(m: Pick<CameoMedia, 'sha256' | 'ext'>): string {
    return path.join(this.mediaDir, `${m.sha256}.${m.ext}`);
  }

  /**
   * Finish what a killed process left: delete trashed files (a revoke committed before its
   * files were gone), stale incoming copies, and media no row refers to (a create killed before
   * its commit) once older than `orphanAgeMs` (another process may be mid-create right now).
   */
  recover(orphanAgeMs = 10 * 60_000, now = Date.now()): { trashed: number; orphans: number } {
    let trashed = 0;
    for (const t of this.rows.trash()) {
      this.rows.tx(() => {
        if (!this.rows.referencedFiles().has(`${t.sha256}.${t.ext}`)) {
          fs.rmSync(this.mediaPath(t), { force: true });
          trashed++;
        }
        this.rows.untrash(t.sha256, t.ext);
      });
    }
    let orphans = 0;
    const referenced = this.rows.referencedFiles();
    for (const name of fs.readdirSync(this.mediaDir)) {
      const full = path.join(this.mediaDir, name);
      const inc = INCOMING.exec(name);
      if (inc) {
        if (!ownerAlive(inc[1]!)) fs.rmSync(full, { force: true });
        continue;
      }
      if (!MEDIA_NAME.test(name) || referenced.has(name)) continue;
      let st: fs.Stats;
      try {
        st = fs.statSync(full);
      } catch {
        continue;
      }
      if (now - st.mtimeMs < orphanAgeMs) continue;
      fs.rmSync(full, { force: true });
      orphans++;
    }
    return { trashed, orphans };
  }

  /** Copy a file in under its content address; returns its hash and size. */
  async copyIn(file: string, ext: string, what: string): Promise<{ sha256: string; bytes: number }> {
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(file);
    } catch {
      throw new ShotlineError('not_found', `The ${what} file ${path.basename(file)} could not be found.`, 'Check that the file still exists.');
    }
    if (!st.isFile()) throw new ShotlineError('invalid_input', `The ${what} "${path.basename(file)}" is a folder, not a file.`);
    if (st.size === 0) throw new ShotlineError('media_unreadable', `The ${what} "${path.basename(file)}" is empty (0 bytes).`, 'Choose the file again; it may not have finished copying.');
    const temp = path.join(this.mediaDir, `.incoming-${ownerTag()}-${randomBytes(6).toString('hex')}`);
    const hash = createHash('sha256');
    const out = await fs.promises.open(temp, 'wx');
    try {
      for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
        hash.update(chunk as Buffer);
        await out.write(chunk as Buffer);
      }
      await out.sync();
    } finally {
      await out.close();
    }
    const sha256 = hash.digest('hex');
    const final = this.mediaPath({ sha256, ext });
    if (fs.existsSync(final)) await fs.promises.rm(temp, { force: true });
    else await fs.promises.rename(temp, final);
    return { sha256, bytes: st.size };
  }

  /** Create a cameo with its consent record; the record covers the SHA-256 of every file copied in. */
  async create(input: NewCameo, owner: CameoOwner, now = new Date()): Promise<Cameo> {
    const handle = this.checkNew(input);
    const id = `cameo_${randomUUID()}`;
    const media: CameoMedia[] = [];
    for (const m of input.media) {
      const { sha256, bytes } = await this.copyIn(m.file, m.ext, roleText(m.role));
      if (!media.some((x) => x.role === m.role && x.sha256 === sha256)) media.push({ role: m.role, sha256, ext: m.ext, bytes, meta: m.meta ?? {} });
      faultPoint('cameo-create:media-copied');
    }
    const at = now.toISOString();
    const consent: ConsentRecord = {
      v: 1,
      id: `consent_${randomUUID()}`,
      cameoId: id,
      subject: input.consent.subject.trim(),
      audience: input.consent.audience,
      collaborators: input.consent.audience === 'collaborators' ? input.consent.collaborators.map((c) => c.trim()).filter(Boolean) : [],
      covers: input.consent.covers,
      expiresOn: input.consent.expiresOn,
      signedName: input.consent.signedName.trim(),
      signedOn: input.consent.signedOn,
      self: input.consent.self ?? false,
      spokenSentence: input.consent.spokenSentence?.trim() || null,
      media: media.map((m) => ({ role: m.role, sha256: m.sha256 })),
      owner,
      createdAt: at,
    };
    const cameo: Cameo = {
      id,
      handle,
      name: input.name.trim(),
      description: input.description.trim(),
      tags: input.tags.map((t) => t.trim()).filter(Boolean),
      parts: partsOf(media),
      media,
      consent,
      origin: 'created',
      state: 'active',
      revokedAt: null,
      revokedReason: null,
      createdAt: at,
    };
    return this.commit(cameo, at);
  }

  /** Insert a cameo whose files are already in the media folder (create, bundle import): one transaction. */
  commit(cameo: Cameo, at: string): Cameo {
    faultPoint('cameo-commit:before');
    this.rows.tx(() => {
      if (this.rows.get(cameo.id)) throw new ShotlineError('project_exists', `The cameo "${cameo.name}" (@${cameo.handle}) is already in your library.`, 'Nothing was changed.');
      for (const m of cameo.media) {
        // A revoke in another process may have just deleted a shared file: refuse rather than point at nothing.
        if (!fs.existsSync(this.mediaPath(m))) throw new ShotlineError('internal', `The ${roleText(m.role)} of "${cameo.name}" vanished while it was being added.`, 'Try again.');
        this.rows.untrash(m.sha256, m.ext);
      }
      this.rows.insert(cameo, at);
    });
    faultPoint('cameo-commit:after');
    return this.rows.get(cameo.id)!;
  }

  private checkNew(input: NewCameo): string {
    if (!input.name.trim()) throw new ShotlineError('invalid_input', 'The cameo needs a name.', 'Type the name of the person in it.');
    const problem = handleProblem(input.handle);
    if (problem) throw new ShotlineError('invalid_input', problem);
    const handle = normalizeHandle(input.handle);
    const clash = this.rows.activeWithHandle(handle)[0];
    if (clash) throw new ShotlineError('invalid_input', `The handle @${handle} is already used by ${clash.name}.`, 'Choose another handle.');
    checkConsent(input.consent, input.media);
    return handle;
  }

  update(id: string, fields: { name?: string; handle?: string; description?: string; tags?: string[] }): Cameo {
    const c = this.require(id);
    const handle = fields.handle !== undefined ? normalizeHandle(fields.handle) : c.handle;
    if (fields.handle !== undefined) {
      const problem = handleProblem(fields.handle);
      if (problem) throw new ShotlineError('invalid_input', problem);
      const clash = this.rows.activeWithHandle(handle).find((x) => x.id !== id);
      if (clash) throw new ShotlineError('invalid_input', `The handle @${handle} is already used by ${clash.name}.`, 'Choose another handle.');
    }
    const name = fields.name?.trim() ?? c.name;
    if (!name) throw new ShotlineError('invalid_input', 'The cameo needs a name.');
    this.rows.update(id, { handle, name, description: fields.description?.trim() ?? c.description, tags: fields.tags ?? c.tags }, new Date().toISOString());
    return this.require(id);
  }

  require(id: string): Cameo {
    const c = this.rows.get(id);
    if (!c) throw new ShotlineError('not_found', 'That cameo is not in your library.', 'It may have been removed; pick another one.');
    return c;
  }

  /** Revoke: the media are deleted from disk (not hidden), character ids forgotten, the record kept. */
  revoke(id: string, reason: string | null, now = new Date()): RevokeResult {
    const before = this.require(id);
    const remoteCopies = this.rows.charactersOf(id).map((c) => ({ endpointId: c.endpointId, characterId: c.characterId }));
    if (before.state === 'revoked') return { cameo: before, deletedFiles: 0, remoteCopies };
    const at = now.toISOString();
    const released = this.rows.tx(() => this.rows.revoke(id, reason?.trim() || null, at));
    faultPoint('cameo-revoke:committed');
    let deletedFiles = 0;
    for (const f of released) {
      this.rows.tx(() => {
        if (!this.rows.referencedFiles().has(`${f.sha256}.${f.ext}`)) {
          fs.rmSync(this.mediaPath(f), { force: true });
          deletedFiles++;
        }
        faultPoint('cameo-revoke:file-deleted');
        this.rows.untrash(f.sha256, f.ext);
      });
    }
    return { cameo: this.require(id), deletedFiles, remoteCopies };
  }

  list(now = new Date()): CameoSummary[] {
    const counts = this.rows.useCounts();
    return this.rows.list().map((c) => summarize(c, counts.get(c.id) ?? 0, now));
  }

  summary(id: string, now = new Date()): CameoSummary {
    return summarize(this.require(id), this.rows.useCounts().get(id) ?? 0, now);
  }

  /** The SHA-256 of each file of `roles` as it is on disk now (null: missing), for the consent check. */
  async hashOnDisk(cameo: Cameo, roles: readonly CameoMediaRole[]): Promise<{ role: CameoMediaRole; sha256: string | null }[]> {
    const out: { role: CameoMediaRole; sha256: string | null }[] = [];
    for (const m of cameo.media) {
      if (!roles.includes(m.role)) continue;
      const hash = createHash('sha256');
      try {
        for await (const chunk of fs.createReadStream(this.mediaPath(m), { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
        out.push({ role: m.role, sha256: hash.digest('hex') });
      } catch {
        out.push({ role: m.role, sha256: null });
      }
    }
    return out;
  }
}

export function summarize(c: Cameo, useCount: number, now: Date): CameoSummary {
  return { ...c, status: cameoStatus(c, now), useCount, daysLeft: c.state === 'revoked' ? null : daysLeft(c.consent, now) };
}

export function partsOf(media: readonly Pick<CameoMedia, 'role'>[]): Cameo['parts'] {
  return { likeness: media.some((m) => m.role === 'still' || m.role === 'source'), voice: media.some((m) => m.role === 'voice') };
}

function roleText(role: CameoMediaRole): string {
  return role === 'source' ? 'source video' : role === 'still' ? 'reference still' : role === 'voice' ? 'voice sample' : 'poster';
}

/** The consent record's own rules: every field a person must fill, dates that make sense, covers that match the media. */
export function checkConsent(c: ConsentInput, media: readonly Pick<NewCameoMedia, 'role'>[], today = new Date()): void {
  const bad = (m: string, hint?: string) => new ShotlineError('invalid_input', m, hint);
  if (!c.subject.trim()) throw bad('The consent record needs the name of the person who appears.');
  if (!c.signedName.trim()) throw bad('The person must type their own name to give consent.', 'Ask them to type their name in the consent form.');
  if (!validDate(c.signedOn)) throw bad(`The consent date "${c.signedOn}" is not a date (YYYY-MM-DD).`);
  if (Date.parse(`${c.signedOn}T00:00:00Z`) > today.getTime() + 86_400_000) throw bad(`The consent date ${c.signedOn} is in the future.`);
  if (c.expiresOn !== null) {
    if (!validDate(c.expiresOn)) throw bad(`The expiry date "${c.expiresOn}" is not a date (YYYY-MM-DD).`);
    if (c.expiresOn < c.signedOn) throw bad(`The consent would expire (${c.expiresOn}) before it was given (${c.signedOn}).`);
  }
  if (c.audience === 'collaborators' && !c.collaborators.some((n) => n.trim())) throw bad('"Named collaborators" needs at least one name.', 'Add the names of the people who may use the cameo, or choose another option.');
  const parts = partsOf(media);
  if (!parts.likeness && !parts.voice) throw bad('A cameo needs a likeness (a video or stills) or a voice sample.');
  if ((c.covers === 'voice' || c.covers === 'both') && !parts.voice && c.covers === 'voice') throw bad('The consent covers the voice only, but there is no voice sample.', 'Add a clip with sound or an audio sample, or change what the consent covers.');
  if (c.covers === 'likeness' && !parts.likeness) throw bad('The consent covers the likeness only, but there is no video or still.', 'Add a video or stills, or change what the consent covers.');
}
