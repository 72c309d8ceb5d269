/**
 * Generate jobs keep a work folder in the project (`media/.jobs/<job id>`, jobWorkDir): a remote
 * download in progress lives there so it survives a crash and resumes with Range. The job
 * removes it when it ends, but not when it never runs again (canceled while queued, a crash
 * between the end and the removal, a job whose row is gone in a copied or restored project):
 * those folders would stay forever, each possibly a half-downloaded video. Swept at open and
 * when a job ends. A folder whose job is queued or running is never touched: it may resume.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TERMINAL_STATES, type JobState } from '../../app/jobs/types.js';
import { JOBS_WORK_DIR, jobWorkDir } from './poster.js';

/** Removes the work folders whose job is gone or finished; returns the removed paths. */
export async function sweepJobWorkDirs(projectDir: string, stateOf: (jobId: string) => JobState | null): Promise<string[]> {
  const root = path.join(projectDir, JOBS_WORK_DIR);
  let names: string[];
  try {
    names = await fs.promises.readdir(root);
  } catch {
    return []; // no folder yet, or not readable: nothing to sweep
  }
  const removed: string[] = [];
  for (const name of names) {
    const state = stateOf(name);
    if (state !== null && !TERMINAL_STATES.includes(state)) continue; // may resume
    const full = path.join(root, name);
    try {
      await fs.promises.rm(full, { recursive: true, force: true });
      removed.push(full);
    } catch {
      /* read-only project or busy: next time */
    }
  }
  return removed;
}

/** A finished job's work folder (no-op when it has none). */
export async function removeJobWorkDir(projectDir: string, jobId: string): Promise<void> {
  await fs.promises.rm(jobWorkDir(projectDir, jobId), { recursive: true, force: true }).catch(() => {});
}
