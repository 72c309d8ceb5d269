/** A typed client over any transport: Electron preload, studio HTTP, or in-process. */
import { ShotlineError, type SerializedError } from '../errors.js';
import type { ApiEvent, MethodInput, MethodName, MethodResult } from './contract.js';

/** The wire form of a call's outcome, the same on every transport. */
export type CallOutcome = { ok: true; value: unknown } | { ok: false; error: SerializedError };

export interface Transport {
  call(method: MethodName, input: unknown): Promise<CallOutcome>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
  /** URL the renderer can load a project-relative media path from (media/abc.mp4). */
  mediaUrl(relPath: string): string;
}

export interface ShotlineClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodResult<M>>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
  mediaUrl(relPath: string): string;
}

export function createClient(transport: Transport): ShotlineClient {
  return {
    async call(method, input) {
      const out = await transport.call(method, input);
      if (!out.ok) throw new ShotlineError(out.error.code, out.error.message, out.error.hint);
      return out.value as never;
    },
    subscribe: (l) => transport.subscribe(l),
    mediaUrl: (p) => transport.mediaUrl(p),
  };
}
