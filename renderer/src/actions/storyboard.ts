/** Storyboard edits: shots, their takes, and assembling the chosen takes onto the timeline. */
import { execute } from '@app/commands/engine';
import { useProject } from '../state/project';
import { useUi } from '../state/ui';
import { createdIds, edit, type ArgsOf } from './edit';

/** An id in main's format (`shot_…`), chosen here so the UI can select a shot before main answers. */
export function newClientId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  const b64 = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
  return `${prefix}_${b64}`;
}

export type ShotFields = ArgsOf<'shot.update'>['fields'];

export function updateShot(shotId: string, fields: ShotFields) {
  return edit({ command: 'shot.update', args: { shotId, fields } });
}

/**
 * Add a shot after `afterShotId` (or at the end) and select it at once. The command is
 * pure, so the renderer runs it on its own copy and shows the shot before main answers;
 * whatever the user types into it meanwhile belongs to the new shot, and reaches main
 * after the shot does (edits are sent in order). Main's answer (the same patch, normally)
 * replaces the local one; if main refuses, the local shot is taken away again.
 */
let justAdded: { shotId: string; by: Set<JustAddedReader> } | null = null;
type JustAddedReader = 'editor' | 'grid';

/**
 * True once per reader for the shot `addShot` just created: its editor then puts the cursor
 * in the title, the grid scrolls its card into view. One flag per reader, so neither depends
 * on the order React runs their effects in.
 */
export function takeJustAdded(shotId: string, reader: JustAddedReader): boolean {
  if (justAdded?.shotId !== shotId || justAdded.by.has(reader)) return false;
  justAdded.by.add(reader);
  return true;
}

export async function addShot(afterShotId: string | null): Promise<string | null> {
  const state = useProject.getState().state;
  if (!state) return null;
  const shotId = newClientId('shot');
  const args = { afterShotId, shotId };
  justAdded = { shotId, by: new Set() };
  let shown = false;
  try {
    useProject.getState().patch(execute(state, 'shot.add', args, { newId: newClientId }).entry.patch);
    useUi.getState().selectShot(shotId);
    shown = true;
  } catch {
    /* main will say what is wrong */
  }
  const res = await edit({ command: 'shot.add', args });
  if (!res) {
    if (shown) {
      useProject.getState().patch({ shots: { [shotId]: null } });
      if (useUi.getState().selectedShotId === shotId) useUi.getState().selectShot(afterShotId);
    }
    return null;
  }
  if (!shown) useUi.getState().selectShot(shotId);
  return shotId;
}

export async function duplicateShot(shotId: string): Promise<string | null> {
  const before = useProject.getState().state?.shots ?? {};
  const id = createdIds(await edit({ command: 'shot.duplicate', args: { shotId } }), 'shots', before)[0];
  if (id) useUi.getState().selectShot(id);
  return id ?? null;
}

export const removeShot = (shotId: string) => edit({ command: 'shot.remove', args: { shotId } });
export const moveShot = (shotId: string, toIndex: number) => edit({ command: 'shot.move', args: { shotId, toIndex } });
export const addTake = (shotId: string, assetId: string) => edit({ command: 'take.add', args: { shotId, assetId } });
export const chooseTake = (takeId: string) => edit({ command: 'take.choose', args: { takeId } });
export const removeTake = (takeId: string) => edit({ command: 'take.remove', args: { takeId } });

/** Lay the chosen takes end to end on V1, then show them in the Edit view from the start. */
export async function assemble(): Promise<void> {
  const res = await edit({ command: 'timeline.assemble', args: {} });
  if (res) {
    const ui = useUi.getState();
    ui.setPlayhead(0);
    ui.setRate(0);
    ui.setView('edit');
  }
}
