/**
 * The backend interface. Separate from types.ts because it names the request (request.ts),
 * which itself reads the task vocabulary in types.ts: types → request → backend, no cycle.
 */
import type { GenerationRequest } from './request.js';
import type { JobResource } from '../jobs/types.js';
import type { BackendInfo, BackendModelInfo, GenerateOptions, GenerationCapabilities, GenerationOutput, ResolvedInputs } from './types.js';

/**
 * The seam every generation backend implements. Implementations validate with
 * `validateRequest(capabilities, request)` before doing any work, honour `signal` promptly
 * (the local runner stops within one denoising step), and never leave a partial file at
 * `outPath`.
 */
export interface GenerationBackend {
  readonly id: string;
  readonly label: string;
  readonly model: BackendModelInfo;
  readonly capabilities: GenerationCapabilities;
  /** Status and execution provider; may load the model (cached) to find out. */
  info(): Promise<BackendInfo>;
  generate(request: GenerationRequest, inputs: ResolvedInputs, opts: GenerateOptions): Promise<GenerationOutput>;
  /** The job resource its runs hold: 'gpu' (default) for local, 'network:<endpoint id>' for a remote endpoint. */
  readonly resource?: JobResource;
  /** US dollars per generated second on a paid endpoint (absent or null: free). */
  readonly pricePerSecond?: number | null;
  /** Frees sessions, workers, sockets. */
  dispose?(): Promise<void>;
}
