/** Loading a ComfyUI endpoint's workflow and mapping files (shipped examples as `builtin:<name>`). */
import fs from 'node:fs';
import path from 'node:path';
import { checkWorkflow, type ComfyGraph, type ComfyMapping } from '../../../app/endpoints/comfy-mapping.js';
import { ShotlineError } from '../../../app/errors.js';
import { shippedDir } from '../../util/app-resources.js';

/** The shipped example workflows (resources/comfyui, or the packaged app's resources). */
export function shippedWorkflowsDir(): string {
  return shippedDir('comfyui');
}

export function resolveWorkflowPath(spec: string): string {
  return spec.startsWith('builtin:') ? path.join(shippedWorkflowsDir(), `${spec.slice(8)}.json`) : path.resolve(spec);
}

/** The mapping beside a workflow: x.json → x.mapping.json, unless named. */
export function mappingPathFor(workflowPath: string, mapping?: string): string {
  return mapping ? resolveWorkflowPath(mapping) : workflowPath.replace(/\.json$/i, '') + '.mapping.json';
}

export function loadWorkflow(workflow: string | undefined, mapping: string | undefined): { graph: ComfyGraph; mapping: ComfyMapping; file: string } {
  if (!workflow) throw new ShotlineError('invalid_input', 'This ComfyUI endpoint has no workflow.', 'Pick an API-format workflow file (or builtin:wan2.1-t2v / builtin:wan2.1-i2v / builtin:wan2.2-s2v) in the endpoint\'s settings.');
  const wf = resolveWorkflowPath(workflow);
  const mp = mappingPathFor(wf, mapping);
  const read = (p: string, what: string) => {
    try {
      return JSON.parse(fs.readFileSync(p, 'utf8')) as unknown;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ShotlineError('invalid_input', code === 'ENOENT' ? `The ${what} ${p} does not exist.` : `The ${what} ${p} is not valid JSON (${(e as Error).message}).`);
    }
  };
  try {
    return { ...checkWorkflow(read(wf, 'workflow'), read(mp, 'mapping file'), { workflow: path.basename(wf), mapping: path.basename(mp) }), file: wf };
  } catch (e) {
    if (e instanceof ShotlineError) throw e;
    throw new ShotlineError('invalid_input', (e as Error).message);
  }
}
