/**
 * SIGKILL inside the two narrow windows the first crash suite missed:
 *  - project creation (the file appears, then schema and settings are written): every kill must
 *    leave either no project or a whole one that opens;
 *  - job completion (the export's file is in place, the job not yet marked done): the resumed
 *    job must recognise its own output, succeed, and leave the file alone.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Job } from '../../../app/jobs/types.js';
import { ProjectStore } from '../../../main/store/project-store.js';
import { DEFAULT_SETTINGS } from '../../../main/services/shotline.js';
import { defaultTracks } from '../../../main/session/project-session.js';
import { ROOT, startStudio } from '../../helpers/studio-process.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-windows-'));
const home = path.join(tmp, 'home');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

/** Start `shotline studio --project dir` (which creates it) and SIGKILL it `delayMs` after the first project file shows up. */
async function killDuringCreation(dir: string, delayMs: number): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/shotline.mjs'), 'studio', '--port', '0', '--project', dir], {
    cwd: ROOT,
    env: { ...process.env, SHOTLINE_HOME: home, SHOTLINE_STUDIO_TOKEN: crypto.randomBytes(16).toString('hex') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const seen = new Promise<void>((resolve) => {
    const watcher = fs.watch(dir, (_e, name) => {
      if (name && name.includes('project.shotline')) {
        watcher.close();
        resolve();
      }
    });
    void exited.then(() => {
      watcher.close();
      resolve();
    });
  });
  await seen;
  await new Promise((r) => setTimeout(r, delayMs));
  child.kill('SIGKILL');
  await exited;
  return out;
}

describe('crash windows', () => {
  it('SIGKILL during project creation leaves no project or a whole one, never one that cannot be opened', async () => {
    const outcomes: string[] = [];
    for (const delayMs of [0, 1, 2, 4, 6, 8, 12, 20, 30, 40]) {
      const dir = path.join(tmp, `create-${delayMs}`);
      await killDuringCreation(dir, delayMs);
      const file = path.join(dir, 'project.shotline');
      if (!fs.existsSync(file)) {
        // Nothing half-made is visible as a project; creating it again works.
        expect(() => ProjectStore.open(dir)).toThrow(/not a Shotline project/);
        const again = ProjectStore.create(dir, DEFAULT_SETTINGS, defaultTracks());
        again.close();
        outcomes.push('none');
      } else {
        outcomes.push('whole');
      }
      // Whatever the kill left opens, with its settings and its two default tracks.
      const store = ProjectStore.open(dir);
      const state = store.loadState();
      expect(state.settings.fps).toEqual(DEFAULT_SETTINGS.fps);
      expect(Object.values(state.tracks).map((t) => t.kind).sort()).toEqual(['audio', 'video']);
      store.close();
      // Leftovers of the killed creation are gone once a project exists.
      expect(fs.readdirSync(dir).filter((f) => f.includes('.creating-'))).toEqual([]);
    }
    // The app opens what the kills left.
    const last = await startStudio({ project: path.join(tmp, 'create-40'), home });
    try {
      const snap = await last.ok<{ state: { tracks: Record<string, { kind: string }> } }>('project.snapshot');
      expect(Object.values(snap.state.tracks).map((t) => t.kind).sort()).toEqual(['audio', 'video']);
    } finally {
      await last.stop();
    }
    expect(outcomes).toHaveLength(10);
  }, 240_000);

  it('SIGKILL after the export file is in place but before its job is marked done: the resumed job succeeds without touching the file', async () => {
    const dir = path.join(tmp, 'export');
    const made = spawnSync(process.execPath, [path.join(ROOT, 'bin/shotline.mjs'), 'sample', dir], { env: { ...process.env, SHOTLINE_HOME: home }, encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const out = path.join(tmp, 'exports', 'film.mp4');
    fs.mkdirSync(path.dirname(out));

    const doomed = await startStudio({ project: dir, home, env: { SHOTLINE_FAULT_KILL: 'export-committed' } });
    const exited = new Promise<void>((r) => (doomed.child.exitCode !== null || doomed.child.signalCode ? r() : doomed.child.once('exit', () => r())));
    const job = await doomed.ok<Job>('export.start', { preset: '720p-draft', outPath: out });
    await exited;
    expect(doomed.child.signalCode).toBe('SIGKILL');
    // The window really was hit: the file is in place while the job row still says running.
    expect(fs.existsSync(out)).toBe(true);
    const db = new Database(path.join(dir, 'project.shotline'), { readonly: true });
    expect((db.prepare('SELECT state FROM jobs WHERE id = ?').get(job.id) as { state: string }).state).toBe('running');
    db.close();
    const before = { hash: sha(out), st: fs.statSync(out) };

    const again = await startStudio({ project: dir, home });
    try {
      let final: Job | undefined;
      for (let i = 0; i < 600; i++) {
        final = (await again.ok<Job[]>('jobs.list')).find((x) => x.id === job.id);
        if (final && ['succeeded', 'failed', 'canceled'].includes(final.state)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(final?.state, JSON.stringify(final?.error)).toBe('succeeded');
      expect(final!.attempts).toBe(2);
      expect((final!.result as { outPath: string }).outPath).toBe(out);
    } finally {
      await again.stop();
    }
    const after = fs.statSync(out);
    expect(after.ino).toBe(before.st.ino);
    expect(after.mtimeMs).toBe(before.st.mtimeMs);
    expect(sha(out)).toBe(before.hash);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['film.mp4']);
  }, 240_000);
});
