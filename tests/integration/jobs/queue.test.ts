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
});
