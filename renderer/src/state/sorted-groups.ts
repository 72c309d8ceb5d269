/**
 * Sorted lists kept up to date from entity patches, so that an edit costs what it touches
 * (issue 14: every split of a 5,000-clip project re-grouped and re-sorted every clip, twice).
 * Pure: no React, no zustand; the project store (project.ts) holds the results and the
 * selectors hand them out.
 *
 * - `groupSorted` builds, from scratch, entities grouped by a key and sorted within each group.
 * - `updateGroups` applies one collection patch to such groups: only groups an entity leaves or
 *   joins get a new array (binary-search removal and insertion; a bulk change to one group is
 *   rebuilt in one sort instead). Every other group keeps its array identity, so a memoised
 *   component drawing it (a timeline track) does not re-render.
 *
 * The order is total (ties broken by id), so an incrementally updated list and a rebuilt one
 * are the same list, element for element; the unit tests compare exactly that.
 */
import { firstNotBefore } from '@app/util/binary-search';

export type Compare<T> = (a: T, b: T) => number;
type Entity = { id: string };
export type Groups<T> = Readonly<Record<string, readonly T[]>>;

const byId = (a: Entity, b: Entity) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** `cmp`, then id: the total order every list here is kept in. */
export function totalOrder<T extends Entity>(cmp: Compare<T>): Compare<T> {
  return (a, b) => cmp(a, b) || byId(a, b);
}

/** First index whose element is not before `item` (lower bound). */
export function lowerBound<T>(list: readonly T[], item: T, cmp: Compare<T>): number {
  return firstNotBefore(list, (x) => cmp(x, item) < 0);
}

/** Entities grouped by `groupOf`, each group sorted by `order` (a total order: see totalOrder). */
export function groupSorted<T extends Entity>(all: Iterable<T>, groupOf: (t: T) => string, order: Compare<T>): Record<string, T[]> {
  const out: Record<string, T[]> = {};
  for (const t of all) (out[groupOf(t)] ??= []).push(t);
  for (const list of Object.values(out)) list.sort(order);
  return out;
}

/** Above this many changes to one group, the group is rebuilt (one sort) rather than spliced. */
const SPLICE_LIMIT = 16;

/**
 * `groups` (built from `prev` by groupSorted with the same groupOf/order) with `patch` applied:
 * each id maps to the new entity, or null when deleted. `prev` is the collection the groups
 * were built from, so the old version of a changed entity is found where it sits.
 * Returns `groups` itself when nothing in it changes.
 */
export function updateGroups<T extends Entity>(
  groups: Groups<T>,
  prev: Readonly<Record<string, T>>,
  patch: Readonly<Record<string, T | null>>,
  groupOf: (t: T) => string,
  order: Compare<T>,
): Groups<T> {
  const removed = new Map<string, T[]>();
  const added = new Map<string, T[]>();
  for (const id of Object.keys(patch)) {
    const before = prev[id];
    const after = patch[id] ?? undefined;
    if (before === after) continue;
    if (before) push(removed, groupOf(before), before);
    if (after) push(added, groupOf(after), after);
  }
  if (removed.size === 0 && added.size === 0) return groups;
  const out: Record<string, readonly T[]> = { ...groups };
  for (const key of new Set([...removed.keys(), ...added.keys()])) {
    const list = updateList(groups[key] ?? [], removed.get(key) ?? [], added.get(key) ?? [], order);
    if (list.length === 0) delete out[key];
    else out[key] = list;
  }
  return out;
}

/** One sorted list less `removed` plus `added` (a new array; `list` is not touched). */
export function updateList<T extends Entity>(list: readonly T[], removed: readonly T[], added: readonly T[], order: Compare<T>): T[] {
  if (removed.length + added.length > SPLICE_LIMIT) {
    const gone = new Set(removed);
    const next = list.filter((t) => !gone.has(t));
    next.push(...added);
    return next.sort(order);
  }
  const next = list.slice();
  for (const t of removed) {
    let i = lowerBound(next, t, order);
    // The old version sits exactly there unless the groups and `prev` disagree; then look it up.
    if (next[i] !== t) i = next.indexOf(t);
    if (i >= 0) next.splice(i, 1);
  }
  for (const t of added) next.splice(lowerBound(next, t, order), 0, t);
  return next;
}

/** A single sorted list (one group) with a patch applied: the storyboard's shot order. */
export function updateSorted<T extends Entity>(list: readonly T[], prev: Readonly<Record<string, T>>, patch: Readonly<Record<string, T | null>>, order: Compare<T>): readonly T[] {
  const g = updateGroups({ all: list }, prev, patch, () => 'all', order);
  return g.all ?? [];
}

function push<T>(m: Map<string, T[]>, key: string, t: T): void {
  const list = m.get(key);
  if (list) list.push(t);
  else m.set(key, [t]);
}
