/** Generating takes: listing backends, starting generations and remixes. */
import type { MethodInput } from '@app/api/contract';
import type { Job } from '@app/jobs/types';
import { api } from '../client';
import { useGeneration } from '../state/generation';
import { useJobs } from '../state/jobs';
import { toSerialized } from './errors';

let inflight: Promise<void> | null = null;

/** List the backends (re-scans model folders on main; a pack dropped in shows up). */
export function loadBackends(): Promise<void> {
  if (inflight) return inflight;
  const store = useGeneration.getState();
  store.setBackends({ loading: true });
  inflight = api()
    .call('generation.backends', {})
    .then((backends) => useGeneration.getState().setBackends({ backends, loading: false, error: null }))
    .catch((e: unknown) => useGeneration.getState().setBackends({ loading: false, error: toSerialized(e) }))
    .finally(() => {
      inflight = null;
    });
  return inflight;
}

/** Queue the takes; throws (a ShotlineError) so the panel can show the problem in place. */
export async function startGeneration(input: MethodInput<'generation.start'>): Promise<Job[]> {
  const jobs = await api().call('generation.start', input);
  const store = useJobs.getState();
  for (const j of jobs) store.upsert(j);
  return jobs;
}
