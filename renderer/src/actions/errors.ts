/** Turning anything thrown into something a person can act on. */
import { ShotlineError, type SerializedError } from '@app/errors';
import { useToasts } from '../state/toasts';

export function toSerialized(e: unknown): SerializedError {
  if (e instanceof ShotlineError) return { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const o = e as SerializedError;
    return { code: o.code, message: String(o.message), ...(o.hint ? { hint: o.hint } : {}) };
  }
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

export function reportError(e: unknown): SerializedError {
  const err = toSerialized(e);
  useToasts.getState().push({ kind: 'error', message: err.message, ...(err.hint ? { hint: err.hint } : {}) });
  return err;
}

export function notify(message: string, kind: 'info' | 'success' = 'info'): void {
  useToasts.getState().push({ kind, message });
}
