/** Writing the timeline as OTIO / FCPXML / EDL / MLT (main/export/interchange.ts); throws so the dialog can show the error in place. */
import type { MethodInput, MethodResult } from '@app/api/contract';
import { api } from '../client';

export async function exportTimelineFile(input: MethodInput<'export.interchange'>): Promise<MethodResult<'export.interchange'>> {
  return api().call('export.interchange', input);
}
