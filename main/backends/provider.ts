/**
 * A backend provider: one kind of generation backend (`local-onnx`, `openai-videos`,
 * `comfyui`, an endpoint `pool`) that lists the backends it offers and resolves a backend id
 * of its kind. Backend ids are `<kind>` or `<kind>:<name>` (a pack, an endpoint, a pool).
 */
import type { GenerationBackend } from '../../app/generation/backend.js';
import type { BackendInfo } from '../../app/generation/types.js';

export interface BackendProvider {
  readonly kind: string;
  /** Every backend of this kind with capabilities and status (an unreachable one is listed with its error). */
  list(): Promise<BackendInfo[]>;
  /** The backend for `id` (`kind` or `kind:name`), optionally a named model; throws a ShotlineError saying what exists. */
  resolve(id: string, model: string | null): Promise<GenerationBackend>;
  dispose?(): Promise<void>;
}

/** The kind part of a backend id ('local-onnx:tiny' → 'local-onnx'). */
export function backendKind(id: string): string {
  const i = id.indexOf(':');
  return i < 0 ? id : id.slice(0, i);
}
