/**
 * Entity-level patches: the one currency of change. A command produces a patch; the
 * store persists exactly the rows a patch names; undo applies the inverse patch; the
 * renderer mirrors state by applying the patches main broadcasts. Applying a patch
 * twice is harmless (it sets values), which keeps every transport simple.
 */
import { COLLECTIONS, type Clip, type CollectionName, type ProjectSettings, type ProjectState } from '../model/types.js';
import { updateTrackIndex } from '../timeline/track-index.js';
import { updateLinkIndex } from '../timeline/links.js';

export type CollectionPatch<T> = Record<string, T | null>;

export interface Patch {
  settings?: ProjectSettings;
  assets?: CollectionPatch<ProjectState['assets'][string]>;
  shots?: CollectionPatch<ProjectState['shots'][string]>;
  takes?: CollectionPatch<ProjectState['takes'][string]>;
  tracks?: CollectionPatch<ProjectState['tracks'][string]>;
  clips?: CollectionPatch<ProjectState['clips'][string]>;
}

export function isEmptyPatch(p: Patch): boolean {
  if (p.settings) return false;
  return COLLECTIONS.every((c) => !p[c] || Object.keys(p[c]!).length === 0);
}

/** New state with the patch applied; collections the patch does not touch are shared. */
export function applyPatch(state: ProjectState, patch: Patch): ProjectState {
  let next = state;
  if (patch.settings) next = { ...next, settings: patch.settings };
  for (const c of COLLECTIONS) {
    const cp = patch[c] as CollectionPatch<unknown> | undefined;
    if (!cp) continue;
    const ids = Object.keys(cp);
    if (ids.length === 0) continue;
    const coll: Record<string, unknown> = { ...(next[c] as Record<string, unknown>) };
    for (const id of ids) {
      const v = cp[id];
      if (v === null) delete coll[id];
      else coll[id] = v;
    }
    next = { ...next, [c]: coll };
  }
  return next;
}

/**
 * Whether `state` already reflects `patch` (every entity it sets is there with equal content,
 * every one it deletes is gone). A renderer receives each edit twice (the edit's answer and the
 * `project.changed` event): re-applying the second copy would rebuild every derived view of a
 * 5,000-clip project for nothing. Compares only the entities the patch touches.
 */
export function isAppliedTo(state: ProjectState, patch: Patch): boolean {
  if (patch.settings && JSON.stringify(patch.settings) !== JSON.stringify(state.settings)) return false;
  for (const c of COLLECTIONS) {
    const cp = patch[c] as CollectionPatch<unknown> | undefined;
    if (!cp) continue;
    const coll = state[c] as Record<string, unknown>;
    for (const id of Object.keys(cp)) {
      const v = cp[id];
      const cur = coll[id];
      if (v === null ? cur !== undefined : cur === undefined || (cur !== v && JSON.stringify(cur) !== JSON.stringify(v))) return false;
    }
  }
  return true;
}

/**
 * Apply a patch by mutating `state`. Only main uses this: it owns its state object, and
 * copying a 5,000-entry collection on every edit would dominate edit latency. Renderers and
 * tests use the immutable applyPatch.
 */
export function applyPatchInPlace(state: ProjectState, patch: Patch): void {
  if (patch.settings) state.settings = patch.settings;
  for (const c of COLLECTIONS) {
    const cp = patch[c] as CollectionPatch<unknown> | undefined;
    if (!cp) continue;
    const coll = state[c] as Record<string, unknown>;
    for (const id of Object.keys(cp)) {
      const v = cp[id];
      if (c === 'clips') {
        updateTrackIndex(state.clips, state.clips[id], v as Clip | null);
        updateLinkIndex(state.clips, state.clips[id], v as Clip | null);
      }
      if (v === null) delete coll[id];
      else coll[id] = v;
    }
  }
}

/** The patch that undoes `patch` when applied to the state that results from it. */
export function invertPatch(before: ProjectState, patch: Patch): Patch {
  const inv: Patch = {};
  if (patch.settings) inv.settings = before.settings;
  for (const c of COLLECTIONS) {
    const cp = patch[c] as CollectionPatch<unknown> | undefined;
    if (!cp) continue;
    const out: CollectionPatch<unknown> = {};
    for (const id of Object.keys(cp)) {
      const prev = (before[c] as Record<string, unknown>)[id];
      out[id] = prev === undefined ? null : prev;
    }
    (inv as Record<CollectionName, unknown>)[c] = out;
  }
  return inv;
}

/** Merge b over a (b wins per entity): used to fold a drag's previews into one commit. */
export function mergePatches(a: Patch, b: Patch): Patch {
  const out: Patch = { ...a };
  if (b.settings) out.settings = b.settings;
  for (const c of COLLECTIONS) {
    if (!b[c]) continue;
    (out as Record<string, unknown>)[c] = { ...(a[c] ?? {}), ...b[c] };
  }
  return out;
}

/** A patch builder commands use, so they read like "set this, delete that". */
export class PatchBuilder {
  readonly patch: Patch = {};
  set<C extends CollectionName>(c: C, entity: ProjectState[C][string]): this {
    const cp = (this.patch[c] ??= {}) as CollectionPatch<unknown>;
    cp[(entity as { id: string }).id] = entity;
    return this;
  }
  delete(c: CollectionName, id: string): this {
    const cp = (this.patch[c] ??= {}) as CollectionPatch<unknown>;
    cp[id] = null;
    return this;
  }
  settings(s: ProjectSettings): this {
    this.patch.settings = s;
    return this;
  }
}
