/**
 * What a generated asset records about how it was made: the backend's own account
 * (GenerationProvenance) plus the job's cache key and inputs, in the asset's Provenance shape.
 * Pure, so the shape is the same whichever backend produced the clip.
 */
import type { Provenance } from '../model/types.js';
import type { GeneratePayload } from './jobs.js';
import type { GenerationProvenance } from './types.js';

export function generatedProvenance(pv: GenerationProvenance, p: GeneratePayload, createdAt: string, extra: Record<string, unknown> = {}): Provenance {
  return {
    source: 'generated',
    backend: pv.backend,
    model: `${pv.model.name}@${pv.model.version}`,
    prompt: pv.prompt,
    seed: pv.seed,
    parameters: {
      requestHash: p.requestHash,
      task: pv.task,
      steps: pv.steps,
      guidance: pv.guidance,
      durationSeconds: pv.durationSeconds,
      width: pv.size.width,
      height: pv.size.height,
      fps: pv.fps,
      ...(pv.strength !== undefined ? { strength: pv.strength } : {}),
      executionProvider: pv.executionProvider,
      secondsTaken: pv.secondsTaken,
      inputs: pv.inputs,
      ...(p.inputs.reference?.lastFrame ? { continuedFrom: p.inputs.reference.assetId } : {}),
      ...(pv.remote ? { remote: pv.remote } : {}),
      ...extra,
    },
    inputAssetIds: [p.inputs.reference?.assetId, p.inputs.remixSource?.assetId].filter((x): x is string => !!x),
    createdAt,
  };
}
