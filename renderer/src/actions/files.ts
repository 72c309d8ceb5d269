/** The machine's folders and the recent-projects list, for the start screen's pickers. */
import type { DirListing, RecentProject } from '@app/api/contract';
import { api } from '../client';

/** List a folder on the machine that runs Shotline (home when no path); throws so the browser can say why in place. */
export function listFolder(path?: string): Promise<DirListing> {
  return api().call('fs.list', path ? { path } : {});
}

/** Recent projects, newest first; empty when the list cannot be read. */
export function recentProjects(): Promise<RecentProject[]> {
  return api()
    .call('app.recentProjects', {})
    .catch(() => []);
}
