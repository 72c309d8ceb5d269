/**
 * The main-thread side of the local runner: one worker thread (started on first use, kept
 * while the process lives, restarted if it dies), requests serialised, progress per step,
 * cancel within one step. The worker does not keep the process alive while idle.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { ShotlineError } from '../../app/errors.js';
import type { FromWorker, GenerateParams, GenerateStats, LoadInfo, RunnerOptions, ToWorker } from './protocol.js';

const WORKER_URL = new URL('./worker-entry.mjs', import.meta.url);
/** After a cancel, how long the worker gets to stop at the next step boundary before it is terminated. */
const CANCEL_GRACE_MS = 20_000;

export interface GenerateCallbacks {
  signal?: AbortSignal;
  onStep?: (step: number, total: number, elapsedSeconds: number) => void;
}

export interface RunnerResult {
  /** RGB uint8 [F, H, W, 3]. */
  frames: Uint8Array;
  latent: Float32Array | null;
  stats: GenerateStats;
  load: LoadInfo;
}

interface Pending {
  resolve: (m: FromWorker) => void;
  reject: (e: unknown) => void;
  onProgress?: (m: Extract<FromWorker, { type: 'progress' }>) => void;
}

export function defaultThreadCount(): number {
  const env = Number(process.env.SHOTLINE_ORT_THREADS);
  if (Number.isInteger(env) && env > 0) return env;
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

export class OnnxRunner {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private chain: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private readonly options: Required<Pick<RunnerOptions, 'threads'>> & RunnerOptions;

  constructor(options: RunnerOptions = {}) {
    this.options = { ...options, threads: options.threads ?? defaultThreadCount() };
  }

  /** The worker's thread id while one runs (tests use it to check work happens off the main thread). */
  get workerThreadId(): number | null {
    return this.worker?.threadId ?? null;
  }

  private ensureWorker(): Worker {
    if (this.disposed) throw new ShotlineError('internal', 'The local generation runner was shut down.');
    if (this.worker) return this.worker;
    const w = new Worker(WORKER_URL);
    w.unref();
    w.on('message', (m: FromWorker) => {
      const p = this.pending.get(m.reqId);
      if (!p) return;
      if (m.type === 'progress') return p.onProgress?.(m);
      this.pending.delete(m.reqId);
      this.refresh();
      if (m.type === 'error') p.reject(new ShotlineError(m.error.code, m.error.message, m.error.hint));
      else p.resolve(m);
    });
    const died = (why: string) => {
      if (this.worker !== w) return;
      this.worker = null;
      const err = new ShotlineError('internal', `The generation worker stopped unexpectedly (${why}).`, 'Try again; if it keeps happening, run `shotline doctor`.');
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(err);
      }
    };
    w.on('error', (e) => died(e.message));
    w.on('exit', (code) => died(`exit code ${code}`));
    this.worker = w;
    return w;
  }

  /** Keep the process alive only while a request is in flight. */
  private refresh(): void {
    if (!this.worker) return;
    if (this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  private request(msg: ToWorker, onProgress?: Pending['onProgress'], transfer: ArrayBuffer[] = []): Promise<FromWorker> {
    const w = this.ensureWorker();
    return new Promise<FromWorker>((resolve, reject) => {
      this.pending.set(msg.reqId, { resolve, reject, onProgress });
      this.refresh();
      w.postMessage(msg, transfer);
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => {});
    return run;
  }

  /**
   * Force an execution provider from now on (null: SHOTLINE_EP, else automatic). The worker
   * keys its sessions by provider, so the next load or generate creates sessions for it.
   */
  setProvider(provider: string | null): void {
    this.options.provider = provider;
  }

  get provider(): string | null {
    return this.options.provider ?? null;
  }

  /** Load (or find cached) sessions for a pack; tells which execution provider runs it. */
  load(packDir: string): Promise<LoadInfo> {
    return this.serial(async () => {
      const m = await this.request({ type: 'load', reqId: this.nextId++, packDir, options: this.options });
      return (m as Extract<FromWorker, { type: 'loaded' }>).info;
    });
  }

  /** Generate one clip. Rejects with ShotlineError('canceled') within one step of `signal` aborting. */
  generate(packDir: string, params: GenerateParams, cb: GenerateCallbacks = {}): Promise<RunnerResult> {
    return this.serial(async () => {
      if (cb.signal?.aborted) throw new ShotlineError('canceled', 'Generation canceled.');
      const reqId = this.nextId++;
      const cancel = new SharedArrayBuffer(4);
      const flag = new Int32Array(cancel);
      let killTimer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        Atomics.store(flag, 0, 1);
        this.worker?.postMessage({ type: 'cancel', reqId } satisfies ToWorker);
        // A step that never returns (a hung GPU driver) must not hold the job forever.
        killTimer = setTimeout(() => {
          const p = this.pending.get(reqId);
          if (!p) return;
          this.pending.delete(reqId);
          const w = this.worker;
          this.worker = null;
          void w?.terminate();
          p.reject(new ShotlineError('canceled', 'Generation canceled (the worker was stopped).'));
        }, CANCEL_GRACE_MS);
        killTimer.unref();
      };
      cb.signal?.addEventListener('abort', onAbort, { once: true });
      const transfer: ArrayBuffer[] = [];
      // Copies, so the caller's buffers stay usable.
      const condFrame = params.condFrame ? Uint8Array.from(params.condFrame) : null;
      const init = params.init ? { frames: Uint8Array.from(params.init.frames), strength: params.init.strength } : null;
      if (condFrame) transfer.push(condFrame.buffer);
      if (init) transfer.push(init.frames.buffer);
      try {
        const m = await this.request(
          { type: 'generate', reqId, packDir, options: this.options, params: { ...params, condFrame, init }, cancel },
          (p) => cb.onStep?.(p.step, p.total, p.elapsedSeconds),
          transfer,
        );
        const done = m as Extract<FromWorker, { type: 'done' }>;
        return { frames: done.frames, latent: done.latent, stats: done.stats, load: done.load };
      } finally {
        cb.signal?.removeEventListener('abort', onAbort);
        if (killTimer) clearTimeout(killTimer);
      }
    });
  }

  /** Release the sessions (the worker stays). */
  unload(): Promise<void> {
    if (!this.worker) return Promise.resolve();
    return this.serial(async () => {
      await this.request({ type: 'unload', reqId: this.nextId++ });
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
