// Bundles the Electron main process and preload into dist/electron/ (CommonJS, as a
// sandboxed preload must be a single file). Native modules stay external.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'info' };
await build({
  ...common,
  entryPoints: ['main/electron/main.ts'],
  outfile: 'dist/electron/main.cjs',
  external: ['electron', 'better-sqlite3', 'onnxruntime-node', '@ffmpeg/core', 'bufferutil', 'utf-8-validate'],
  // Our sources use import.meta.url to find files; give the CJS bundle an equivalent.
  define: { 'import.meta.url': '__shotline_import_meta_url' },
  banner: { js: "const __shotline_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
});
await build({ ...common, entryPoints: ['main/electron/preload.ts'], outfile: 'dist/electron/preload.cjs', external: ['electron'], sourcemap: false });
