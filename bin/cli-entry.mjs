// Which code the `shotline` command runs: the prebuilt bundle in dist/cli/ or the TypeScript
// sources through tsx. Plain .mjs, so Node runs it before any loader is registered.
//
// The bundle (`npm run build`, build/build-cli.mjs) starts without compiling ~230 TypeScript
// files: an export's own CPU drops by seconds (docs/benchmarks.md, "the CLI runs from a bundle").
// It is used only while it is fresh: dist/cli/manifest.json lists every source file that went
// into it (and package.json and the lock file, as zod is inlined) and when the build started, and
// one that is missing or was modified since then means the bundle is stale. A file touched since
// the build (a rebase or checkout rewrites files whose text is the same) is compared by content
// with the SHA-256 the manifest keeps, so the bundle stays in use until a file really differs.
// A clean clone (no dist/) and a working tree edited after the build both run the sources
// through tsx, so what runs is always the code on disk.
// SHOTLINE_CLI=source always runs the sources; SHOTLINE_CLI=bundle insists on a fresh bundle.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const BUNDLE_DIR = path.join('dist', 'cli');

/**
 * @param {string} root the package root (the folder holding bin/, main/, dist/)
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ kind: 'bundle', file: string } | { kind: 'source', file: string, reason: string }}
 */
export function chooseCliEntry(root, env = process.env) {
  const source = (reason) => ({ kind: 'source', file: path.join(root, 'main', 'cli', 'main.ts'), reason });
  const mode = env.SHOTLINE_CLI ?? '';
  if (mode === 'source') return source('SHOTLINE_CLI=source');
  if (mode !== '' && mode !== 'bundle') throw new Error(`SHOTLINE_CLI must be "source" or "bundle" (got "${mode}").`);
  const stale = staleness(root);
  if (!stale) return { kind: 'bundle', file: path.join(root, BUNDLE_DIR, 'main.mjs') };
  if (mode === 'bundle') throw new Error(`SHOTLINE_CLI=bundle, but ${stale}. Run \`npm run build\` first.`);
  return source(stale);
}

/** Why the bundle cannot be used, or null when it is fresh. */
function staleness(root) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(root, BUNDLE_DIR, 'manifest.json'), 'utf8'));
  } catch {
    return 'there is no CLI bundle (dist/cli/manifest.json)';
  }
  if (!fs.existsSync(path.join(root, BUNDLE_DIR, manifest.entry ?? ''))) return 'the CLI bundle is incomplete';
  for (const rel of manifest.inputs ?? []) {
    let mtime;
    try {
      mtime = fs.statSync(path.join(root, rel)).mtimeMs;
    } catch {
      return `${rel} is gone since the CLI bundle was built`;
    }
    // Same millisecond counts as newer: when in doubt, compare the text.
    if (mtime >= manifest.builtAt && !sameContent(path.join(root, rel), manifest.hashes?.[rel])) return `${rel} changed after the CLI bundle was built`;
  }
  return null;
}

/** Whether the file holds exactly the text the bundle was built from (no hash kept: assume not). */
function sameContent(file, sha256) {
  if (typeof sha256 !== 'string') return false;
  try {
    return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex') === sha256;
  } catch {
    return false;
  }
}
