/** The persistent job queue's vocabulary, shared by main (runs jobs) and renderer (shows them). */
import type { SerializedError } from '../errors.js';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';
export type ResourceClass = 'cpu' | 'gpu' | 'network';
/** What a job holds while it runs: a class, or one remote endpoint's own slot ('network:<endpoint id>'). */
export type JobResource = ResourceClass | `network:${string}`;
/** Kinds known so far; later work adds generate, stabilize, analyze. */
export type JobKind = 'filmstrip' | 'peaks' | 'export' | 'stabilize' | 'generate' | 'analyze' | 'voice' | 'loudness';

export interface Job {
  id: string;
  kind: JobKind;
  state: JobState;
  resource: JobResource;
  /** 0..1 */
  progress: number;
  /** Seconds left, when the job can estimate it. */
  etaSeconds: number | null;
  /** What the job is doing now, for the UI. */
  message: string;
  title: string;
  payload: unknown;
  result: unknown;
  error: SerializedError | null;
  attempts: number;
  createdAt: string;
  updatedAt: string;
}

export const TERMINAL_STATES: readonly JobState[] = ['succeeded', 'failed', 'canceled'];
