/**
 * The four Reflect metadata functions tsyringe (a dependency of @peculiar/x509) requires at
 * load time, which its users are expected to polyfill (usually with `reflect-metadata`, not
 * installed here). Only these are needed: x509 registers and looks up design-time types.
 * Imported for its side effect before @peculiar/x509; it never replaces an existing polyfill.
 */
type Key = unknown;
const store = new WeakMap<object, Map<unknown, Map<Key, unknown>>>();

function table(target: object, prop: unknown, create: boolean): Map<Key, unknown> | undefined {
  let byProp = store.get(target);
  if (!byProp && create) store.set(target, (byProp = new Map()));
  let t = byProp?.get(prop);
  if (!t && create && byProp) byProp.set(prop, (t = new Map()));
  return t;
}

const R = Reflect as unknown as Record<string, unknown>;
if (typeof R.getMetadata !== 'function') {
  R.defineMetadata = (key: Key, value: unknown, target: object, prop?: unknown) => void table(target, prop, true)!.set(key, value);
  R.getOwnMetadata = (key: Key, target: object, prop?: unknown) => table(target, prop, false)?.get(key);
  R.hasOwnMetadata = (key: Key, target: object, prop?: unknown) => table(target, prop, false)?.has(key) ?? false;
  R.getMetadata = (key: Key, target: object, prop?: unknown): unknown => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const m = table(t, prop, false);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  };
  R.hasMetadata = (key: Key, target: object, prop?: unknown) => (R.getMetadata as (k: Key, t: object, p?: unknown) => unknown)(key, target, prop) !== undefined;
  R.metadata = (key: Key, value: unknown) => (target: object, prop?: unknown) => void table(target, prop, true)!.set(key, value);
}
