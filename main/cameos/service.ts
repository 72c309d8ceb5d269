/**
 * The cameo library as a service: who this install's user is, the consent check every use goes
 * through (`assertCameoUse`), the use log, create (from the user's files, prepared by ffmpeg),
 * update and revoke. Other services (generation, speech, export) call `assertCameoUse` at the
 * moment they queue work; it is the one place consent is enforced on the main side.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { checkCameoUse } from '../../app/cameos/consent.js';
import type { Cameo, CameoMediaRole, CameoPart, CameoUser, CameoUseEntry } from '../../app/cameos/types.js';
import { PART_MEDIA } from '../../app/cameos/types.js';
import { ShotlineError } from '../../app/errors.js';
import type { FfmpegEngine } from '../media/engine.js';
import { loadCredentials } from '../provenance/credentials.js';
import type { LibraryStore } from '../store/library-store.js';
import { makeOwnedTempDir } from '../util/scratch.js';
import { CameoLibrary, type ConsentInput, type RevokeResult } from './library.js';
import { prepareCameoMedia, type CameoSources } from './prepare.js';
import fs from 'node:fs';

/** Where and for what a cameo is used: written to the use log. */
export interface CameoUseContext {
  project: { dir: string; name: string };
  shotId?: string | null;
  shotTitle?: string | null;
  takeLabel?: string | null;
  /** The backend or endpoint that receives it ('Local pack', 'My server (sora-2)', 'espeak-ng'). */
  endpoint: string;
  /** 'generate', 'voice', 'export-override', … */
  purpose: string;
  /** Log the use (default true). A dry check (estimate, planning) passes false. */
  log?: boolean;
  now?: Date;
}

/** What a permitted use may read: the cameo, its consent record id, and the files of the part. */
export interface PermittedCameoUse {
  cameo: Cameo;
  consentId: string;
  /** Absolute paths in the library's media folder, by role (only the roles of the part). */
  files: { role: CameoMediaRole; path: string; sha256: string; ext: string }[];
  /** The use-log row id (null when `log: false`). */
  logId: number | null;
}

const USER_NAME_SETTING = 'cameos.userName';

export class CameoService {
  readonly lib: CameoLibrary;
  private keyId: Promise<string | null> | null = null;

  constructor(
    readonly store: LibraryStore,
    private readonly engine: FfmpegEngine,
  ) {
    this.lib = new CameoLibrary(store);
    // A create or revoke killed half-way is finished (or undone) here.
    this.lib.recover();
  }

  /** This install's signing key id (SHA-256 of the public key): the owner identity bundles carry. */
  signerKeyId(): Promise<string | null> {
    this.keyId ??= loadCredentials({ userDataDir: this.store.userDataDir })
      .then((c) => crypto.createHash('sha256').update(crypto.createPublicKey(c.privateKey).export({ type: 'spki', format: 'der' })).digest('hex'))
      .catch(() => null);
    return this.keyId;
  }

  userName(): string {
    return this.store.getSetting<string>(USER_NAME_SETTING, '') || os.userInfo().username;
  }

  setUserName(name: string): void {
    this.store.setSetting(USER_NAME_SETTING, name.trim());
  }

  async user(): Promise<CameoUser> {
    return { name: this.userName(), keyId: await this.signerKeyId() };
  }

  /**
   * The consent check for one use of one part of a cameo, with the files hashed as they are on
   * disk now; logs the use unless `ctx.log === false`. Throws ShotlineError('consent_refused')
   * saying which rule refused and why. Call it where the work is queued (and again where it runs).
   */
  async assertCameoUse(cameoId: string, part: CameoPart, ctx: CameoUseContext): Promise<PermittedCameoUse> {
    const cameo = this.lib.rows.get(cameoId);
    if (!cameo) throw new ShotlineError('not_found', 'A cameo this shot uses is not in your cameo library.', 'Remove it from the shot, or import its bundle again.');
    const roles = PART_MEDIA[part];
    const media = cameo.state === 'active' ? await this.lib.hashOnDisk(cameo, roles) : [];
    const verdict = checkCameoUse(cameo, { part, user: await this.user(), media }, ctx.now ?? new Date());
    if (!verdict.ok) throw new ShotlineError('consent_refused', verdict.message, verdict.hint);
    const logId = ctx.log === false ? null : this.logUse(cameo, part, ctx);
    const files = cameo.media.filter((m) => roles.includes(m.role)).map((m) => ({ role: m.role, path: this.lib.mediaPath(m), sha256: m.sha256, ext: m.ext }));
    return { cameo, consentId: cameo.consent.id, files, logId };
  }

  logUse(cameo: Cameo, part: CameoPart, ctx: CameoUseContext): number {
    return this.lib.rows.logUse({
      cameoId: cameo.id,
      consentId: cameo.consent.id,
      part,
      projectDir: ctx.project.dir,
      projectName: ctx.project.name,
      shotId: ctx.shotId ?? null,
      shotTitle: ctx.shotTitle ?? null,
      takeLabel: ctx.takeLabel ?? null,
      endpoint: ctx.endpoint,
      purpose: ctx.purpose,
      at: (ctx.now ?? new Date()).toISOString(),
    });
  }

  uses(cameoId: string): CameoUseEntry[] {
    this.lib.require(cameoId);
    return this.lib.rows.uses(cameoId);
  }

  /** Create a cameo from the user's files: prepared in scratch, copied in by hash, consent recorded over those hashes. */
  async create(input: { name: string; handle: string; description: string; tags: string[]; consent: ConsentInput; sources: Omit<CameoSources, 'wantVoice'> }): Promise<Cameo> {
    const dir = await makeOwnedTempDir('shotline-gen-');
    try {
      const wantVoice = input.consent.covers !== 'likeness' || !!input.sources.audio;
      const media = await prepareCameoMedia(this.engine, { ...input.sources, wantVoice }, dir);
      return await this.lib.create({ ...input, media }, { name: this.userName(), keyId: await this.signerKeyId() });
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  }

  revoke(cameoId: string, reason: string | null): RevokeResult {
    return this.lib.revoke(cameoId, reason);
  }
}
