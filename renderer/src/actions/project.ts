/** Opening, creating and closing projects, and keeping the mirrors in sync with main. */
import type { MethodResult, ProjectSnapshot } from '@app/api/contract';
import { ShotlineError } from '@app/errors';
import { api, hostTransport } from '../client';
import { useJobs } from '../state/jobs';
import { useProject } from '../state/project';
import { useSession } from '../state/session';
import { useUi } from '../state/ui';
import { notify, reportError } from './errors';
import { rememberViews, rememberedView } from './view-memory';

function adopt(snap: ProjectSnapshot): void {
  const sameProject = useProject.getState().dir === snap.dir;
  // Read before reset(): resetting records the Storyboard as this project's view.
  const view = sameProject ? null : rememberedView(snap.dir);
  useProject.getState().load(snap);
  useJobs.getState().setAll(snap.jobs);
  if (!sameProject) {
    useUi.getState().reset();
    if (view) useUi.getState().setView(view);
  }
}

function forget(): void {
  useProject.getState().clear();
  useJobs.getState().clear();
  useUi.getState().reset();
}

/** Subscribe to main's events and load whatever is open. Call once at startup. */
export async function startSync(): Promise<void> {
  rememberViews();
  const host = hostTransport();
  useSession.getState().set({ host: host.kind });
  host.onStatus((connection) => useSession.getState().set({ connection }));
  host.subscribe((event) => {
    switch (event.type) {
      case 'project.changed':
        useProject.getState().patch(event.patch, event.history);
        break;
      case 'project.opened':
        adopt(event.snapshot);
        break;
      case 'project.closed':
        forget();
        break;
      case 'job.updated':
        useJobs.getState().upsert(event.job);
        break;
    }
  });
  api()
    .call('app.info', {})
    .then((info) => useSession.getState().set({ info }))
    .catch(() => {});
  try {
    adopt(await api().call('project.snapshot', {}));
  } catch (e) {
    if (!(e instanceof ShotlineError && e.code === 'no_project')) reportError(e);
  } finally {
    useSession.getState().set({ ready: true });
  }
}

/** Project lifecycle calls throw; the start screen shows the error in its banner. */
export async function openProject(dir: string): Promise<void> {
  adopt(await api().call('project.open', { dir }));
}

export async function createProject(dir: string, name: string): Promise<void> {
  adopt(await api().call('project.create', { dir, name }));
}

export async function createSampleProject(dir: string): Promise<void> {
  adopt(await api().call('project.createSample', { dir }));
}

export async function closeProject(): Promise<void> {
  try {
    await api().call('project.close', {});
    forget();
  } catch (e) {
    reportError(e);
  }
}

/** A one-line summary of an OTIO import for a toast; the full report is in the returned value. */
export function summarizeOtioReport(r: MethodResult<'project.importOtio'>['report']): string {
  const parts = [`Imported ${r.clips} clip${r.clips === 1 ? '' : 's'} from OTIO.`];
  if (r.relinked.byName.length) parts.push(`${r.relinked.byName.length} file(s) found by name.`);
  if (r.missing.length) parts.push(`${r.missing.length} file(s) missing.`);
  parts.push(...r.dropped);
  return parts.join(' ');
}

/** A new project from an .otio file (throws, like the other lifecycle calls). */
export async function importOtioProject(file: string, dir: string, searchDir?: string): Promise<void> {
  const { snapshot, report } = await api().call('project.importOtio', { file, dir, ...(searchDir ? { searchDir } : {}) });
  adopt(snapshot);
  notify(summarizeOtioReport(report), report.dropped.length || report.missing.length ? 'info' : 'success');
}

/** Unpack a .shotlinepkg into a new folder and open it. */
export async function openPackage(file: string, dir: string): Promise<void> {
  adopt(await api().call('project.openPackage', { file, dir }));
}
