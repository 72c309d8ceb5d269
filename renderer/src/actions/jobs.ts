import type { MethodInput, MethodResult } from '@app/api/contract';
import { api } from '../client';
import { useJobs } from '../state/jobs';
import { reportError } from './errors';

export async function cancelJob(jobId: string): Promise<void> {
  try {
    useJobs.getState().upsert(await api().call('jobs.cancel', { jobId }));
  } catch (e) {
    reportError(e);
  }
}

export async function retryJob(jobId: string): Promise<void> {
  try {
    useJobs.getState().upsert(await api().call('jobs.retry', { jobId }));
  } catch (e) {
    reportError(e);
  }
}

/** Start an export; throws so the dialog can show the error in place. */
export async function startExport(input: MethodInput<'export.start'>): Promise<string> {
  const job = await api().call('export.start', input);
  useJobs.getState().upsert(job);
  return job.id;
}

/** The export presets main offers (the built-in list when it cannot say). */
export function exportPresets(): Promise<MethodResult<'export.presets'>> {
  return api().call('export.presets', {});
}
