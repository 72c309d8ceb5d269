/**
 * The cameo bundle and revocation file formats (docs/cameos.md), pure: what `bundle.json` and
 * `revocation.json` hold and how they are checked before anything is created. The signature
 * (ES256 over the exact bytes of the JSON file) and the zip are main's business.
 */
import { z } from 'zod';
import type { CameoMedia, ConsentRecord } from './types.js';

export const BUNDLE_FORMAT = 'shotline-cameo-bundle';
export const REVOCATION_FORMAT = 'shotline-cameo-revocation';
export const BUNDLE_VERSION = 1;

const sha = z.string().regex(/^[0-9a-f]{64}$/);
const signer = z.object({ keyId: sha, name: z.string().max(200), certificates: z.array(z.string().min(1)).min(1).max(8) }).strict();

const consentSchema = z
  .object({
    v: z.literal(1),
    id: z.string().min(1).max(64),
    cameoId: z.string().min(1).max(64),
    subject: z.string().min(1).max(200),
    audience: z.enum(['only-me', 'collaborators', 'anyone-shared']),
    collaborators: z.array(z.string().max(200)).max(50),
    covers: z.enum(['likeness', 'voice', 'both']),
    expiresOn: z.string().nullable(),
    signedName: z.string().min(1).max(200),
    signedOn: z.string(),
    self: z.boolean(),
    spokenSentence: z.string().max(500).nullable(),
    media: z.array(z.object({ role: z.enum(['source', 'still', 'voice', 'poster']), sha256: sha }).strict()).max(40),
    owner: z.object({ name: z.string().max(200), keyId: sha.nullable() }).strict(),
    createdAt: z.string(),
  })
  .strict();

export const bundleManifestSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    version: z.number().int(),
    cameo: z
      .object({ id: z.string().min(1).max(64), handle: z.string().min(1).max(40), name: z.string().min(1).max(200), description: z.string().max(2000), tags: z.array(z.string().max(60)).max(30) })
      .strict(),
    consent: consentSchema,
    media: z
      .array(z.object({ role: z.enum(['source', 'still', 'voice', 'poster']), sha256: sha, ext: z.string().regex(/^[a-z0-9]{1,8}$/), bytes: z.number().int().positive(), meta: z.record(z.string(), z.number()) }).strict())
      .min(1)
      .max(40),
    signer,
    createdAt: z.string(),
  })
  .strict();

export type BundleManifest = z.infer<typeof bundleManifestSchema>;

export const revocationSchema = z
  .object({
    format: z.literal(REVOCATION_FORMAT),
    version: z.number().int(),
    cameoId: z.string().min(1).max(64),
    consentRecordId: z.string().min(1).max(64),
    handle: z.string().max(40),
    revokedAt: z.string(),
    reason: z.string().max(500).nullable(),
    signer,
  })
  .strict();

export type RevocationRecord = z.infer<typeof revocationSchema>;

export const signatureSchema = z.object({ alg: z.literal('ES256'), keyId: sha, signature: z.string().min(1) }).strict();

/** The version gate first (a newer format may have other fields), then the shape; throws an Error with the reason. */
export function parseVersioned<T>(raw: unknown, schema: z.ZodType<T>, what: string): T {
  const v = (raw as { version?: unknown } | null)?.version;
  if (typeof v === 'number' && v > BUNDLE_VERSION) throw new Error(`This ${what} was made by a newer Shotline (format ${v}; this version reads ${BUNDLE_VERSION}). Update Shotline to import it.`);
  const r = schema.safeParse(raw);
  if (!r.success) throw new Error(`This is not a valid ${what}: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ')}.`);
  return r.data;
}

/** Every media file the manifest lists must be covered by the consent record, and the record must be this cameo's. */
export function checkBundleConsistency(m: BundleManifest): string | null {
  if (m.consent.cameoId !== m.cameo.id) return 'the consent record belongs to another cameo';
  if (m.consent.owner.keyId !== m.signer.keyId) return "the consent record's owner is not the key that signed the bundle";
  const covered = new Set(m.consent.media.map((x) => x.sha256));
  const loose = m.media.find((x) => !covered.has(x.sha256));
  return loose ? `the ${loose.role} file ${loose.sha256.slice(0, 12)}… is not covered by the consent record` : null;
}

export function mediaFromManifest(m: BundleManifest): CameoMedia[] {
  return m.media.map((x) => ({ role: x.role, sha256: x.sha256, ext: x.ext, bytes: x.bytes, meta: x.meta }));
}

export type { ConsentRecord };
