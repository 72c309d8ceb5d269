/**
 * Signing a finished MP4 with a C2PA manifest (c2pa-rs in wasm, see c2pa-wasm.ts). Runs after
 * the encode, on the hidden partial file, so the file that appears at the target is already
 * signed. Ingredients that carry their own manifest are added from their bytes, so their
 * manifests travel inside ours; others are described by JSON only (title, format, id).
 *
 * The whole file is held in memory for signing (the wasm API takes the asset as one Blob):
 * files above MAX_SIGN_BYTES are left unsigned with a warning rather than risk the export.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildCoseSign1, COSE_ALG } from '../../app/provenance/cose.js';
import { mimeOf, type ManifestPlan } from '../../app/provenance/manifest.js';
import { asBlob, c2pa } from './c2pa-wasm.js';
import type { SigningCredentials } from './credentials.js';
import crypto from 'node:crypto';

export const MAX_SIGN_BYTES = 1.5 * 1024 ** 3;
/** COSE box size: headers and signature (~150 B) plus the certificates, with room to spare. */
const RESERVE_BASE = 2048;
/**
 * c2pa's verify-after-sign re-reads and re-hashes the whole signed file in wasm: ≈ 60 ms of CPU per
 * 9 s 1080p export (a third of the first signing's hashing). The signed bytes are the same
 * either way; what it would catch, a manifest c2pa itself cannot read back, is what
 * tests/integration/provenance (valid, trusted, tamper-evident exports) and `shotline verify` check.
 */
const SIGN_CONTEXT = JSON.stringify({ verify: { verify_after_sign: false } });

export interface SignableIngredient {
  label: string;
  /** The ingredient's file when it carries its own manifest (added from its bytes). */
  file?: string;
}

export interface SignResult {
  signed: boolean;
  bytes: number;
  ms: number;
  warning?: string;
}

export async function signFile(file: string, plan: ManifestPlan, creds: SigningCredentials, withManifests: SignableIngredient[] = []): Promise<SignResult> {
  const t0 = performance.now();
  const size = (await fs.promises.stat(file)).size;
  if (size > MAX_SIGN_BYTES) return { signed: false, bytes: size, ms: 0, warning: `The export is ${(size / 1024 ** 3).toFixed(1)} GB; content credentials are only written up to ${MAX_SIGN_BYTES / 1024 ** 3} GB.` };
  const lib = await c2pa();
  // Ingredients added from their bytes below must not also be in the JSON (they would appear twice).
  const fromBytes = new Set(withManifests.filter((i) => i.file).map((i) => i.label));
  const definition = { ...plan.definition, ingredients: plan.ingredients.filter((i) => !fromBytes.has(i.label)).map((i) => i.json) };
  const builder = lib.WasmBuilder.fromJson(JSON.stringify(definition), SIGN_CONTEXT);
  try {
    for (const ing of withManifests) {
      if (!ing.file) continue;
      const json = plan.ingredients.find((i) => i.label === ing.label)?.json;
      if (!json) continue;
      await builder.addIngredientFromBlob(JSON.stringify(json), mimeOf(ing.file), asBlob(await fs.promises.readFile(ing.file)));
    }
    const reserveSize = RESERVE_BASE + creds.chainDer.reduce((n, c) => n + c.length, 0);
    const signer = {
      alg: 'es256',
      reserveSize,
      sign: async (claim: Uint8Array) =>
        (await buildCoseSign1(claim, {
          alg: COSE_ALG.es256,
          certsDer: creds.chainDer,
          reserveSize,
          sign: async (tbs) => new Uint8Array(crypto.sign('sha256', tbs, { key: creds.privateKey, dsaEncoding: 'ieee-p1363' })),
        })) as Uint8Array<ArrayBuffer>,
    };
    const input = await fs.promises.readFile(file);
    const out = await builder.sign(signer, [], 'video/mp4', asBlob(input));
    // Same folder, temp name, rename: the file is either the unsigned or the signed one.
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.c2pa-${process.pid}`);
    await fs.promises.writeFile(tmp, out);
    await fs.promises.rename(tmp, file);
    return { signed: true, bytes: out.length, ms: performance.now() - t0 };
  } finally {
    builder.free();
  }
}
