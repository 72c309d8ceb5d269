/**
 * The job queue against a real project database: a job's final state is on disk before
 * anyone hears about it, whatever the listener does next (close the project, stop).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Job } from '../../../app/jobs/types.js';
import { JobQueue } from '../../../main/jobs/queue.js';
import { ProjectStore } from '../../../main/store/project-store.js';
import { DEFAULT_SETTINGS } from '../../../main/services/shotline.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-queue-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('JobQueue', () => {
  it('a listener that stops the queue on the final event does not re-queue the finished job', async () => {
    const store = ProjectStore.create(path.join(tmp, 'a'), DEFAULT_SETTINGS);
    let stopping: Promise<void> | null = null;
    const queue: JobQueue = new JobQueue(
      store.db,
      { filmstrip: { resource: 'cpu', run: async () => ({ done: true }) } },
      { cpu: 1, gpu: 1, network: 1 },
      (job: Job) => {
        // What `shotline export` does: the moment it hears "succeeded", it shuts down.
        if (job.state === 'succeeded') stopping = queue.stop();
      },
    );
    queue.start();
    const job = queue.enqueue('filmstrip', 'x', {});
    await queue.waitFor(job.id);
    await stopping;
    const row = store.db.prepare('SELECT state, result FROM jobs WHERE id = ?').get(job.id) as { state: string; result: string };
    expect(row.state).toBe('succeeded');
    expect(JSON.parse(row.result)).toEqual({ done: true });
    store.close();
  });

  it('stop() leaves a job that is really still running queued, to resume on the next open', async () => {
    const store = ProjectStore.create(path.join(tmp, 'b'), DEFAULT_SETTINGS);
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const queue = new JobQueue(
      store.db,
      { filmstrip: { resource: 'cpu', run: ({ signal }) => (started(), new Promise((_, rej) => signal.addEventListener('abort', () => rej(signal.reason)))) } },
      { cpu: 1, gpu: 1, network: 1 },
      () => {},
    );
    queue.start();
    const job = queue.enqueue('filmstrip', 'x', {});
    await running;
    await queue.stop();
    await new Promise((r) => setTimeout(r, 10));
    expect((store.db.prepare('SELECT state FROM jobs WHERE id = ?').get(job.id) as { state: string }).state).toBe('queued');
    store.close();
  });

  it('a job that releases its resource lets the next one on that slot start while it finishes', async () => {
    const store = ProjectStore.create(path.join(tmp, 'c'), DEFAULT_SETTINGS);
    const log: string[] = [];
    let finishFirst!: () => void;
    const firstMayEnd = new Promise<void>((r) => (finishFirst = r));
    const queue = new JobQueue(
      store.db,
      {
        generate: {
          resource: 'network',
          run: async (ctx) => {
            const n = (ctx.job.payload as { n: number }).n;
            log.push(`start ${n}`);
            if (n === 1) {
              ctx.releaseResource(); // "downloaded": the rest is local
              await firstMayEnd;
            }
            log.push(`end ${n}`);
            return null;
          },
        },
      },
      { cpu: 1, gpu: 1, network: 1 },
      () => {},
    );
    queue.start();
    const a = queue.enqueue('generate', 'a', { n: 1 }, 'network:ep');
    const b = queue.enqueue('generate', 'b', { n: 2 }, 'network:ep');
    await queue.waitFor(b.id); // would wait forever if the slot (limit 1) were still held by a
    expect(log).toEqual(['start 1', 'start 2', 'end 2']);
    finishFirst();
    expect((await queue.waitFor(a.id)).state).toBe('succeeded');
    // Without a release, the slot's limit holds: c waits for d.
    log.length = 0;
    let finishD!: () => void;
    const dMayEnd = new Promise<void>((r) => (finishD = r));
    const q2 = new JobQueue(
      store.db,
      { generate: { resource: 'network', run: async (ctx) => (log.push(`start ${(ctx.job.payload as { n: string }).n}`), (ctx.job.payload as { n: string }).n === 'd' ? await dMayEnd : null, null) } },
      { cpu: 1, gpu: 1, network: 1 },
      () => {},
    );
    await queue.stop();
    q2.start();
    const d = q2.enqueue('generate', 'd', { n: 'd' }, 'network:ep2');
    const c = q2.enqueue('generate', 'c', { n: 'c' }, 'network:ep2');
    await new Promise((r) => setTimeout(r, 100));
    expect(log).toEqual(['start d']);
    finishD();
    await q2.waitFor(c.id);
    expect(log).toEqual(['start d', 'start c']);
    await q2.waitFor(d.id);
    await q2.stop();
    store.close();
  });
});
