/** Clip analyses main runs on request: loop-point search, stabilizer motion analysis. */
import type { MethodResult } from '@app/api/contract';
import { api } from '../client';
import { useJobs } from '../state/jobs';
import { reportError } from './errors';

/** Search the clip's source for a seamless loop; the answer's key names the result (null on failure, toast shown). */
export async function findLoopPoint(clipId: string, windowFrames: number): Promise<string | null> {
  try {
    return (await api().call('analysis.loopPoint', { clipId, windowFrames })).key;
  } catch (e) {
    reportError(e);
    return null;
  }
}

/** Queue the stabilizer's motion analysis for a clip (its job appears in the jobs store). */
export async function analyzeStabilize(clipId: string): Promise<void> {
  try {
    useJobs.getState().upsert(await api().call('stabilize.analyze', { clipId }));
  } catch (e) {
    reportError(e);
  }
}

let engine: Promise<MethodResult<'stabilize.engine'>> | null = null;

/** The session's stabilizer, asked once per page (it does not change under an open window). */
export function stabilizeEngine(): Promise<MethodResult<'stabilize.engine'>> {
  engine ??= api().call('stabilize.engine', {});
  engine.catch(() => {
    engine = null;
  });
  return engine;
}
