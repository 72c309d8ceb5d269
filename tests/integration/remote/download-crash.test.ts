/**
 * A download cut by SIGKILL continues after the restart: a real `shotline studio` process
 * downloads a finished video from a server that sends half of it and then stalls; the app is
 * killed while the half sits in the job's folder in the project. After the restart the job
 * re-attaches by its remote id, asks for the rest with `Range: bytes=<half>-`, checks the
 * joined file with ffprobe, and only then creates the take. Nothing is submitted twice and the
 * take's bytes are exactly the server's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoint } from '../../../app/endpoints/types.js';
import type { Job } from '../../../app/jobs/types.js';
import type { ProjectSnapshot } from '../../../app/api/contract.js';
import { secondsToFlicks } from '../../../app/time/flicks.js';
import { startStudio, type StudioProcess } from '../../helpers/studio-process.js';
import { startFakeVideoService } from '../../helpers/fake-video-service.js';
import { ffprobeJson } from '../../helpers/media-fixtures.js';

const KEY = 'sk-download-crash-0123456789';

describe('a download cut by SIGKILL resumes with Range after the restart', () => {
  let server: Awaited<ReturnType<typeof startFakeVideoService>>;
  let tmp: string;
  const ranges: (string | null)[] = [];

  beforeAll(async () => {
    server = await startFakeVideoService({ token: KEY, delayMs: 150 });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-dlcrash-'));
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function waitFor<T>(what: string, fn: () => T | null | undefined | Promise<T | null | undefined>, ms = 90_000): Promise<T> {
    const until = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('kill mid-download → restart → Range from the partial file, one submission, verified take', async () => {
    const home = path.join(tmp, 'home');
    const project = path.join(tmp, 'film');
    const env = { SHOTLINE_ENDPOINT_KEY_FARM: KEY };
    let studio: StudioProcess = await startStudio({ home, env });
    let half = 0;
    try {
      await studio.ok('project.create', { dir: project, name: 'Film' });
      const ep = await studio.ok<Endpoint>('endpoints.add', { name: 'Farm', kind: 'openai-videos', baseUrl: server.url });
      expect((await studio.ok<{ ok: boolean }>('endpoints.test', { id: ep.id })).ok).toBe(true); // its sizes and lengths
      const r = await studio.ok<{ patch: { shots: Record<string, unknown> } }>('edit.apply', { command: 'shot.add', args: { fields: { title: 'Pier', durationFlicks: secondsToFlicks(2), aspect: '16:9', prompt: { subject: 'a pier at dawn' } } } });
      const shotId = Object.keys(r.patch.shots)[0]!;

      // Every video download is recorded; the first sends half the file, then stalls.
      let stalled = false;
      server.intercepts.push((req, res, route) => {
        if (route !== 'GET /v1/videos/{id}/content' || /variant=thumbnail/.test(req.url ?? '')) return false;
        ranges.push(req.headers.range ?? null);
        if (stalled) return false;
        stalled = true;
        const id = /\/videos\/([^/]+)\/content/.exec(req.url ?? '')![1]!;
        const file = server.store.files('token', id)!.file;
        const data = fs.readFileSync(file);
        half = Math.floor(data.length / 2);
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': data.length });
        res.write(data.subarray(0, half)); // …and nothing more: the app is killed while it waits
        return true;
      });

      const [job] = await studio.ok<Job[]>('generation.start', { shotId, backendId: `openai-videos:${ep.id}` });
      const jobDir = path.join(project, 'media', '.jobs', job!.id);
      const part = await waitFor('the partial download', () => {
        const f = fs.existsSync(jobDir) ? fs.readdirSync(jobDir).find((n) => n.endsWith('.part')) : undefined;
        return f && half > 0 && fs.statSync(path.join(jobDir, f)).size === half ? path.join(jobDir, f) : null;
      });
      studio.child.kill('SIGKILL');
      await new Promise((r) => studio.child.once('exit', r));
      expect(fs.statSync(part).size).toBe(half);
      expect(ranges).toEqual([null]);

      studio = await startStudio({ home, env, project });
      const done = await waitFor('the job to end', async () => {
        const j = (await studio.ok<Job[]>('jobs.list')).find((x) => x.id === job!.id);
        return j && ['succeeded', 'failed', 'canceled'].includes(j.state) ? j : null;
      });
      expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
      // The second request asked for the rest, from the partial file's length.
      expect(ranges).toEqual([null, `bytes=${half}-`]);
      expect(server.counts.get('POST /v1/videos')).toBe(1);
      expect(server.store.created).toBe(1);
      expect(fs.existsSync(jobDir)).toBe(false); // the job's folder is gone once it ended

      // The take is the server's video, byte for byte, and a video ffprobe reads to its end.
      const snap = await studio.ok<ProjectSnapshot>('project.snapshot');
      const takes = Object.values(snap.state.takes).filter((t) => t.shotId === shotId);
      expect(takes).toHaveLength(1);
      const asset = snap.state.assets[takes[0]!.assetId]!;
      const videoId = (asset.provenance as unknown as { parameters: { remote: { videoId: string } } }).parameters.remote.videoId;
      const original = fs.readFileSync(server.store.files('token', videoId)!.file);
      expect(asset.sha256).toBe(createHash('sha256').update(original).digest('hex'));
      const probe = await ffprobeJson(path.join(project, asset.path));
      expect(probe.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
      expect(Number(probe.format.duration)).toBeCloseTo(2, 0);
      // Its poster is the server's thumbnail.
      expect(asset.derivatives.poster?.path).toMatch(/^media\/derived\/posters\/[0-9a-f]{64}\.jpg$/);
    } catch (e) {
      console.error(studio.output().slice(-3000), ranges, JSON.stringify(await studio.ok('jobs.list').catch(() => null)).slice(0, 3000));
      throw e;
    } finally {
      await studio.stop();
    }
  }, 300_000);
});
