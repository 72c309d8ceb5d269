/**
 * Edits: every change to the project is one `edit.apply` command. The result's patch is
 * applied at once (the matching `project.changed` event re-applies it harmlessly), so
 * the UI never waits for the event stream to show a committed edit.
 *
 * Edits go to main one at a time, in the order the user made them: a title typed into a
 * shot that "Add shot" just created must not reach main before the shot does (separate
 * HTTP requests in the studio may otherwise overtake each other).
 */
import type { EditRequest, EditResult } from '@app/api/contract';
import type { CommandName } from '@app/commands/registry';
import { api } from '../client';
import { useProject } from '../state/project';
import { reportError } from './errors';

/** The args of one command, as `edit()` takes them. */
export type ArgsOf<N extends CommandName> = Extract<EditRequest, { command: N }>['args'];

let queue: Promise<unknown> = Promise.resolve();

/** Run `fn` after every call queued before it has settled. */
function inOrder<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => {});
  return run;
}

/** A call that must see every edit sent before it (voicing the dialogue just typed). */
export function afterEdits<T>(fn: () => Promise<T>): Promise<T> {
  return inOrder(fn);
}

/** Apply one edit; on failure a toast explains it and the result is null. */
export function edit(request: EditRequest): Promise<EditResult | null> {
  return inOrder(async () => {
    try {
      const res = await api().call('edit.apply', request);
      useProject.getState().patch(res.patch, res.history);
      return res;
    } catch (e) {
      reportError(e);
      return null;
    }
  });
}

/**
 * Ids an edit created in a collection (set in the patch, absent before). Not for clips: the
 * mirror changes `state.clips` in place (state/project.ts), so it cannot stand for "before".
 */
export function createdIds(res: EditResult | null, collection: 'shots' | 'takes', before: Record<string, unknown>): string[] {
  const cp = res?.patch[collection];
  if (!cp) return [];
  return Object.keys(cp).filter((id) => cp[id] !== null && !(id in before));
}

export function undo(): Promise<void> {
  return inOrder(async () => {
    if (!useProject.getState().history.canUndo) return;
    try {
      const res = await api().call('edit.undo', {});
      useProject.getState().patch(res.patch, res.history);
    } catch (e) {
      reportError(e);
    }
  });
}

export function redo(): Promise<void> {
  return inOrder(async () => {
    if (!useProject.getState().history.canRedo) return;
    try {
      const res = await api().call('edit.redo', {});
      useProject.getState().patch(res.patch, res.history);
    } catch (e) {
      reportError(e);
    }
  });
}
