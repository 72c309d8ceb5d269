/**
 * Derived views of 'generate' jobs: which belong to a shot, what take each will become.
 * The job payload (app/generation/jobs.ts GeneratePayload) is read defensively, since a
 * job row may predate the current shape: only shotId, label, remixOf, seed and task are used.
 */
import { useMemo } from 'react';
import type { GeneratePayload } from '@app/generation/jobs';
import type { Job } from '@app/jobs/types';
import { useGeneration } from './generation';
import { useJobs } from './jobs';

export interface PendingTake {
  job: Job;
  shotId: string;
  label: string;
  seed: number | null;
  remixOf: string | null;
  task: string | null;
}

/** What a generate job's payload says about the take it makes, or null if it is not one. */
export function pendingTakeOf(job: Job): PendingTake | null {
  if (job.kind !== 'generate') return null;
  const p = job.payload as Partial<Pick<GeneratePayload, 'shotId' | 'label' | 'remixOf'>> & { request?: Partial<GeneratePayload['request']> } | null;
  if (!p || typeof p.shotId !== 'string') return null;
  return {
    job,
    shotId: p.shotId,
    label: typeof p.label === 'string' ? p.label : 'Take',
    seed: typeof p.request?.seed === 'number' ? p.request.seed : null,
    remixOf: typeof p.remixOf === 'string' ? p.remixOf : null,
    task: typeof p.request?.task === 'string' ? p.request.task : null,
  };
}

const takeNumber = (label: string) => Number(/(\d+)$/.exec(label)?.[1] ?? 0);

/**
 * Per shot, the takes being made (queued, running) and those that did not come out
 * (failed, canceled) unless dismissed; ordered by take number.
 */
export function usePendingTakesByShot(): Record<string, PendingTake[]> {
  const jobs = useJobs((s) => s.jobs);
  const dismissed = useGeneration((s) => s.dismissed);
  return useMemo(() => {
    const out: Record<string, PendingTake[]> = {};
    for (const j of Object.values(jobs)) {
      if (j.state === 'succeeded' || dismissed[j.id]) continue;
      const p = pendingTakeOf(j);
      if (p) (out[p.shotId] ??= []).push(p);
    }
    for (const list of Object.values(out)) list.sort((a, b) => takeNumber(a.label) - takeNumber(b.label) || a.job.createdAt.localeCompare(b.job.createdAt));
    return out;
  }, [jobs, dismissed]);
}

const NONE: PendingTake[] = [];

export function usePendingTakes(shotId: string): PendingTake[] {
  return usePendingTakesByShot()[shotId] ?? NONE;
}

/** Summary of a shot's generation in progress: how many, overall progress, longest ETA. */
export function summarize(pending: PendingTake[]): { active: number; failed: number; progress: number; eta: number | null } {
  const active = pending.filter((p) => p.job.state === 'queued' || p.job.state === 'running');
  const failed = pending.filter((p) => p.job.state === 'failed').length;
  const progress = active.length ? active.reduce((s, p) => s + p.job.progress, 0) / active.length : 0;
  // Jobs on the gpu class run one at a time: the shot is done when the sum of what is left is.
  let eta: number | null = null;
  for (const p of active) {
    if (p.job.state === 'running' && p.job.etaSeconds !== null) eta = (eta ?? 0) + p.job.etaSeconds;
  }
  const running = active.find((p) => p.job.state === 'running' && p.job.etaSeconds !== null && p.job.progress > 0.05);
  if (eta !== null && running) {
    // Queued takes of the same request take about as long as the running one in total.
    const perTake = running.job.etaSeconds! / Math.max(0.05, 1 - running.job.progress);
    eta += perTake * active.filter((p) => p.job.state === 'queued').length;
  }
  return { active: active.length, failed, progress, eta };
}
