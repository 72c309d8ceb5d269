/** Finding model packs: every sub-folder of a models folder that holds a manifest.json. */
import fs from 'node:fs';
import path from 'node:path';
import { serializeError, type SerializedError } from '../../app/errors.js';
import { loadModelPack, MANIFEST_FILE, type LoadPackOptions, type ModelPack } from './load.js';

export interface FoundPack {
  dir: string;
  pack: ModelPack | null;
  /** Why the folder looks like a pack but cannot be used. */
  error: SerializedError | null;
}

/** Candidate pack folders under each root (a root that is itself a pack counts too), sorted by name. */
export function packFolders(roots: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const rootIn of roots) {
    const root = path.resolve(rootIn);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(root, { withFileTypes: true });
    } catch {
      continue;
    }
    const add = (d: string) => {
      if (!seen.has(d)) {
        seen.add(d);
        out.push(d);
      }
    };
    if (entries.some((e) => e.isFile() && e.name === MANIFEST_FILE)) add(root);
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!e.isDirectory() || e.name.startsWith('.')) continue;
      if (fs.existsSync(path.join(root, e.name, MANIFEST_FILE))) add(path.join(root, e.name));
    }
  }
  return out;
}

/** Load every pack under the roots; broken ones are reported with their error, not dropped. */
export async function discoverModelPacks(roots: readonly string[], opts: LoadPackOptions = {}): Promise<FoundPack[]> {
  const found: FoundPack[] = [];
  for (const dir of packFolders(roots)) {
    try {
      found.push({ dir, pack: await loadModelPack(dir, opts), error: null });
    } catch (e) {
      found.push({ dir, pack: null, error: serializeError(e) });
    }
  }
  return found;
}
