// Bundles the Node side of the `shotline` command (main/cli/main.ts and what it imports from
// main/, native/, app/) into dist/cli/ with esbuild, so the CLI starts without tsx compiling
// ~350 TypeScript modules at every start (docs/benchmarks.md, "the CLI runs from a bundle").
//
// - ESM with code splitting: every `await import()` of ours stays a separate chunk, so an export
//   still does not load the studio server, the generation backends or the verifier.
// - Packages stay external, so Node resolves them from node_modules as before: better-sqlite3's
//   and onnxruntime-node's native addons, @ffmpeg/core's and c2pa-wasm's .wasm files and tsx
//   (the inference worker's loader) are found where they are. Except the few pure-JS ones in
//   BUNDLED: zod alone is ~95 ESM files that Node would resolve, read and link one by one.
// - Our sources find files next to themselves through import.meta.url (workers, the package
//   root, model packs). In a bundle import.meta.url is the chunk's URL, so each source file's
//   `import.meta.url` is rewritten to its own original file URL, computed relative to the chunk
//   (so a moved checkout still works).
// - dist/cli/manifest.json lists the source files that went in, when the build started and each
//   one's SHA-256; bin/shotline.mjs uses the bundle only while none of them is newer, or newer but
//   with the same text (bin/cli-entry.mjs).
import { build } from 'esbuild';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// `--outdir DIR` (relative to the package root) builds elsewhere; tests use it. It must be inside
// the package, so that Node finds node_modules above it.
const outArg = process.argv.indexOf('--outdir');
const outdir = path.resolve(root, outArg > 0 ? process.argv[outArg + 1] : path.join('dist', 'cli'));
if (path.relative(root, outdir) === '' || path.relative(root, outdir).startsWith('..')) throw new Error(`--outdir must be inside ${root}`);
const startedAt = Date.now();

const BUNDLED = new Set(['zod', 'fflate']);

const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      return BUNDLED.has(name) ? undefined : { path: args.path, external: true };
    });
  },
};

const ownFileUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
      const rel = path.relative(outdir, args.path).split(path.sep).join('/');
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

await fs.promises.rm(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'main/cli/main.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  chunkNames: '[name]-[hash]', // beside main.mjs: the import.meta.url rewrite assumes every chunk is in dist/cli/
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  plugins: [externalPackages, ownFileUrl],
});

const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules/'));
// The lock file too: zod and fflate are inlined, so a dependency update must rebuild.
inputs.push('build/build-cli.mjs', 'package.json', 'package-lock.json');
// A file modified since the build started may differ from what esbuild read: no hash for it, so
// it counts as changed (the mtime test alone).
const hashes = {};
for (const rel of inputs) {
  const file = path.join(root, rel);
  if (fs.statSync(file).mtimeMs < startedAt) hashes[rel] = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
await fs.promises.writeFile(path.join(outdir, 'manifest.json'), JSON.stringify({ builtAt: startedAt, entry: 'main.mjs', inputs, hashes }, null, 1) + '\n');
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`CLI bundle: ${inputs.length} source files → ${path.relative(root, outdir)}/ (${(bytes / 1024).toFixed(0)} KiB, ${Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.mjs')).length} chunks) in ${Date.now() - startedAt} ms`);
