/**
 * Vite config for the renderer (React 19). One build serves every host: Electron loads
 * dist/renderer/index.html from disk and `shotline studio` serves the same files over
 * HTTP, so asset URLs are relative (base './').
 *
 *   npx vite build --config build/vite.renderer.config.ts
 *
 * For UI work against a running studio server, `vite --config build/vite.renderer.config.ts`
 * proxies the API, upload, media and event socket to SHOTLINE_STUDIO_URL
 * (default http://127.0.0.1:5174). Open the studio URL once first so its auth cookie exists.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('../renderer/', import.meta.url));
// `@app/…` is the renderer's one way into app/ (tsconfig paths, vitest and eslint agree).
const appDir = fileURLToPath(new URL('../app/', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/renderer/', import.meta.url));
const studio = process.env.SHOTLINE_STUDIO_URL ?? 'http://127.0.0.1:5174';

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  resolve: { alias: [{ find: /^@app\//, replacement: appDir }] },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': studio,
      '/upload': studio,
      '/media': studio,
      '/events': { target: studio.replace(/^http/, 'ws'), ws: true },
    },
  },
});
