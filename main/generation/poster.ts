/**
 * A generate job's files in the project: its work folder (a remote download in progress lives
 * there, so it survives a crash and resumes with Range), and the poster a remote server made
 * for the take, kept beside the media as `media/derived/posters/<asset sha>.<ext>`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PatchBuilder } from '../../app/commands/patch.js';
import type { ProjectSession } from '../session/project-session.js';
import { MEDIA_DIR } from '../store/project-store.js';

export const JOBS_WORK_DIR = `${MEDIA_DIR}/.jobs`;
export const POSTERS_DIR = `${MEDIA_DIR}/derived/posters`;

export function jobWorkDir(projectDir: string, jobId: string): string {
  return path.join(projectDir, JOBS_WORK_DIR, jobId.replace(/[^\w-]/g, '_'));
}

/** Copy the poster into the project and record it on the asset (a system patch: not an undoable edit). */
export async function attachPoster(session: ProjectSession, assetId: string, file: string): Promise<void> {
  const asset = session.state.assets[assetId];
  if (!asset || asset.derivatives.poster) return;
  const rel = `${POSTERS_DIR}/${asset.sha256}${path.extname(file)}`;
  const dest = path.join(session.dir, rel);
  await fs.promises.mkdir(path.dirname(dest), { recursive: true });
  await fs.promises.copyFile(file, `${dest}.tmp`);
  await fs.promises.rename(`${dest}.tmp`, dest);
  const current = session.state.assets[assetId];
  if (current) session.systemPatch(new PatchBuilder().set('assets', { ...current, derivatives: { ...current.derivatives, poster: { path: rel } } }).patch);
}
