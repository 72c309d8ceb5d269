/**
 * An endpoint pool of two `/v1/videos` servers: takes are spread to the least-loaded member
 * and each job stays on the member it was sent to; a member that stops answering is skipped
 * (its test fails) and used again once it answers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import type { Job } from '../../../app/jobs/types.js';
import { secondsToFlicks } from '../../../app/time/flicks.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { startFakeVideoService } from '../../helpers/fake-video-service.js';

describe('endpoint pool', () => {
  let a: Awaited<ReturnType<typeof startFakeVideoService>>;
  let b: Awaited<ReturnType<typeof startFakeVideoService>>;
  let tmp: string;
  let services: ShotlineServices;
  let api: ShotlineClient;
  const waitAll = async (ids: string[]): Promise<Job[]> => {
    for (;;) {
      const all = await api.call('jobs.list', {});
      const js = ids.map((id) => all.find((j) => j.id === id)!);
      if (js.every((j) => ['succeeded', 'failed', 'canceled'].includes(j.state))) return js;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  let n = 0;
  const shot = async () => Object.keys((await api.call('edit.apply', { command: 'shot.add', args: { fields: { title: `P${++n}`, durationFlicks: secondsToFlicks(1), prompt: { subject: `pool take ${n}` } } } })).patch.shots ?? {})[0]!;

  beforeAll(async () => {
    a = await startFakeVideoService({ token: 'pool-token-aaaa', delayMs: 300 });
    b = await startFakeVideoService({ token: 'pool-token-bbbb', delayMs: 300 });
    process.env.SHOTLINE_ENDPOINT_KEY_NODE_A = a.token;
    process.env.SHOTLINE_ENDPOINT_KEY_NODE_B = b.token;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-pool-'));
    services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home') });
    api = inProcessClient(services);
    await api.call('project.create', { dir: path.join(tmp, 'film'), name: 'Film' });
  });
  afterAll(async () => {
    delete process.env.SHOTLINE_ENDPOINT_KEY_NODE_A;
    delete process.env.SHOTLINE_ENDPOINT_KEY_NODE_B;
    await services?.shutdown();
    await a?.close();
    await b?.close().catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('spreads takes over healthy members, skips one that stops answering, uses it again when it is back', async () => {
    const epA = await api.call('endpoints.add', { name: 'Node A', kind: 'openai-videos', baseUrl: a.url, pool: 'farm', concurrency: 1 });
    const epB = await api.call('endpoints.add', { name: 'Node B', kind: 'openai-videos', baseUrl: b.url, pool: 'farm', concurrency: 1 });
    await api.call('endpoints.test', { id: epA.id });
    await api.call('endpoints.test', { id: epB.id });
    const listed = (await api.call('generation.backends', {})).find((x) => x.id === 'pool:farm');
    expect(listed).toMatchObject({ status: 'ready', label: 'Pool: farm (2 of 2 answering)' });

    const jobs = await api.call('generation.start', { shotId: await shot(), backendId: 'pool:farm', takes: 4 });
    // Two each; ids are random, so compare both sides sorted.
    expect(jobs.map((j) => j.resource).sort()).toEqual([`network:${epA.id}`, `network:${epA.id}`, `network:${epB.id}`, `network:${epB.id}`].sort());
    expect((await waitAll(jobs.map((j) => j.id))).map((j) => j.state)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect([a.store.created, b.store.created]).toEqual([2, 2]);

    // B goes away: its test fails, and new takes go to A only.
    const bPort = b.port;
    await b.close();
    expect((await api.call('endpoints.test', { id: epB.id })).ok).toBe(false);
    const onlyA = await api.call('generation.start', { shotId: await shot(), backendId: 'pool:farm', takes: 2 });
    expect(onlyA.map((j) => j.resource)).toEqual([`network:${epA.id}`, `network:${epA.id}`]);
    await waitAll(onlyA.map((j) => j.id));

    // B is back on its address: re-tested at the next start, and used again.
    b = await startFakeVideoService({ token: 'pool-token-bbbb', delayMs: 300, port: bPort });
    const again = await api.call('generation.start', { shotId: await shot(), backendId: 'pool:farm', takes: 2 });
    expect(again.map((j) => j.resource).sort()).toEqual([`network:${epA.id}`, `network:${epB.id}`].sort());
    expect((await waitAll(again.map((j) => j.id))).every((j) => j.state === 'succeeded')).toBe(true);
  }, 240_000); // four servers, several rounds of takes: slow on a busy 2-core box
});
