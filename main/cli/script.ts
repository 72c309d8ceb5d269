/**
 * `shotline run PROJECT SCRIPT.json`: a list of API calls, validated by the same schemas as
 * the bridge. A step may save its result (`"as": "name"`) and later steps refer to it with
 * "${name.path}" (a whole-string reference keeps the value's type).
 */
import { z } from 'zod';

export const scriptSchema = z.array(
  z.object({ method: z.string().min(1), input: z.unknown().optional(), as: z.string().regex(/^[A-Za-z_]\w*$/).optional() }).strict(),
);
export type Script = z.infer<typeof scriptSchema>;

const WHOLE = /^\$\{([A-Za-z_]\w*(?:\.[\w-]+)*)\}$/;
const PART = /\$\{([A-Za-z_]\w*(?:\.[\w-]+)*)\}/g;

export function lookup(vars: Record<string, unknown>, ref: string): unknown {
  let cur: unknown = vars;
  for (const key of ref.split('.')) {
    if (cur === null || typeof cur !== 'object' || !(key in (cur as object))) throw new Error(`\${${ref}} is not defined`);
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Deeper inputs than this are refused before anything recurses into them (no API input nests this deep). */
export const MAX_INPUT_DEPTH = 64;

/** How deeply `value` nests, counted without recursion (a deep enough input overflows the stack). */
export function nestingDepth(value: unknown, limit = MAX_INPUT_DEPTH + 1): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (d > max) max = d;
    if (max >= limit) return max;
    if (v && typeof v === 'object') for (const c of Object.values(v)) stack.push([c, d + 1]);
  }
  return max;
}

/** Replace ${refs} in every string of `value`. */
export function substitute(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) return lookup(vars, whole[1]!);
    return value.replace(PART, (_, ref: string) => String(lookup(vars, ref)));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
  return value;
}
