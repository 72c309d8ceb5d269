/**
 * The consent rules, pure: may this cameo be used for this part, by this user, now? Every
 * refusal says which rule and why, in words a user can act on. Main calls this at the moment
 * a job is queued (and again when it runs), with the SHA-256 of the files it is about to send.
 */
import type { Cameo, CameoPart, CameoStatus, CameoUser, ConsentCovers, ConsentRecord } from './types.js';
import { PART_MEDIA } from './types.js';

export type CameoRefusal =
  | 'revoked'
  | 'expired'
  | 'not_yet_valid'
  | 'part_missing'
  | 'not_covered'
  | 'not_permitted'
  | 'media_missing'
  | 'media_mismatch';

export type CameoCheck = { ok: true } | { ok: false; reason: CameoRefusal; message: string; hint: string };

export interface CameoUseRequest {
  part: CameoPart;
  user: CameoUser;
  /**
   * The files the use will send, hashed now by the caller ({role, sha256 of the bytes on disk};
   * sha256 null when the file is missing). Each must be one the consent record covers.
   */
  media?: { role: string; sha256: string | null }[];
}

/** Days before expiry when a cameo shows as "expiring". */
export const EXPIRING_DAYS = 14;

const DAY_MS = 86_400_000;

/** End of the expiry day (exclusive), UTC. */
function expiryEnd(expiresOn: string): number {
  return Date.parse(`${expiresOn}T00:00:00Z`) + DAY_MS;
}

export function covers(c: ConsentCovers, part: CameoPart): boolean {
  return c === 'both' || c === part;
}

export function coversText(c: ConsentCovers): string {
  return c === 'both' ? 'likeness and voice' : c === 'likeness' ? 'likeness only' : 'voice only';
}

/** Whether `user` is the cameo's owner: same signing key where both are known, else a cameo made here. */
export function isOwner(cameo: Pick<Cameo, 'origin' | 'consent'>, user: CameoUser): boolean {
  const k = cameo.consent.owner.keyId;
  if (k && user.keyId) return k === user.keyId;
  return cameo.origin === 'created';
}

function sameName(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase() && a.trim() !== '';
}

export function daysLeft(consent: Pick<ConsentRecord, 'expiresOn'>, now: Date): number | null {
  if (!consent.expiresOn) return null;
  return Math.ceil((expiryEnd(consent.expiresOn) - now.getTime()) / DAY_MS);
}

export function cameoStatus(cameo: Pick<Cameo, 'state' | 'consent'>, now: Date): CameoStatus {
  if (cameo.state === 'revoked') return 'revoked';
  const left = daysLeft(cameo.consent, now);
  if (left === null) return 'active';
  if (left <= 0) return 'expired';
  return left <= EXPIRING_DAYS ? 'expiring' : 'active';
}

const refuse = (reason: CameoRefusal, message: string, hint: string): CameoCheck => ({ ok: false, reason, message, hint });

/** May `cameo` be used for `use.part` by `use.user` at `now`? */
export function checkCameoUse(cameo: Cameo, use: CameoUseRequest, now: Date): CameoCheck {
  const who = `@${cameo.handle} (${cameo.name})`;
  const c = cameo.consent;
  if (cameo.state === 'revoked') {
    const when = cameo.revokedAt ? ` on ${cameo.revokedAt.slice(0, 10)}` : '';
    return refuse('revoked', `${who} was revoked${when}${cameo.revokedReason ? ` (${cameo.revokedReason})` : ''}; it cannot be used any more.`, 'Remove the cameo from the shot, or ask the person for a new consent and record a new cameo.');
  }
  if (c.expiresOn && now.getTime() >= expiryEnd(c.expiresOn)) {
    return refuse('expired', `The consent for ${who} expired on ${c.expiresOn}.`, `Ask ${c.subject} to renew it (a new consent record), or remove the cameo from the shot.`);
  }
  if (Date.parse(`${c.signedOn}T00:00:00Z`) > now.getTime() + DAY_MS) {
    return refuse('not_yet_valid', `The consent for ${who} is dated ${c.signedOn}, in the future.`, 'Check the date on the consent record.');
  }
  if (!cameo.parts[use.part]) {
    return refuse('part_missing', `${who} has no ${use.part === 'voice' ? 'voice sample' : 'likeness (video or stills)'}.`, use.part === 'voice' ? 'Add a voice sample to the cameo (a clip with sound), or choose another voice.' : 'Add stills or a video to the cameo.');
  }
  if (!covers(c.covers, use.part)) {
    return refuse('not_covered', `The consent for ${who} covers ${coversText(c.covers)}, not the ${use.part}.`, use.part === 'voice' ? `Use another voice for this line, or ask ${c.subject} for consent that covers the voice.` : `Ask ${c.subject} for consent that covers the likeness.`);
  }
  if (!isOwner(cameo, use.user)) {
    if (c.audience === 'only-me')
      return refuse('not_permitted', `${c.owner.name || 'The owner'} allowed only themselves to use ${who}.`, 'Ask the owner to share it with you by name.');
    if (c.audience === 'collaborators' && !c.collaborators.some((n) => sameName(n, use.user.name)))
      return refuse(
        'not_permitted',
        `${who} may be used by ${c.owner.name || 'its owner'} and ${c.collaborators.join(', ') || 'no one else'}; "${use.user.name || 'this user'}" is not named.`,
        'Set your name in Cameos → Your name if it is one of those, or ask the owner to add you.',
      );
  }
  if (use.media) {
    const consented = new Set(c.media.map((m) => m.sha256));
    const needed = new Set(PART_MEDIA[use.part]);
    for (const m of use.media) {
      if (!needed.has(m.role as never)) continue;
      if (m.sha256 === null)
        return refuse('media_missing', `The ${m.role} file of ${who} is missing from the cameo library.`, 'The library was changed outside Shotline; import the cameo again from its bundle.');
      if (!consented.has(m.sha256))
        return refuse('media_mismatch', `The ${m.role} of ${who} is not the media the consent was given for (SHA-256 ${m.sha256.slice(0, 12)}… is not in the record).`, 'The file was replaced after consent was recorded; record the cameo again with a new consent.');
    }
  }
  return { ok: true };
}
