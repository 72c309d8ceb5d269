/**
 * The cameo library's vocabulary: a person's likeness (reference video, stills, poster) and
 * voice (a clean sample), each held under a consent record that says who may use it, for
 * what, until when, and which exact media (by SHA-256) it covers. Pure types, shared by main
 * (library store, enforcement) and the renderer (Cameos view).
 */

/** What a use of a cameo draws on. */
export type CameoPart = 'likeness' | 'voice';
export const CAMEO_PARTS: readonly CameoPart[] = ['likeness', 'voice'];

/** What the consent covers. */
export type ConsentCovers = 'likeness' | 'voice' | 'both';
export const CONSENT_COVERS: readonly ConsentCovers[] = ['likeness', 'voice', 'both'];

/**
 * Who may use the cameo: only its owner (the install that recorded the consent), the owner and
 * the collaborators named in the record, or the owner and anyone they share the bundle with.
 */
export type ConsentAudience = 'only-me' | 'collaborators' | 'anyone-shared';
export const CONSENT_AUDIENCES: readonly ConsentAudience[] = ['only-me', 'collaborators', 'anyone-shared'];

export type CameoMediaRole = 'source' | 'still' | 'voice' | 'poster';
export const CAMEO_MEDIA_ROLES: readonly CameoMediaRole[] = ['source', 'still', 'voice', 'poster'];

/** Which media a part needs: a likeness is delivered as a still or the source clip, a voice as its sample. */
export const PART_MEDIA: Record<CameoPart, readonly CameoMediaRole[]> = { likeness: ['still', 'source', 'poster'], voice: ['voice'] };

/** One media file of a cameo, stored in the library's media folder as `<sha256>.<ext>`. */
export interface CameoMedia {
  role: CameoMediaRole;
  sha256: string;
  ext: string;
  bytes: number;
  /** Stills: sharpness score (Laplacian variance); voice: integrated loudness (LUFS), duration. */
  meta: { sharpness?: number; lufs?: number; seconds?: number; width?: number; height?: number };
}

/** The owner of a cameo: a person's name and the key that signs their bundles (SHA-256 of its SPKI), if known. */
export interface CameoOwner {
  name: string;
  keyId: string | null;
}

export interface ConsentRecord {
  v: 1;
  id: string;
  cameoId: string;
  /** Who appears in the media. */
  subject: string;
  audience: ConsentAudience;
  /** Names allowed to use it when `audience` is 'collaborators'. */
  collaborators: string[];
  covers: ConsentCovers;
  /** Last day it may be used (YYYY-MM-DD, inclusive, UTC), or null for no expiry. */
  expiresOn: string | null;
  /** The person's own typed name and the date they gave consent (YYYY-MM-DD). */
  signedName: string;
  signedOn: string;
  /** The owner is the person who appears (their own likeness): only then may they override an export refusal. */
  self: boolean;
  /** For a recorded capture: the consent sentence the person read aloud in it. */
  spokenSentence: string | null;
  /** SHA-256 of every media file the consent covers: media swapped later no longer matches. */
  media: { role: CameoMediaRole; sha256: string }[];
  owner: CameoOwner;
  createdAt: string;
}

export type CameoState = 'active' | 'revoked';
export type CameoStatus = 'active' | 'expiring' | 'expired' | 'revoked';

export interface Cameo {
  id: string;
  /** Lower-case, used in prompts as @handle. */
  handle: string;
  name: string;
  /** Appearance notes added to the prompt where the cameo appears. */
  description: string;
  tags: string[];
  parts: { likeness: boolean; voice: boolean };
  media: CameoMedia[];
  consent: ConsentRecord;
  /** Made here, or imported from someone else's bundle. */
  origin: 'created' | 'imported';
  state: CameoState;
  revokedAt: string | null;
  revokedReason: string | null;
  createdAt: string;
}

/** Who is asking to use a cameo: this install's user. */
export interface CameoUser {
  name: string;
  /** This install's signing key id (SHA-256 of the SPKI), compared with the cameo owner's. */
  keyId: string | null;
}

/** One logged use of a cameo (visible on the cameo). */
export interface CameoUseEntry {
  id: number;
  cameoId: string;
  consentId: string;
  part: CameoPart;
  projectDir: string;
  projectName: string;
  shotId: string | null;
  shotTitle: string | null;
  takeLabel: string | null;
  endpoint: string;
  /** 'generate', 'voice', 'export-override'. */
  purpose: string;
  at: string;
}

/** A cameo as the library lists it, with its derived status and use count. */
export interface CameoSummary extends Cameo {
  status: CameoStatus;
  useCount: number;
  /** Days left before expiry (null: no expiry). */
  daysLeft: number | null;
}
