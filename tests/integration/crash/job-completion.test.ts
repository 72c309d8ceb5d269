/**
 * A job that finished must be recorded as finished before the process stops: a CLI export
 * that succeeded used to stay `queued` (the queue's stop() re-queued it because its
 * bookkeeping still listed it as running), so every later open re-ran it over the file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Job } from '../../../app/jobs/types.js';
import { ROOT, startStudio } from '../../helpers/studio-process.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-jobdone-'));
const home = path.join(tmp, 'home');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function shotline(...args: string[]) {
  return spawnSync(process.execPath, [path.join(ROOT, 'bin/shotline.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, SHOTLINE_HOME: home }, timeout: 180_000 });
}

const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

function jobRows(dir: string): { id: string; kind: string; state: string; attempts: number }[] {
  const db = new Database(path.join(dir, 'project.shotline'), { readonly: true });
  try {
    return db.prepare('SELECT id, kind, state, attempts FROM jobs').all() as never;
  } finally {
    db.close();
  }
}

describe('job completion', () => {
  it('a finished CLI export is recorded as succeeded; reopening runs nothing and leaves the file alone', async () => {
    const dir = path.join(tmp, 'proj');
    const made = shotline('sample', dir);
    expect(made.status, made.stderr).toBe(0);
    const out = path.join(tmp, 'film.mp4');
    const exp = shotline('export', dir, '--preset', '720p-draft', '--out', out, '--overwrite');
    expect(exp.status, exp.stderr).toBe(0);

    const exports = jobRows(dir).filter((j) => j.kind === 'export');
    expect(exports.map((j) => j.state)).toEqual(['succeeded']);
    expect(jobRows(dir).filter((j) => j.state !== 'succeeded')).toEqual([]);

    const before = { hash: sha(out), mtime: fs.statSync(out).mtimeMs };
    const studio = await startStudio({ project: dir, home });
    try {
      // Give a (wrongly) resumed export every chance to start.
      await new Promise((r) => setTimeout(r, 1500));
      const jobs = await studio.ok<Job[]>('jobs.list');
      expect(jobs.filter((j) => j.state !== 'succeeded').map((j) => `${j.kind}:${j.state}`)).toEqual([]);
      expect(jobs.find((j) => j.kind === 'export')!.attempts).toBe(1);
    } finally {
      await studio.stop();
    }
    expect(fs.statSync(out).mtimeMs).toBe(before.mtime);
    expect(sha(out)).toBe(before.hash);
    expect(fs.readdirSync(tmp).filter((f) => f.includes('shotline-partial'))).toEqual([]);
  }, 240_000);
});
