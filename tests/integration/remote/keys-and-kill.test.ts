/**
 * A real `shotline studio` process on this keychain-less box, an endpoint whose key comes from
 * SHOTLINE_ENDPOINT_KEY_<NAME>:
 * - the planted key reaches the server (it is used) and nowhere else: not the library or
 *   project database files (WAL included), not the process output, not any API response;
 * - SIGKILL between the POST and the remote id's commit: after a restart the job finds its
 *   video in the server's list and finishes with zero duplicate submissions.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoint } from '../../../app/endpoints/types.js';
import type { Job } from '../../../app/jobs/types.js';
import type { ProjectSnapshot } from '../../../app/api/contract.js';
import { secondsToFlicks } from '../../../app/time/flicks.js';
import { startStudio, type StudioProcess } from '../../helpers/studio-process.js';
import { startFakeVideoService } from '../../helpers/fake-video-service.js';

const KEY = `sk-planted-${randomBytes(12).toString('hex')}`;

describe('endpoint keys and a kill between POST and commit (studio process)', () => {
  let server: Awaited<ReturnType<typeof startFakeVideoService>>;
  let tmp: string;
  let home: string;
  let project: string;
  const responses: string[] = [];
  const outputs: string[] = [];
  const auths = new Set<string>();

  /** Every call's raw response text is kept for the grep at the end. */
  async function call<T>(s: StudioProcess, method: string, input: unknown = {}): Promise<T> {
    const res = await fetch(`${s.url}/api/${method}`, { method: 'POST', headers: { 'x-shotline-token': s.token, 'content-type': 'application/json' }, body: JSON.stringify(input) });
    const text = await res.text();
    responses.push(text);
    const r = JSON.parse(text) as { ok: true; value: T } | { ok: false; error: { message: string } };
    if (!r.ok) throw Object.assign(new Error(`${method}: ${r.error.message}`), { error: r.error });
    return r.value;
  }
  async function waitJob(s: StudioProcess, id: string): Promise<Job> {
    for (;;) {
      const j = (await call<Job[]>(s, 'jobs.list')).find((x) => x.id === id);
      if (j && ['succeeded', 'failed', 'canceled'].includes(j.state)) return j;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  beforeAll(async () => {
    server = await startFakeVideoService({ token: KEY, delayMs: 200 });
    server.intercepts.push((req) => {
      auths.add(String(req.headers.authorization));
      return false;
    });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-keys-'));
    home = path.join(tmp, 'home');
    project = path.join(tmp, 'film');
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('kill between POST and commit → restart → one submission, the take arrives; the key appears nowhere', async () => {
    const env = { SHOTLINE_ENDPOINT_KEY_FARM: KEY };
    let studio = await startStudio({ home, env });
    let ep: Endpoint;
    let shotId: string;
    try {
      await call(studio, 'project.create', { dir: project, name: 'Film' });
      // Storing a key needs a keychain; the refusal must not echo the key back.
      await expect(call(studio, 'endpoints.add', { name: 'Farm', kind: 'openai-videos', baseUrl: server.url, apiKey: KEY })).rejects.toMatchObject({ error: { hint: expect.stringContaining('SHOTLINE_ENDPOINT_KEY_FARM=<key>') } });
      ep = await call<Endpoint>(studio, 'endpoints.add', { name: 'Farm', kind: 'openai-videos', baseUrl: server.url, pricePerSecond: 0.25 });
      expect(ep).toMatchObject({ hasKey: true, keySource: 'environment' });
      expect((await call<{ ok: boolean }>(studio, 'endpoints.test', { id: ep.id })).ok).toBe(true);
      const r = await call<{ patch: { shots: Record<string, unknown> } }>(studio, 'edit.apply', { command: 'shot.add', args: { fields: { title: 'Harbour', durationFlicks: secondsToFlicks(1), prompt: { subject: 'a harbour at night' } } } });
      shotId = Object.keys(r.patch.shots)[0]!;

      // The server accepts the job, then the app dies before it hears the answer.
      let posted!: () => void;
      const accepted = new Promise<void>((r) => (posted = r));
      server.intercepts.push((_req, res, route) => {
        if (route !== 'POST /v1/videos') return false;
        res.writeHead = (() => res) as never;
        res.end = (() => {
          posted();
          return res;
        }) as never;
        return false;
      });
      await call(studio, 'generation.start', { shotId, backendId: `openai-videos:${ep.id}` });
      await accepted;
      studio.child.kill('SIGKILL');
      await new Promise((r) => studio.child.once('exit', r));
      outputs.push(studio.output());
      server.intercepts.splice(1);
      expect(server.counts.get('POST /v1/videos')).toBe(1);
      expect(server.store.created).toBe(1);

      // The job row holds the key and the submitting phase, not the remote id.
      const db = new Database(path.join(project, 'project.shotline'), { readonly: true });
      const row = db.prepare("SELECT state, remote FROM jobs WHERE kind = 'generate'").get() as { state: string; remote: string };
      db.close();
      expect(row.state).toBe('running');
      expect(JSON.parse(row.remote)).toMatchObject({ phase: 'submitting', remoteId: null, idempotencyKey: expect.stringMatching(/^shotline-/) });

      studio = await startStudio({ home, env, project });
      const jobs = await call<Job[]>(studio, 'jobs.list');
      const done = await waitJob(studio, jobs.find((j) => j.kind === 'generate')!.id);
      expect(done.state).toBe('succeeded');
      expect(server.counts.get('POST /v1/videos')).toBe(1); // reconciled through GET /v1/videos, never re-sent
      expect(server.counts.get('GET /v1/videos')).toBeGreaterThanOrEqual(1);
      expect(server.store.created).toBe(1);
      const snap = await call<ProjectSnapshot>(studio, 'project.snapshot');
      const takes = Object.values(snap.state.takes).filter((t) => t.shotId === shotId);
      expect(takes).toHaveLength(1);
      const videoId = server.store.list('token', { limit: 10, order: 'desc' }).data[0]!.id;
      expect(snap.state.assets[takes[0]!.assetId]!.provenance).toMatchObject({ parameters: { remote: { videoId, costUsd: 0.25 } } });
      await call(studio, 'endpoints.list');
      await call(studio, 'generation.backends');
    } finally {
      await studio.stop();
      outputs.push(studio.output());
    }

    // Used: the server saw it as the bearer token.
    expect([...auths]).toContain(`Bearer ${KEY}`);
    // Nowhere else.
    const files = [home, project].flatMap((d) => walk(d)).filter((f) => /\.(sqlite|shotline)(-wal|-shm)?$/.test(f) || f.endsWith('.log'));
    expect(files.some((f) => f.endsWith('library.sqlite'))).toBe(true);
    expect(files.some((f) => f.endsWith('project.shotline'))).toBe(true);
    for (const f of files) expect(fs.readFileSync(f).includes(KEY), f).toBe(false);
    expect(responses.length).toBeGreaterThan(10);
    for (const r of responses) expect(r.includes(KEY)).toBe(false);
    for (const o of outputs) expect(o.includes(KEY)).toBe(false);
  }, 240_000); // two studio processes and a restart: minutes on a busy 2-core box
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
