/**
 * The persistent job queue for everything slow (derived media, export; later generate,
 * stabilize). Jobs live in the project's SQLite file, so a crash loses none: jobs that
 * were running are queued again on start. Each resource class has its own concurrency.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ShotlineError, serializeError } from '../../app/errors.js';
import { TERMINAL_STATES, type Job, type JobKind, type JobResource, type JobState, type ResourceClass } from '../../app/jobs/types.js';

export interface JobContext {
  job: Job;
  signal: AbortSignal;
  /** Report progress; cheap to call often (writes to disk are throttled). */
  progress(fraction: number, message?: string, etaSeconds?: number | null): void;
  /**
   * What an earlier attempt of this job saved with `save` before it was killed (null on a first
   * run): lets a resumed job notice that its predecessor already finished the work.
   */
  saved: unknown;
  /** Persist a small value now (synchronously, in the job's row) for a resumed attempt to read. */
  save(value: unknown): void;
  /**
   * The job's remote checkpoint (an idempotency key, a remote id): read back after a restart,
   * and written (committed at once, not throttled) the moment it changes.
   */
  remote: { get<T>(): T | null; set(value: unknown): void; others(): unknown[] };
  /**
   * Give the job's resource slot to the next queued job while this one finishes work that no
   * longer needs it (a remote take that has been downloaded: what is left is local checking
   * and import, and the endpoint can start the next take meanwhile).
   */
  releaseResource(): void;
}

export interface JobHandler {
  /** The default resource of this kind's jobs (enqueue may name a finer one, e.g. 'network:<endpoint>'). */
  resource: ResourceClass;
  run(ctx: JobContext): Promise<unknown>;
}

const PROGRESS_WRITE_INTERVAL_MS = 500;

interface JobRow {
  id: string; kind: string; state: string; resource: string; progress: number; eta_seconds: number | null;
  message: string; title: string; payload: string; result: string | null; error: string | null;
  attempts: number; created_at: string; updated_at: string;
}

function fromRow(r: JobRow): Job {
  return {
    id: r.id, kind: r.kind as JobKind, state: r.state as JobState, resource: r.resource as JobResource,
    progress: r.progress, etaSeconds: r.eta_seconds, message: r.message, title: r.title,
    payload: JSON.parse(r.payload), result: r.result ? JSON.parse(r.result) : null, error: r.error ? JSON.parse(r.error) : null,
    attempts: r.attempts, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export class JobQueue {
  private readonly running = new Map<string, AbortController>();
  private readonly waiters = new Map<string, ((job: Job) => void)[]>();
  private readonly lastWrite = new Map<string, number>();
  /** Running jobs that gave their slot back (releaseResource): they no longer count against it. */
  private readonly released = new Set<string>();
  private stopped = true;
  /** Concurrency of resources beyond the classes (a remote endpoint's slot); undefined: its class's. */
  private limits: (resource: string) => number | undefined = () => undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly handlers: Partial<Record<JobKind, JobHandler>>,
    private readonly concurrency: Record<ResourceClass, number>,
    private readonly onUpdate: (job: Job) => void,
  ) {}

  /** Re-queue jobs a crash left running, then start working. */
  start(): void {
    this.db.prepare("UPDATE jobs SET state = 'queued', message = 'Resuming after restart', updated_at = ? WHERE state = 'running'").run(now());
    this.stopped = false;
    this.pump();
  }

  /**
   * Stop taking work; running jobs are aborted and left queued so they resume next time.
   * Only rows still `running` are re-queued: a job whose result was already recorded stays
   * finished even if its bookkeeping (the `finally` below) has not run yet.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    const ids = [...this.running.keys()];
    for (const id of ids) this.running.get(id)?.abort(new ShotlineError('canceled', 'Project closed'));
    for (const id of ids) {
      this.db.prepare("UPDATE jobs SET state = 'queued', message = 'Will resume when the project is opened', updated_at = ? WHERE id = ? AND state = 'running'").run(now(), id);
    }
    this.running.clear();
    this.released.clear();
  }

  /** How many jobs may hold a resource like 'network:<endpoint>' at once. */
  setLimits(limits: (resource: string) => number | undefined): void {
    this.limits = limits;
    queueMicrotask(() => this.pump());
  }

  enqueue(kind: JobKind, title: string, payload: unknown, resource?: JobResource): Job {
    const handler = this.handlers[kind];
    if (!handler) throw new ShotlineError('unsupported', `No worker for ${kind} jobs.`);
    const t = now();
    const id = randomUUID();
    this.db
      .prepare("INSERT INTO jobs (id, kind, state, resource, progress, eta_seconds, message, title, payload, attempts, created_at, updated_at) VALUES (?, ?, 'queued', ?, 0, NULL, 'Waiting', ?, ?, 0, ?, ?)")
      .run(id, kind, resource ?? handler.resource, title, JSON.stringify(payload ?? null), t, t);
    const job = this.get(id)!;
    this.onUpdate(job);
    queueMicrotask(() => this.pump());
    return job;
  }

  get(id: string): Job | null {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row ? fromRow(row) : null;
  }

  list(limit = 200): Job[] {
    return (this.db.prepare('SELECT * FROM jobs ORDER BY created_at DESC LIMIT ?').all(limit) as JobRow[]).map(fromRow);
  }

  cancel(id: string): Job {
    const job = this.require(id);
    if (job.state === 'queued') return this.finish(id, 'canceled', { message: 'Canceled' });
    if (job.state === 'running') {
      this.running.get(id)?.abort(new ShotlineError('canceled', 'Canceled by the user'));
      return this.require(id);
    }
    return job;
  }

  retry(id: string): Job {
    const job = this.require(id);
    if (job.state !== 'failed' && job.state !== 'canceled') throw new ShotlineError('invalid_input', `Only failed or canceled jobs can be retried (this one is ${job.state}).`);
    this.db.prepare("UPDATE jobs SET state = 'queued', progress = 0, eta_seconds = NULL, error = NULL, result = NULL, message = 'Waiting', updated_at = ? WHERE id = ?").run(now(), id);
    const updated = this.require(id);
    this.onUpdate(updated);
    queueMicrotask(() => this.pump());
    return updated;
  }

  /** Resolves when the job reaches a terminal state. */
  waitFor(id: string): Promise<Job> {
    const job = this.require(id);
    if (TERMINAL_STATES.includes(job.state)) return Promise.resolve(job);
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      list.push(resolve);
      this.waiters.set(id, list);
    });
  }

  private require(id: string): Job {
    const job = this.get(id);
    if (!job) throw new ShotlineError('not_found', `Job ${id} does not exist.`);
    return job;
  }

  private limitOf(resource: JobResource): number {
    const cls = resource.split(':')[0] as ResourceClass;
    return this.limits(resource) ?? this.concurrency[resource as ResourceClass] ?? this.concurrency[cls] ?? 1;
  }

  private runningIn(resource: JobResource): number {
    let n = 0;
    for (const id of this.running.keys()) if (!this.released.has(id) && this.get(id)?.resource === resource) n++;
    return n;
  }

  private pump(): void {
    if (this.stopped) return;
    const queued = this.db.prepare("SELECT * FROM jobs WHERE state = 'queued' ORDER BY created_at, rowid").all() as JobRow[];
    for (const row of queued) {
      const job = fromRow(row);
      if (this.running.has(job.id)) continue;
      if (this.runningIn(job.resource) >= this.limitOf(job.resource)) continue;
      const handler = this.handlers[job.kind];
      if (!handler) continue;
      this.launch(job, handler);
    }
  }

  private launch(job: Job, handler: JobHandler): void {
    const controller = new AbortController();
    this.running.set(job.id, controller);
    this.db.prepare("UPDATE jobs SET state = 'running', attempts = attempts + 1, message = 'Starting', updated_at = ? WHERE id = ?").run(now(), job.id);
    const started = this.require(job.id);
    this.onUpdate(started);
    const ctx: JobContext = {
      job: started,
      signal: controller.signal,
      progress: (fraction, message, eta) => this.reportProgress(job.id, fraction, message, eta ?? null),
      // While a job runs, its `result` column holds what it saved; finish() overwrites it.
      saved: started.result,
      save: (value) => {
        if (this.running.get(job.id) === controller) this.db.prepare('UPDATE jobs SET result = ? WHERE id = ?').run(JSON.stringify(value ?? null), job.id);
      },
      remote: {
        get: <T>() => {
          const r = this.db.prepare('SELECT remote FROM jobs WHERE id = ?').get(job.id) as { remote: string | null } | undefined;
          return r?.remote ? (JSON.parse(r.remote) as T) : null;
        },
        set: (value) => {
          this.db.prepare('UPDATE jobs SET remote = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(value), now(), job.id);
        },
        others: () =>
          (this.db.prepare('SELECT remote FROM jobs WHERE id != ? AND remote IS NOT NULL').all(job.id) as { remote: string }[]).map((r) => JSON.parse(r.remote) as unknown),
      },
      releaseResource: () => {
        if (this.running.get(job.id) !== controller || this.released.has(job.id)) return;
        this.released.add(job.id);
        queueMicrotask(() => this.pump());
      },
    };
    handler
      .run(ctx)
      .then(
        (result) => {
          if (!this.running.has(job.id)) return; // stopped: stays queued
          // Leave the running set before the result is announced: a listener that reacts to
          // the final event (the CLI closing the project) must not see the job as running.
          this.running.delete(job.id);
          this.finish(job.id, 'succeeded', { result, progress: 1, message: 'Done' });
        },
        (err) => {
          if (!this.running.has(job.id)) return;
          this.running.delete(job.id);
          const canceled = controller.signal.aborted || (err instanceof ShotlineError && err.code === 'canceled');
          if (canceled) this.finish(job.id, 'canceled', { message: 'Canceled' });
          else this.finish(job.id, 'failed', { error: serializeError(err), message: serializeError(err).message });
        },
      )
      .finally(() => {
        if (this.running.get(job.id) === controller) this.running.delete(job.id);
        if (!this.running.has(job.id)) this.released.delete(job.id);
        this.lastWrite.delete(job.id);
        this.pump();
      });
  }

  private reportProgress(id: string, fraction: number, message: string | undefined, eta: number | null): void {
    if (!this.running.has(id)) return;
    const clamped = Math.max(0, Math.min(1, fraction));
    const t = Date.now();
    // Events go out on every report; the row is rewritten at most twice a second.
    if (t - (this.lastWrite.get(id) ?? 0) >= PROGRESS_WRITE_INTERVAL_MS) {
      this.lastWrite.set(id, t);
      this.db
        .prepare('UPDATE jobs SET progress = ?, eta_seconds = ?, message = COALESCE(?, message), updated_at = ? WHERE id = ?')
        .run(clamped, eta, message ?? null, now(), id);
    }
    const job = this.get(id);
    if (job) this.onUpdate({ ...job, progress: clamped, etaSeconds: eta, message: message ?? job.message });
  }

  private finish(id: string, state: JobState, f: { result?: unknown; error?: unknown; progress?: number; message: string }): Job {
    this.db
      .prepare('UPDATE jobs SET state = ?, result = ?, error = ?, progress = COALESCE(?, progress), eta_seconds = NULL, message = ?, updated_at = ? WHERE id = ?')
      .run(state, f.result === undefined ? null : JSON.stringify(f.result), f.error ? JSON.stringify(f.error) : null, f.progress ?? null, f.message, now(), id);
    const job = this.require(id);
    this.onUpdate(job);
    for (const w of this.waiters.get(id) ?? []) w(job);
    this.waiters.delete(id);
    return job;
  }
}

function now(): string {
  return new Date().toISOString();
}
