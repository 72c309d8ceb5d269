/**
 * Remote generation benchmark: `npm run bench -- remote` (or `npx tsx bench/remote.bench.ts`).
 *
 * 1. Client overhead per job: Shotline's client (openai SDK + resumable streamed download)
 *    against the raw HTTP round trips the same job needs (fetch: POST, GET until completed,
 *    GET content to a file), same server, same run. Target ≤ 1.1×.
 * 2. Pool throughput: 8 takes through Shotline on a pool of 4 `/v1/videos` servers that sleep
 *    per job (one job at a time each) vs a pool of 1. Target ≥ 3.5×.
 * 3. Memory while downloading a 200 MB result: peak RSS growth during the download (streamed,
 *    not buffered: it should stay far below the file's size).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { VideosClient } from '../main/backends/openai-videos/client.js';
import { downloadResumable } from '../main/backends/openai-videos/download.js';
import { startVideosServer } from '../main/serve/http-server.js';
import type { MakeSpec, VideoMaker } from '../main/serve/video-store.js';
import { inProcessClient } from '../main/bridge/in-process.js';
import { ShotlineServices } from '../main/services/shotline.js';
import { secondsToFlicks } from '../app/time/flicks.js';
import { FAKE_CAPS } from '../tests/helpers/fake-video-service.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-bench-remote-'));
const clip = path.join(tmp, 'clip.mp4');
execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=24:duration=1', '-f', 'lavfi', '-i', 'sine=duration=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip]);

/**
 * A maker that copies a ready clip after `sleepMs` (a server whose GPU is the bottleneck),
 * reporting `progress` along the way in ten steps, as real servers (and `shotline serve`) do.
 */
function copyMaker(src: string, sleepMs: number): VideoMaker {
  return {
    models: async () => [{ id: 'bench', capabilities: FAKE_CAPS }],
    async make(_s: MakeSpec, out: string, thumb: string, onProgress: (pct: number) => void) {
      for (let i = 1; sleepMs && i <= 10; i++) {
        await new Promise((r) => setTimeout(r, sleepMs / 10));
        onProgress(i * 10);
      }
      await fs.promises.copyFile(src, out);
      await fs.promises.copyFile(src, thumb);
    },
  };
}
const TOKEN = 'bench-token-123456';

async function overhead(): Promise<void> {
  const server = await startVideosServer({ maker: copyMaker(clip, 0), token: TOKEN, concurrency: 4 });
  const N = 40;
  const body = JSON.stringify({ prompt: 'bench', seconds: '1', size: '320x180' });
  const auth = { authorization: `Bearer ${TOKEN}` };
  async function raw(i: number) {
    const v = (await (await fetch(`${server.url}/v1/videos`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': `raw-${i}` }, body })).json()) as { id: string; status: string };
    let s = v.status;
    while (s !== 'completed') s = ((await (await fetch(`${server.url}/v1/videos/${v.id}`, { headers: auth })).json()) as { status: string }).status;
    const res = await fetch(`${server.url}/v1/videos/${v.id}/content`, { headers: auth });
    await fs.promises.writeFile(path.join(tmp, `raw-${i}.mp4`), Buffer.from(await res.arrayBuffer()));
  }
  const client = new VideosClient(server.url, TOKEN);
  async function ours(i: number) {
    let v = await client.submitOnce({ op: 'create', params: { prompt: 'bench', seconds: '1', size: '320x180' } }, `ours-${i}`);
    while (v.status !== 'completed') v = await client.retrieve(v.id);
    await downloadResumable({ fetch: (from) => client.content(v.id, 'video', from) }, path.join(tmp, `ours-${i}.mp4`), { what: 'bench' });
  }
  // Warm both, then alternate rounds so load on the machine hits both alike.
  await raw(-1);
  await ours(-1);
  // Per-job times, alternating, so a load spike on this shared machine hits both alike; the
  // figure is the ratio of the medians (a spike in one round moves a sum, not a median).
  const raws: number[] = [];
  const ourss: number[] = [];
  for (let i = 0; i < N; i++) {
    let t = performance.now();
    await raw(i);
    raws.push(performance.now() - t);
    t = performance.now();
    await ours(i);
    ourss.push(performance.now() - t);
  }
  await server.close();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const [mRaw, mOurs] = [median(raws), median(ourss)];
  console.log(
    `client overhead: raw HTTP ${mRaw.toFixed(1)} ms/job, Shotline client ${mOurs.toFixed(1)} ms/job (medians of ${N}) → ${(mOurs / mRaw).toFixed(2)}× (target ≤ 1.1×); totals ${(sum(ourss) / sum(raws)).toFixed(2)}×`,
  );
}

async function pool(): Promise<void> {
  const SLEEP = 5000;
  const TAKES = 8;
  async function run(members: number): Promise<number> {
    const servers = await Promise.all(Array.from({ length: members }, () => startVideosServer({ maker: copyMaker(clip, SLEEP), token: TOKEN, concurrency: 1 })));
    const home = fs.mkdtempSync(path.join(tmp, 'home-'));
    const services = await ShotlineServices.create({ transport: 'in-process', userDataDir: home });
    const api = inProcessClient(services);
    const trace: string[] = [];
    let tStart = 0;
    if (process.env.BENCH_TRACE) services.subscribe((e) => e.type === 'job.updated' && e.job.kind === 'generate' && trace.push(`${((performance.now() - tStart) / 1000).toFixed(2)} ${e.job.id.slice(0, 4)} ${e.job.state} ${e.job.message}`));
    try {
      await api.call('project.create', { dir: path.join(home, 'film'), name: 'Bench' });
      for (let i = 0; i < members; i++) {
        process.env[`SHOTLINE_ENDPOINT_KEY_NODE_${i}`] = TOKEN;
        const ep = await api.call('endpoints.add', { name: `Node ${i}`, kind: 'openai-videos', baseUrl: servers[i]!.url, pool: 'bench', concurrency: 1 });
        await api.call('endpoints.test', { id: ep.id }); // reads the server's sizes and lengths
      }
      const r = await api.call('edit.apply', { command: 'shot.add', args: { fields: { title: 'B', durationFlicks: secondsToFlicks(1), prompt: { subject: 'bench' } } } });
      const shotId = Object.keys(r.patch.shots ?? {})[0]!;
      const t0 = performance.now();
      tStart = t0;
      const ids: string[] = [];
      for (let k = 0; k < TAKES; k += 4) ids.push(...(await api.call('generation.start', { shotId, backendId: 'pool:bench', takes: Math.min(4, TAKES - k), seed: k })).map((j) => j.id));
      for (;;) {
        const js = (await api.call('jobs.list', {})).filter((j) => ids.includes(j.id));
        if (js.every((j) => j.state === 'succeeded')) break;
        if (js.some((j) => j.state === 'failed')) throw new Error(JSON.stringify(js.find((j) => j.state === 'failed')!.error));
        await new Promise((res) => setTimeout(res, 100));
      }
      if (process.env.BENCH_TRACE) console.log([...new Set(trace)].join('\n'));
      return (performance.now() - t0) / 1000;
    } finally {
      await services.shutdown();
      for (const s of servers) await s.close();
    }
  }
  // BENCH_POOL_ONLY=1|4 runs one side only (with BENCH_TRACE: each job's steps, for finding where time goes).
  const only = process.env.BENCH_POOL_ONLY;
  const one = only === '4' ? NaN : await run(1);
  const four = only === '1' ? NaN : await run(4);
  console.log(`pool throughput (${TAKES} takes, server sleeps ${SLEEP} ms/job): 1 member ${one.toFixed(1)} s, 4 members ${four.toFixed(1)} s → ${(one / four).toFixed(2)}× (target ≥ 3.5×)`);
}

async function memory(): Promise<void> {
  const big = path.join(tmp, 'big.bin');
  const fd = fs.openSync(big, 'w');
  const chunk = Buffer.alloc(4 << 20, 0x5a);
  for (let i = 0; i < 50; i++) fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  const server = await startVideosServer({ maker: copyMaker(big, 0), token: TOKEN });
  const client = new VideosClient(server.url, TOKEN);
  let v = await client.submitOnce({ op: 'create', params: { prompt: 'big', seconds: '1', size: '320x180' } }, 'big');
  while (v.status !== 'completed') v = await client.retrieve(v.id);
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const bytes = await downloadResumable({ fetch: (from) => client.content(v.id, 'video', from) }, path.join(tmp, 'big-out.bin'), { what: 'bench' });
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  await server.close();
  const mb = (n: number) => (n / (1 << 20)).toFixed(0);
  console.log(`download of ${mb(bytes)} MB: peak RSS growth ${mb(peak - base)} MB (${((100 * (peak - base)) / bytes).toFixed(1)}% of the file), ${((bytes / (1 << 20)) / ((performance.now() - t0) / 1000)).toFixed(0)} MB/s`);
}

try {
  const parts = (process.env.BENCH_REMOTE_PARTS ?? 'overhead,memory,pool').split(',');
  if (parts.includes('overhead')) await overhead();
  if (parts.includes('memory')) await memory();
  if (parts.includes('pool')) await pool();
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
