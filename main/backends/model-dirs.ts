/** Where local model packs are looked for: shipped resources, the user's models folder, SHOTLINE_MODELS_DIR. */
import path from 'node:path';
import { APP_ROOT, shippedDir } from '../util/app-resources.js';

export { APP_ROOT };

/** The packs that ship with the app (resources/models, or the packaged app's resources). */
export function shippedModelsDir(): string {
  return shippedDir('models');
}

export function defaultModelDirs(userModelsDir?: string | null): string[] {
  const dirs = [shippedModelsDir()];
  if (userModelsDir) dirs.push(userModelsDir);
  if (process.env.SHOTLINE_MODELS_DIR) dirs.push(...process.env.SHOTLINE_MODELS_DIR.split(path.delimiter).filter(Boolean));
  return dirs;
}
