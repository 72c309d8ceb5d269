/** Writing the timeline as OTIO / FCPXML / EDL / MLT (main/export/interchange.ts); throws so the dialog can show the error in place. */
import type { MethodInput, MethodResult } from '@app/api/contract';
import { api } from '../client';

export async function exportTimelineFile(input: MethodInput<'export.interchange'>): Promise<MethodResult<'export.interchange'>> {
  return api().call('export.interchange', input);
}

/** "Package project…": one zip with the database, the used media and a manifest. */
export async function packageProject(input: MethodInput<'project.package'>): Promise<MethodResult<'project.package'>> {
  return api().call('project.package', input);
}
