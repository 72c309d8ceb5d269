/** Registering a generated clip as a shot's take: the undoable 'take.add' edit, credited to its remix source. */
import { ShotlineError } from '../../app/errors.js';
import type { GeneratePayload } from '../../app/generation/jobs.js';
import type { ProjectSession } from '../session/project-session.js';

export function addTake(session: ProjectSession, p: Pick<GeneratePayload, 'shotId' | 'label' | 'remixOf'>, assetId: string): string {
  // The source take may have been deleted while this one was generating.
  const remixOf = p.remixOf && session.state.takes[p.remixOf] ? p.remixOf : null;
  const r = session.edit('take.add', { shotId: p.shotId, assetId, label: p.label, remixOf });
  const id = Object.keys(r.patch.takes ?? {})[0];
  if (!id) throw new ShotlineError('internal', 'The take could not be added.');
  return id;
}
