/**
 * Generate jobs' work folders (`media/.jobs/<job id>`, a resumable download) are removed when
 * their job can never continue them: at open for jobs that are gone or finished, and when a job
 * ends (canceled while queued included). A folder whose job may still run is kept. Real
 * project file, real job rows, real folders.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobState } from '../../../app/jobs/types.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { sweepJobWorkDirs } from '../../../main/generation/job-workdirs.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { PROJECT_FILE } from '../../../main/store/project-store.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-jobdirs-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function workDir(project: string, id: string): string {
  const d = path.join(project, 'media', '.jobs', id);
  fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(d, 'download.part'), Buffer.alloc(4096, 7));
  return d;
}

describe('job work folders', () => {
  it('open removes those of finished and vanished jobs, keeps a queued one; ending a job removes its own', async () => {
    const services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home') });
    const api = inProcessClient(services);
    try {
      const project = path.join(tmp, 'film');
      await api.call('project.create', { dir: project, name: 'Work folders' });
      await api.call('project.close', {});
      // Rows as a crash or a copied project leaves them: finished jobs whose clean-up never ran,
      // and one still queued (a kind no worker takes here, so it stays queued while we look).
      const db = new Database(path.join(project, PROJECT_FILE));
      const insert = db.prepare("INSERT INTO jobs (id, kind, state, resource, progress, eta_seconds, message, title, payload, attempts, created_at, updated_at) VALUES (?, ?, ?, 'network', 0, NULL, '', 'Take', 'null', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
      for (const [id, state] of [['done-1', 'succeeded'], ['failed-1', 'failed'], ['canceled-1', 'canceled']] as const) insert.run(id, 'generate', state);
      insert.run('waiting-1', 'later', 'queued');
      db.close();
      const dirs = Object.fromEntries(['done-1', 'failed-1', 'canceled-1', 'vanished-1', 'waiting-1'].map((id) => [id, workDir(project, id)]));

      await api.call('project.open', { dir: project });
      for (const id of ['done-1', 'failed-1', 'canceled-1', 'vanished-1']) expect(fs.existsSync(dirs[id]!), id).toBe(false);
      expect(fs.readdirSync(dirs['waiting-1']!)).toEqual(['download.part']);

      // Canceled while queued: the job never runs again, so its folder goes.
      expect((await api.call('jobs.cancel', { jobId: 'waiting-1' })).state).toBe('canceled');
      for (let i = 0; i < 50 && fs.existsSync(dirs['waiting-1']!); i++) await new Promise((r) => setTimeout(r, 50));
      expect(fs.existsSync(dirs['waiting-1']!)).toBe(false);
    } finally {
      await services.shutdown();
    }
  }, 60_000);

  it('the sweep keeps folders of queued and running jobs and tolerates a project without any', async () => {
    const project = path.join(tmp, 'bare');
    fs.mkdirSync(project);
    expect(await sweepJobWorkDirs(project, () => null)).toEqual([]);
    const states: Record<string, JobState> = { q: 'queued', r: 'running', s: 'succeeded' };
    for (const id of ['q', 'r', 's', 'x']) workDir(project, id);
    const removed = await sweepJobWorkDirs(project, (id) => states[id] ?? null);
    expect(removed.map((p) => path.basename(p)).sort()).toEqual(['s', 'x']);
    expect(fs.readdirSync(path.join(project, 'media', '.jobs')).sort()).toEqual(['q', 'r']);
  });
});
