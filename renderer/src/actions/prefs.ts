/** Preferences (ffmpeg path, model folders, …) and the backends they make available. */
import type { BackendInfo } from '@app/generation/types';
import type { MethodInput, MethodResult } from '@app/api/contract';
import { api } from '../client';

export function getPreferences(): Promise<MethodResult<'prefs.get'>> {
  return api().call('prefs.get', {});
}

/** Save a change; throws so the dialog can show the error beside the section. */
export function setPreferences(patch: MethodInput<'prefs.set'>): Promise<MethodResult<'prefs.set'>> {
  return api().call('prefs.set', patch);
}

/** The generation backends as main sees them now (re-scans model folders); empty if that fails. */
export function listBackends(): Promise<BackendInfo[]> {
  return api()
    .call('generation.backends', {})
    .catch(() => []);
}
