/**
 * Edits: every change to the project is one `edit.apply` command. The result's patch is
 * applied at once (the matching `project.changed` event re-applies it harmlessly), so
 * the UI never waits for the event stream to show a committed edit.
 */
import type { EditRequest, EditResult } from '@app/api/contract';
import { api } from '../client';
import { useProject } from '../state/project';
import { reportError } from './errors';

/** Apply one edit; on failure a toast explains it and the result is null. */
export async function edit(request: EditRequest): Promise<EditResult | null> {
  try {
    const res = await api().call('edit.apply', request);
    useProject.getState().patch(res.patch, res.history);
    return res;
  } catch (e) {
    reportError(e);
    return null;
  }
}

/** Ids an edit created in a collection (set in the patch, absent before). */
export function createdIds(res: EditResult | null, collection: 'shots' | 'clips' | 'takes', before: Record<string, unknown>): string[] {
  const cp = res?.patch[collection];
  if (!cp) return [];
  return Object.keys(cp).filter((id) => cp[id] !== null && !(id in before));
}

export async function undo(): Promise<void> {
  if (!useProject.getState().history.canUndo) return;
  try {
    const res = await api().call('edit.undo', {});
    useProject.getState().patch(res.patch, res.history);
  } catch (e) {
    reportError(e);
  }
}

export async function redo(): Promise<void> {
  if (!useProject.getState().history.canRedo) return;
  try {
    const res = await api().call('edit.redo', {});
    useProject.getState().patch(res.patch, res.history);
  } catch (e) {
    reportError(e);
  }
}
