/** One entry point for the writers: pick by format id. */
import type { ProjectState } from '../model/types.js';
import { writeEdl } from './edl.js';
import { writeFcpxml } from './fcpxml.js';
import type { InterchangeFormat, WriterResult } from './formats.js';
import { writeMlt } from './mlt.js';
import { writeOtio } from './otio.js';
import type { InterchangeOptions } from './timeline.js';

export { INTERCHANGE_FORMATS, type InterchangeFormat, type WriterResult } from './formats.js';

export function writeInterchange(format: InterchangeFormat, state: ProjectState, opts: InterchangeOptions): WriterResult {
  switch (format) {
    case 'otio':
      return writeOtio(state, opts);
    case 'fcpxml':
      return writeFcpxml(state, opts);
    case 'edl':
      return writeEdl(state, opts);
    case 'mlt':
      return writeMlt(state, opts);
  }
}
