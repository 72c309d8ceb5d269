/**
 * The content-credentials step of an export (RunExportOptions.afterEncode): builds the manifest
 * from the project (app/provenance/manifest.ts), loads this installation's signer, and signs the
 * finished file before it is moved into place. A signing failure never loses the export: the
 * file is kept unsigned and the result says why.
 */
import path from 'node:path';
import type { ProjectState } from '../../app/model/types.js';
import { buildExportManifest, ingredientLabel, type ExportFacts } from '../../app/provenance/manifest.js';
import { loadCredentials } from './credentials.js';
import { c2pa } from './c2pa-wasm.js';
import { signFile } from './sign.js';

export interface CredentialsStepOptions {
  state: ProjectState;
  projectDir: string;
  userDataDir: string;
  facts: ExportFacts;
  noKeychain?: boolean;
}

export function contentCredentialsStep(o: CredentialsStepOptions): (partialPath: string) => Promise<{ warnings?: string[]; signedMs?: number }> {
  // Started now, while ffmpeg encodes: compiling c2pa's wasm (9 MB) and reading the signer take
  // ~0.2 s of the export's wall time otherwise spent after the encode. The same CPU either way.
  const ready = Promise.all([c2pa(), loadCredentials({ userDataDir: o.userDataDir, noKeychain: o.noKeychain })]);
  ready.catch(() => {}); // an export that fails first never signs; a failure here is reported below
  return async (partialPath) => {
    try {
      const plan = buildExportManifest(o.state, o.facts);
      const [, creds] = await ready;
      // Imported files that carry their own manifest become ingredients with it.
      const withManifests = Object.values(o.state.assets)
        .filter((a) => a.provenance.source === 'import' && a.provenance.contentCredentials && plan.ingredients.some((i) => i.assetId === a.id))
        .map((a) => ({ label: ingredientLabel(a), file: path.resolve(o.projectDir, a.path) }));
      const r = await signFile(partialPath, plan, creds, withManifests);
      return { ...(r.warning ? { warnings: [r.warning] } : {}), ...(r.signed ? { signedMs: Math.round(r.ms) } : {}) };
    } catch (e) {
      return { warnings: [`The export was not signed with content credentials: ${(e as Error).message}`] };
    }
  };
}
