/**
 * The Electron main bundle (build/build-electron.mjs) cannot be run here (no Electron binary),
 * but what it loads beside itself can be checked: every `new URL('./x', import.meta.url)` in the
 * bundled sources resolves next to main.cjs in a packaged app, so each such file must be there.
 * (The wasm ffmpeg worker and the inference worker once pointed at dist/electron/, where neither
 * was written: the desktop app could neither fall back to wasm ffmpeg nor generate locally.)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { shippedModelsDir } from '../../../main/backends/model-dirs.js';
import { APP_ROOT } from '../../../main/util/app-resources.js';
import type { FromWorker, ToWorker } from '../../../native/runner/protocol.js';

// Inside the app tree, as dist/electron is: the bundle finds node_modules (onnxruntime-node) above it.
fs.mkdirSync(path.join(APP_ROOT, 'dist'), { recursive: true });
const out = fs.mkdtempSync(path.join(APP_ROOT, 'dist', 'test-electron-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('electron main bundle', () => {
  it('has every file it loads beside itself', () => {
    execFileSync(process.execPath, [path.join(APP_ROOT, 'build/build-electron.mjs'), out], { cwd: APP_ROOT, stdio: 'pipe' });
    const bundle = fs.readFileSync(path.join(out, 'main.cjs'), 'utf8');
    const beside = [...bundle.matchAll(/new URL\("\.\/([^"]+)", __shotline_import_meta_url\)/g)].map((m) => m[1]!);
    expect(beside).toEqual(expect.arrayContaining(['wasm-worker.mjs', 'worker-entry.mjs']));
    for (const f of beside) expect(fs.existsSync(path.join(out, f)), `${f} beside main.cjs`).toBe(true);
  }, 120_000);

  it('its inference worker runs under plain Node (no tsx, no sources) and loads the shipped pack', async () => {
    const worker = new Worker(pathToFileURL(path.join(out, 'worker-entry.mjs')), { execArgv: [] });
    try {
      const reply = new Promise<FromWorker>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      worker.postMessage({ type: 'load', reqId: 1, packDir: path.join(shippedModelsDir(), 'shotline-shapes-tiny'), options: { provider: 'cpu', threads: 1 } } satisfies ToWorker);
      const msg = await reply;
      expect(msg.type, JSON.stringify(msg)).toBe('loaded');
      if (msg.type === 'loaded') expect(msg.info.provider).toBe('cpu');
    } finally {
      await worker.terminate();
    }
  }, 120_000);
});
