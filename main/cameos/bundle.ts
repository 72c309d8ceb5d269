/**
 * Sharing cameos: a bundle is one zip (`.shotlinecameo`) with `bundle.json` (cameo, consent
 * record, media list with SHA-256s, the signer's certificates), `signature.json` (ES256 by this
 * install's signing key over the exact bytes of bundle.json) and `media/<sha256>.<ext>`.
 * A revocation file is a zip with `revocation.json` + `signature.json`, signed by the same key.
 *
 * Import checks everything before anything is created: format version, shape, signature,
 * signer = consent owner, every media file's hash, the consent covering every file, and that
 * the restrictions allow this user at all. Only then are files copied in and the cameo
 * committed in one transaction (nothing half-created). Restrictions are kept exactly as signed:
 * the record cannot be edited here, and only its owner may share it onwards.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  bundleManifestSchema,
  checkBundleConsistency,
  mediaFromManifest,
  parseVersioned,
  REVOCATION_FORMAT,
  revocationSchema,
  signatureSchema,
  type BundleManifest,
  type RevocationRecord,
} from '../../app/cameos/bundle-format.js';
import { checkCameoUse, isOwner } from '../../app/cameos/consent.js';
import type { Cameo } from '../../app/cameos/types.js';
import { ShotlineError } from '../../app/errors.js';
import { MADE_WITH_SHOTLINE } from '../../app/render/metadata.js';
import { loadCredentials } from '../provenance/credentials.js';
import { partsOf, type RevokeResult } from './library.js';
import type { CameoService } from './service.js';
import { makeOwnedTempDir } from '../util/scratch.js';

const MAX_BUNDLE_BYTES = 1024 ** 3;

/**
 * "Made with Shotline" as every export carries it (app/render/metadata.ts): a small text entry,
 * first in the zip and stored uncompressed, so re-exporting over an earlier bundle or revocation
 * file is routine for the overwrite guard (main/export/overwrite-guard.ts) while any other file
 * still needs the user's confirmation. Not signed and not read on import: a marker, not a claim.
 */
function madeWith(what: string): Record<string, [Uint8Array, { level: 0 }]> {
  return { 'shotline.txt': [strToU8(`${MADE_WITH_SHOTLINE}: ${what}. Import it in Shotline (Cameos); its signature covers ${what.startsWith('a cameo') ? 'bundle.json' : 'revocation.json'}, so do not edit it.\n`), { level: 0 }] };
}

const bad = (file: string, why: string, hint = 'Ask the owner to export the bundle again.') => new ShotlineError('invalid_input', `${path.basename(file)} cannot be imported: ${why}`, hint);

async function signer(cameos: CameoService): Promise<{ key: crypto.KeyObject; keyId: string; certificates: string[] }> {
  const creds = await loadCredentials({ userDataDir: cameos.store.userDataDir });
  const keyId = crypto.createHash('sha256').update(crypto.createPublicKey(creds.privateKey).export({ type: 'spki', format: 'der' })).digest('hex');
  return { key: creds.privateKey, keyId, certificates: creds.chainDer.map((d) => Buffer.from(d).toString('base64')) };
}

function sign(key: crypto.KeyObject, keyId: string, bytes: Uint8Array): Uint8Array {
  return strToU8(JSON.stringify({ alg: 'ES256', keyId, signature: crypto.sign('sha256', bytes, key).toString('base64') }, null, 2));
}

/** The signature over `bytes` is by the key in the signer's first certificate, and that key is `keyId`. */
function verify(file: string, bytes: Uint8Array, sigBytes: Uint8Array | undefined, s: { keyId: string; certificates: string[] }): void {
  if (!sigBytes) throw bad(file, 'it has no signature.');
  let sig;
  try {
    sig = signatureSchema.parse(JSON.parse(strFromU8(sigBytes)));
  } catch {
    throw bad(file, 'its signature file is damaged.');
  }
  let pub: crypto.KeyObject;
  try {
    pub = new crypto.X509Certificate(Buffer.from(s.certificates[0]!, 'base64')).publicKey;
  } catch {
    throw bad(file, "the signer's certificate cannot be read.");
  }
  const keyId = crypto.createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex');
  if (keyId !== s.keyId || sig.keyId !== s.keyId) throw bad(file, 'the signature is not by the key it names.', 'The file was altered after it was signed; do not use it.');
  if (!crypto.verify('sha256', bytes, pub, Buffer.from(sig.signature, 'base64'))) throw bad(file, 'the signature does not match its contents (the file was altered after it was signed).', 'Do not use it; ask the owner for a fresh copy.');
}

async function writeNew(outPath: string, bytes: Uint8Array, overwrite: boolean): Promise<void> {
  if (!overwrite && fs.existsSync(outPath)) throw new ShotlineError('project_exists', `${outPath} already exists.`, 'Choose another name, or allow replacing it.');
  const temp = `${outPath}.shotline-partial-${process.pid}`;
  await fs.promises.writeFile(temp, bytes);
  await fs.promises.rename(temp, outPath);
}

function readZip(file: string): Record<string, Uint8Array> {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new ShotlineError('not_found', `${file} could not be found.`);
  }
  if (st.size === 0) throw bad(file, 'the file is empty.');
  if (st.size > MAX_BUNDLE_BYTES) throw bad(file, `it is ${(st.size / 1024 ** 3).toFixed(1)} GB, more than a cameo bundle can be.`);
  try {
    return unzipSync(fs.readFileSync(file));
  } catch {
    throw bad(file, 'it is not a cameo bundle (not a zip file, or a damaged one).', 'Check that you picked the .shotlinecameo file.');
  }
}

export async function exportBundle(cameos: CameoService, cameoId: string, outPath: string, overwrite: boolean): Promise<{ outPath: string; bytes: number }> {
  const c = cameos.lib.require(cameoId);
  if (c.state === 'revoked') throw new ShotlineError('consent_refused', `@${c.handle} was revoked; it cannot be shared.`);
  const s = await signer(cameos);
  if (!isOwner(c, await cameos.user()) || (c.consent.owner.keyId && c.consent.owner.keyId !== s.keyId))
    throw new ShotlineError('consent_refused', `@${c.handle} belongs to ${c.consent.owner.name || 'someone else'}; only its owner can share it.`, 'Ask the owner to share it with the person directly.');
  if (!c.consent.owner.keyId) throw new ShotlineError('unsupported', `@${c.handle} was recorded before this install had a signing key, so no one could check a bundle of it.`, 'Record the cameo again to share it.');
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    cameo: { id: c.id, handle: c.handle, name: c.name, description: c.description, tags: c.tags },
    consent: c.consent,
    media: c.media.map((m) => ({ role: m.role, sha256: m.sha256, ext: m.ext, bytes: m.bytes, meta: m.meta as Record<string, number> })),
    signer: { keyId: s.keyId, name: c.consent.owner.name, certificates: s.certificates },
    createdAt: new Date().toISOString(),
  };
  const json = strToU8(JSON.stringify(manifest, null, 2));
  const files: Record<string, Uint8Array | [Uint8Array, { level: 0 }]> = { ...madeWith(`a cameo bundle of @${c.handle}`), 'bundle.json': json, 'signature.json': sign(s.key, s.keyId, json) };
  for (const m of c.media) files[`media/${m.sha256}.${m.ext}`] = [await fs.promises.readFile(cameos.lib.mediaPath(m)), { level: 0 }];
  const zip = zipSync(files);
  await writeNew(outPath, zip, overwrite);
  return { outPath, bytes: zip.length };
}

export async function importBundle(cameos: CameoService, file: string): Promise<Cameo> {
  const zip = readZip(file);
  const json = zip['bundle.json'];
  if (!json) throw bad(file, 'it has no bundle.json (is it a cameo bundle?).');
  let manifest: BundleManifest;
  try {
    manifest = parseVersioned(JSON.parse(strFromU8(json)), bundleManifestSchema, 'cameo bundle');
  } catch (e) {
    throw bad(file, (e as Error).message.replace(/^This /, 'this '), /newer/.test((e as Error).message) ? 'Update Shotline, then import it again.' : undefined);
  }
  verify(file, json, zip['signature.json'], manifest.signer);
  const problem = checkBundleConsistency(manifest);
  if (problem) throw bad(file, `${problem}.`);
  for (const m of manifest.media) {
    const bytes = zip[`media/${m.sha256}.${m.ext}`];
    if (!bytes) throw bad(file, `its ${m.role} file is missing.`);
    if (crypto.createHash('sha256').update(bytes).digest('hex') !== m.sha256) throw bad(file, `its ${m.role} file does not match the SHA-256 in the consent record (it was swapped or damaged).`, 'Do not use it; ask the owner for a fresh copy.');
  }
  if (cameos.lib.rows.revocation(manifest.cameo.id)) throw new ShotlineError('consent_refused', `@${manifest.cameo.handle} was revoked by its owner; it cannot be imported.`);
  const media = mediaFromManifest(manifest);
  const cameo: Cameo = {
    ...manifest.cameo,
    parts: partsOf(media),
    media,
    consent: manifest.consent,
    origin: 'imported',
    state: 'active',
    revokedAt: null,
    revokedReason: null,
    createdAt: new Date().toISOString(),
  };
  // The owner's restrictions hold here too: a cameo this user may not use is not imported at all.
  const user = await cameos.user();
  for (const part of ['likeness', 'voice'] as const) {
    if (!cameo.parts[part]) continue;
    const v = checkCameoUse(cameo, { part, user }, new Date());
    if (!v.ok && (v.reason === 'not_permitted' || v.reason === 'expired' || v.reason === 'not_yet_valid')) throw new ShotlineError('consent_refused', v.message, v.hint);
  }
  if (cameos.lib.rows.get(cameo.id)) throw new ShotlineError('project_exists', `@${cameo.handle} (${cameo.name}) is already in your library.`, 'Nothing was changed.');
  // All checked: copy the files in (by content), then one transaction.
  const staging = await makeOwnedTempDir('shotline-gen-');
  try {
    for (const m of manifest.media) {
      const tmp = path.join(staging, `${m.sha256}.${m.ext}`);
      fs.writeFileSync(tmp, zip[`media/${m.sha256}.${m.ext}`]!);
      const got = await cameos.lib.copyIn(tmp, m.ext, m.role);
      if (got.sha256 !== m.sha256) throw bad(file, `its ${m.role} file changed while it was imported.`);
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return cameos.lib.commit(cameo, cameo.createdAt);
}

export async function exportRevocation(cameos: CameoService, cameoId: string, outPath: string, overwrite: boolean): Promise<{ outPath: string; bytes: number }> {
  const c = cameos.lib.require(cameoId);
  const s = await signer(cameos);
  if (c.consent.owner.keyId !== s.keyId) throw new ShotlineError('consent_refused', `Only the owner of @${c.handle} can revoke it for everyone they shared it with.`, 'You can revoke it in your own library.');
  const record: RevocationRecord = {
    format: REVOCATION_FORMAT,
    version: BUNDLE_VERSION,
    cameoId: c.id,
    consentRecordId: c.consent.id,
    handle: c.handle,
    revokedAt: c.revokedAt ?? new Date().toISOString(),
    reason: c.revokedReason,
    signer: { keyId: s.keyId, name: c.consent.owner.name, certificates: s.certificates },
  };
  const json = strToU8(JSON.stringify(record, null, 2));
  const zip = zipSync({ ...madeWith(`a revocation of the cameo @${c.handle}`), 'revocation.json': json, 'signature.json': sign(s.key, s.keyId, json) });
  await writeNew(outPath, zip, overwrite);
  return { outPath, bytes: zip.length };
}

export async function importRevocation(cameos: CameoService, file: string): Promise<RevokeResult> {
  const zip = readZip(file);
  const json = zip['revocation.json'];
  if (!json) throw bad(file, 'it has no revocation.json (is it a revocation file?).');
  let r: RevocationRecord;
  try {
    r = parseVersioned(JSON.parse(strFromU8(json)), revocationSchema, 'revocation file');
  } catch (e) {
    throw bad(file, (e as Error).message.replace(/^This /, 'this '));
  }
  verify(file, json, zip['signature.json'], r.signer);
  const c = cameos.lib.rows.get(r.cameoId);
  if (c && c.consent.owner.keyId !== r.signer.keyId) throw bad(file, `it is not signed by the owner of @${c.handle}.`, 'Only the person who shared the cameo can revoke it.');
  cameos.lib.rows.putRevocation(r.cameoId, r, new Date().toISOString());
  if (!c) throw new ShotlineError('not_found', `@${r.handle} is not in your library; the revocation is kept, so it can never be imported.`);
  return cameos.revoke(c.id, r.reason ? `revoked by the owner: ${r.reason}` : 'revoked by the owner');
}
