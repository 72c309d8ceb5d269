/**
 * `shotline serve` as a child process, serving the shipped model pack: driven with the
 * official `openai` SDK (create, retrieve, downloadContent, remix, list, delete) and then by
 * another Shotline as an `openai-videos` endpoint, whose take is the pack's real output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerateJobResult } from '../../../app/generation/jobs.js';
import type { Job } from '../../../app/jobs/types.js';
import { secondsToFlicks } from '../../../app/time/flicks.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { ffprobeJson } from '../../helpers/media-fixtures.js';
import { NO_PACK, PACK_DIR, REPO_ROOT, SHIPPED_MODELS } from '../generation/find-pack.js';

const TOKEN = 'serve-test-token-0123456789';

describe.skipIf(!PACK_DIR)('shotline serve (shipped pack) with the openai SDK and Shotline as client', () => {
  let child: ChildProcess;
  let out = '';
  let url: string;
  let tmp: string;
  let sdk: OpenAI;
  let model: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-serve-'));
    const args = [path.join(REPO_ROOT, 'bin/shotline.mjs'), 'serve', '--port', '0', '--token', TOKEN];
    if (!PACK_DIR!.startsWith(SHIPPED_MODELS)) args.push('--models', path.dirname(PACK_DIR!));
    child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, SHOTLINE_HOME: path.join(tmp, 'server-home') }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 60_000);
      child.stdout!.on('data', () => {
        const m = /Serving \/v1\/videos on (http:\/\/127\.0\.0\.1:\d+)\/v1 \(models: ([^)]+)\)/.exec(out);
        if (m) {
          clearTimeout(t);
          model = m[2]!.split(', ')[0]!;
          resolve(m[1]!);
        }
      });
      child.once('exit', (c) => reject(new Error(`serve exited (${c}):\n${out}`)));
    });
    sdk = new OpenAI({ baseURL: `${url}/v1`, apiKey: TOKEN, maxRetries: 0 });
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await done;
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function until(id: string) {
    for (;;) {
      const v = await sdk.videos.retrieve(id);
      if (v.status !== 'queued' && v.status !== 'in_progress') return v;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('prints only a loopback address and refuses a request without the token', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(out).not.toContain(TOKEN); // given on the command line: not echoed
    const res = await fetch(`${url}/v1/videos`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_api_key', type: 'invalid_request_error' } });
  });

  it('the openai SDK: create → retrieve → downloadContent → remix → list → delete', async () => {
    const models = await sdk.models.list();
    const caps = (models.data[0] as unknown as { capabilities: { sizes: { width: number; height: number }[]; durations: number[] } }).capabilities;
    const size = `${caps.sizes[0]!.width}x${caps.sizes[0]!.height}`;
    const v = await sdk.videos.create({ prompt: 'a red circle moves to the left', model: model as 'sora-2', size: size as '1280x720', seconds: String(caps.durations[0]) as '4' });
    const done = await until(v.id);
    expect(done).toMatchObject({ status: 'completed', progress: 100, size });
    const file = path.join(tmp, 'served.mp4');
    fs.writeFileSync(file, Buffer.from(await (await sdk.videos.downloadContent(v.id)).arrayBuffer()));
    const probe = await ffprobeJson(file);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: caps.sizes[0]!.width, height: caps.sizes[0]!.height });
    expect(Number(probe.format.duration)).toBeCloseTo(caps.durations[0]!, 0);

    const r = await sdk.videos.remix(v.id, { prompt: 'a blue circle moves to the left' });
    expect((await until(r.id)).status).toBe('completed');
    expect((await sdk.videos.list()).data.map((x) => x.id)).toEqual([r.id, v.id]);
    await sdk.videos.delete(r.id);
    expect((await sdk.videos.list()).data.map((x) => x.id)).toEqual([v.id]);
  });

  it('another Shotline adds it as an endpoint and generates a take through it', async () => {
    process.env.SHOTLINE_ENDPOINT_KEY_WORKSTATION = TOKEN;
    const services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'client-home') });
    try {
      const api = inProcessClient(services);
      await api.call('project.create', { dir: path.join(tmp, 'film'), name: 'Film' });
      const ep = await api.call('endpoints.add', { name: 'Workstation', kind: 'openai-videos', baseUrl: url, model });
      const test = await api.call('endpoints.test', { id: ep.id });
      expect(test).toMatchObject({ ok: true, message: expect.stringContaining('reported what it can make') });
      const [listed] = await api.call('endpoints.list', {});
      expect(listed!.capabilities).toMatchObject({ audio: false, operations: ['remix', 'extend', 'edit'] });
      const r = await api.call('edit.apply', { command: 'shot.add', args: { fields: { title: 'One', aspect: '1:1', durationFlicks: secondsToFlicks(listed!.capabilities.durations[0]!), prompt: { subject: 'a red circle', action: 'moves to the left' } } } });
      const shotId = Object.keys(r.patch.shots ?? {})[0]!;
      const [job] = await api.call('generation.start', { shotId, backendId: `openai-videos:${ep.id}` });
      let j: Job;
      for (;;) {
        j = (await api.call('jobs.list', {})).find((x) => x.id === job!.id)!;
        if (['succeeded', 'failed', 'canceled'].includes(j.state)) break;
        await new Promise((res) => setTimeout(res, 200));
      }
      expect(j.state, JSON.stringify(j.error)).toBe('succeeded');
      const snap = await api.call('project.snapshot', {});
      const asset = snap.state.assets[(j.result as GenerateJobResult).assetId]!;
      expect(asset.provenance).toMatchObject({ backend: 'openai-videos', parameters: { remote: { endpointName: 'Workstation' } } });
      const probe = await ffprobeJson(path.join(tmp, 'film', asset.path));
      expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: listed!.capabilities.sizes[0]!.width });
    } finally {
      delete process.env.SHOTLINE_ENDPOINT_KEY_WORKSTATION;
      await services.shutdown();
    }
  });
});

if (!PACK_DIR) console.warn(NO_PACK);
