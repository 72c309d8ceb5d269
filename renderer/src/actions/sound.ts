/** Sound actions: voicing a shot's dialogue, the speech backends, the mix's loudness meter. */
import type { MethodInput, MethodResult } from '@app/api/contract';
import { api } from '../client';
import { useJobs } from '../state/jobs';
import { afterEdits } from './edit';

export function speechBackends(): Promise<MethodResult<'speech.backends'>> {
  return api().call('speech.backends', {});
}

/** Queues a 'voice' job after any edit still on its way (the lines just typed); returns its id. */
export async function voiceDialogue(input: MethodInput<'dialogue.voice'>): Promise<string> {
  const job = await afterEdits(() => api().call('dialogue.voice', input));
  useJobs.getState().upsert(job);
  return job.id;
}

/** Queues the meter's 'loudness' job for the current mix; returns its id. */
export async function measureLoudness(input: MethodInput<'export.measureLoudness'>): Promise<string> {
  const job = await afterEdits(() => api().call('export.measureLoudness', input));
  useJobs.getState().upsert(job);
  return job.id;
}
