/** Does an imported file carry content credentials? Read once at import, recorded on the asset. */
import fs from 'node:fs';
import type { ImportedCredentials } from '../../app/model/types.js';
import { mimeOf } from '../../app/provenance/manifest.js';
import { readCredentialsFromBytes } from './verify.js';

/** Files above this are not read for a manifest at import (the reader needs the whole file in memory). */
const MAX_DETECT_BYTES = 512 * 1024 ** 2;
const READABLE = new Set(['video/mp4', 'video/quicktime', 'image/jpeg', 'image/png', 'image/webp', 'audio/wav', 'audio/mpeg', 'audio/mp4']);

export async function detectContentCredentials(file: string, nameForType: string, trustAnchorsPem: string[] = []): Promise<ImportedCredentials | undefined> {
  const format = mimeOf(nameForType);
  if (!READABLE.has(format)) return undefined;
  try {
    const st = await fs.promises.stat(file);
    if (st.size > MAX_DETECT_BYTES) return undefined;
    const r = await readCredentialsFromBytes(await fs.promises.readFile(file), format, trustAnchorsPem);
    if (r.state === 'none') return undefined;
    const m = r.manifests[0];
    return { state: r.state, title: m?.title ?? null, claimGenerator: m?.claimGenerator ?? null, signer: m?.signer ?? null };
  } catch {
    // A file the reader chokes on is still a fine media file: no badge, import goes on.
    return undefined;
  }
}
