/**
 * Where the files Shotline ships beside its code live (model packs, ComfyUI workflows, a bundled
 * ffmpeg). In the repository and in `npm`-run tools that is `<repo>/resources/`; a packaged
 * Electron app has them in `process.resourcesPath` (electron-builder's `extraResources`), which
 * the Electron shell passes on through SHOTLINE_RESOURCES_DIR before anything asks. Read at call
 * time, not import time: the shell's imports are evaluated before it can set the variable.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The app's own folder: the repository root (this file is main/util/). */
export const APP_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function resourcesDir(): string {
  return process.env.SHOTLINE_RESOURCES_DIR || path.join(APP_ROOT, 'resources');
}

/** A shipped folder by its name under resources/ (and under extraResources' `to`). */
export function shippedDir(name: 'models' | 'comfyui' | 'ffmpeg'): string {
  return path.join(resourcesDir(), name);
}
