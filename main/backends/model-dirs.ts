/** Where local model packs are looked for: shipped resources, the user's models folder, SHOTLINE_MODELS_DIR. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The app's own folder (the repository, or the packaged app's resources root). */
export const APP_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHIPPED_MODELS_DIR = path.join(APP_ROOT, 'resources', 'models');

export function defaultModelDirs(userModelsDir?: string | null): string[] {
  const dirs = [SHIPPED_MODELS_DIR];
  if (userModelsDir) dirs.push(userModelsDir);
  if (process.env.SHOTLINE_MODELS_DIR) dirs.push(...process.env.SHOTLINE_MODELS_DIR.split(path.delimiter).filter(Boolean));
  return dirs;
}
