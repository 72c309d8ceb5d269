/**
 * The one place calls enter main, whatever the transport: the method must exist, its input
 * must pass the contract's schema, and every failure leaves as a SerializedError.
 */
import { api, parseInput, type MethodName } from '../../app/api/contract.js';
import type { CallOutcome } from '../../app/api/client.js';
import { serializeError } from '../../app/errors.js';
import type { Handlers } from '../services/shotline.js';
import { diskFullFallback } from '../util/disk-full.js';

export type Dispatch = (method: string, input: unknown) => Promise<CallOutcome>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(api, name);
}

export function createDispatcher(handlers: Handlers, log: (msg: string) => void = () => {}): Dispatch {
  return async (method, input) => {
    if (!isMethodName(method)) return { ok: false, error: { code: 'invalid_input', message: `Unknown method "${method}".` } };
    const parsed = parseInput(method, input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : 'input';
      return { ok: false, error: { code: 'invalid_input', message: `Invalid ${method}: ${where}: ${issue?.message ?? 'invalid'}`, hint: `Correct ${where} and try again.` } };
    }
    try {
      const value = await (handlers[method] as (i: unknown) => Promise<unknown>)(parsed.data);
      return { ok: true, value: value ?? null };
    } catch (e) {
      const err = serializeError(diskFullFallback(e) ?? e);
      if (err.code === 'internal') log(`${method} failed: ${(e as Error)?.stack ?? String(e)}`);
      return { ok: false, error: err };
    }
  };
}
