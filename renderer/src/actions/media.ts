/** Getting files into the project: upload (studio) or path (Electron), then assets.import. */
import type { Patch } from '@app/commands/patch';
import { api, hostTransport } from '../client';
import { useProject } from '../state/project';
import { useSession } from '../state/session';
import { notify, reportError } from './errors';
import { edit } from './edit';
import { useUi } from '../state/ui';

export async function importFiles(files: File[]): Promise<void> {
  if (files.length === 0) return;
  const session = useSession.getState();
  if (session.importing) {
    notify('An import is already running; drop the files again when it finishes.');
    return;
  }
  const count = files.length;
  session.set({ importing: { name: files[0]!.name, fraction: 0, count } });
  try {
    const refs = await hostTransport().prepareImport(files, (fraction, name) =>
      useSession.getState().set({ importing: { name, fraction: fraction * 0.9, count } }),
    );
    useSession.getState().set({ importing: { name: count > 1 ? `${count} files` : files[0]!.name, fraction: 0.95, count } });
    const res = await api().call('assets.import', { files: refs });
    // main also broadcasts the new assets; add those the event has not brought yet.
    const known = useProject.getState().state?.assets ?? {};
    const fresh = res.imported.filter((a) => !known[a.id]);
    if (fresh.length) useProject.getState().patch({ assets: Object.fromEntries(fresh.map((a) => [a.id, a])) } satisfies Patch);
    for (const f of res.failed) reportError({ ...f.error, message: `${f.name}: ${f.error.message}` });
    if (res.imported.length) notify(`Imported ${res.imported.length} file${res.imported.length === 1 ? '' : 's'}.`, 'success');
    // Dropped on the Edit view, sound-only media (music, effects, voice-over) lands at the
    // playhead, each on the first audio track free there (clip.add without a track).
    const ui = useUi.getState();
    if (ui.view === 'edit') {
      for (const a of res.imported.filter((x) => x.kind === 'audio')) await edit({ command: 'clip.add', args: { assetId: a.id, startFlicks: ui.playhead } });
    }
  } catch (e) {
    reportError(e);
  } finally {
    useSession.getState().set({ importing: null });
  }
}
