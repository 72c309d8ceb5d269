/**
 * Messages between the main thread (client.ts) and the inference worker (worker.ts).
 * Frames travel as transferred ArrayBuffers; cancel is a SharedArrayBuffer flag the worker
 * reads before every denoiser call (so it needs no message turn), plus a message.
 */
import type { SerializedError } from '../../app/errors.js';

export interface RunnerOptions {
  /** Force an execution provider ('cuda', 'cpu', …); default SHOTLINE_EP, else automatic. */
  provider?: string | null;
  /** onnxruntime intra-op threads (default SHOTLINE_ORT_THREADS, else min(4, cores)). */
  threads?: number;
}

export interface GenerateParams {
  prompt: string;
  seed: number;
  steps: number;
  guidance: number;
  /** Image-to-video: one RGB frame at the model's size, [H, W, 3]. */
  condFrame?: Uint8Array | null;
  /** Remix: the source clip at the model's size and frame count, [F, H, W, 3]. */
  init?: { frames: Uint8Array; strength: number } | null;
  /** Also return the final float sample (tests compare it with golden.json). */
  returnLatent?: boolean;
}

export interface LoadInfo {
  pack: string;
  provider: string;
  attempts: { provider: string; error: string }[];
  threads: number;
  loadSeconds: number;
  /** False when the sessions were already cached in the worker. */
  fresh: boolean;
}

export interface GenerateStats {
  provider: string;
  seconds: number;
  denoiseSeconds: number;
  stepsRun: number;
  timesteps: number[];
}

export type ToWorker =
  | { type: 'load'; reqId: number; packDir: string; options: RunnerOptions }
  | { type: 'generate'; reqId: number; packDir: string; options: RunnerOptions; params: GenerateParams; cancel: SharedArrayBuffer }
  | { type: 'cancel'; reqId: number }
  | { type: 'unload'; reqId: number };

export type FromWorker =
  | { type: 'loaded'; reqId: number; info: LoadInfo }
  | { type: 'progress'; reqId: number; step: number; total: number; elapsedSeconds: number }
  | { type: 'done'; reqId: number; frames: Uint8Array; latent: Float32Array | null; stats: GenerateStats; load: LoadInfo }
  | { type: 'unloaded'; reqId: number }
  | { type: 'error'; reqId: number; error: SerializedError };
