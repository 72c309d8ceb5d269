// Bundles the Electron main process and preload into dist/electron/ (CommonJS, as a
// sandboxed preload must be a single file). Native modules stay external.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

// Where the bundle goes (a test builds into a scratch folder).
const outDir = process.argv[2] ?? 'dist/electron';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'info' };
await build({
  ...common,
  entryPoints: ['main/electron/main.ts'],
  outfile: path.join(outDir, 'main.cjs'),
  external: ['electron', 'better-sqlite3', 'onnxruntime-node', '@ffmpeg/core', 'bufferutil', 'utf-8-validate'],
  // Our sources use import.meta.url to find files; give the CJS bundle an equivalent.
  define: { 'import.meta.url': '__shotline_import_meta_url' },
  banner: { js: "const __shotline_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
});
await build({ ...common, entryPoints: ['main/electron/preload.ts'], outfile: path.join(outDir, 'preload.cjs'), external: ['electron'], sourcemap: false });
// The inference worker (native/runner/client.ts loads ./worker-entry.mjs beside itself): in the
// sources a bootstrap registers tsx and runs worker.ts; a packaged app has neither, so it gets
// the worker bundled (ESM, onnxruntime-node external) under the bootstrap's name.
await build({ ...common, format: 'esm', entryPoints: ['native/runner/worker.ts'], outfile: path.join(outDir, 'worker-entry.mjs'), external: ['onnxruntime-node'] });
// Files our sources load beside themselves (`new URL('./x', import.meta.url)`): in this bundle
// import.meta.url is main.cjs's, so they must sit beside it (checked by tests/integration/electron/bundle.test.ts).
for (const f of ['main/media/wasm-worker.mjs']) fs.copyFileSync(f, path.join(outDir, path.basename(f)));
