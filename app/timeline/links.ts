/**
 * Linked clips: a picture and its sound (or any group) sharing `linkId`. Edits that move,
 * trim, split or delete one clip apply to its partners too unless asked for one side only
 * (Alt-click in the timeline). Looked up through an index cached against the clips object,
 * like the per-track index (track-index.ts), so finding partners is not a scan per clip.
 */
import type { Clip, ProjectState } from '../model/types.js';

type Index = Map<string, Map<string, Clip>>;
const cache = new WeakMap<Record<string, Clip>, Index>();

function build(clips: Record<string, Clip>): Index {
  const index: Index = new Map();
  for (const id in clips) {
    const c = clips[id]!;
    if (!c.linkId) continue;
    let group = index.get(c.linkId);
    if (!group) index.set(c.linkId, (group = new Map()));
    group.set(c.id, c);
  }
  return index;
}

function indexOf(clips: Record<string, Clip>): Index {
  let index = cache.get(clips);
  if (!index) cache.set(clips, (index = build(clips)));
  return index;
}

/** The other clips linked to `clip` (empty when it is not linked). */
export function linkedPartners(state: Pick<ProjectState, 'clips'>, clip: Clip): Clip[] {
  if (!clip.linkId) return [];
  const group = indexOf(state.clips).get(clip.linkId);
  if (!group) return [];
  return [...group.values()].filter((c) => c.id !== clip.id);
}

/** The clip with no link (the member is dropped, not nulled, so it stores and reads back alike). */
export function unlinked(clip: Clip): Clip {
  const { linkId: _drop, ...rest } = clip;
  return rest;
}

/** `clip` and its partners, unless `alone` (one side only). */
export function withPartners(state: Pick<ProjectState, 'clips'>, clip: Clip, alone = false): Clip[] {
  return alone ? [clip] : [clip, ...linkedPartners(state, clip)];
}

/** Every clip the ids name plus their partners (unless `alone`), each once. */
export function expandLinked(state: Pick<ProjectState, 'clips'>, ids: readonly string[], alone = false): Clip[] {
  const out = new Map<string, Clip>();
  for (const id of ids) {
    const c = state.clips[id];
    if (!c) continue;
    for (const x of withPartners(state, c, alone)) out.set(x.id, x);
  }
  return [...out.values()];
}

/** Keep a cached index in step with an in-place change of one clip (no-op when none is cached). */
export function updateLinkIndex(clips: Record<string, Clip>, before: Clip | undefined, after: Clip | null): void {
  const index = cache.get(clips);
  if (index) change(index, before, after);
}

function change(index: Index, before: Clip | undefined, after: Clip | null): void {
  if (before?.linkId) index.get(before.linkId)?.delete(before.id);
  if (after?.linkId) {
    let group = index.get(after.linkId);
    if (!group) index.set(after.linkId, (group = new Map()));
    group.set(after.id, after);
  }
}

/**
 * Links for clips read from an interchange file (OTIO and the like carry no links): a picture
 * whose media's sound also sits on an audio track over it is silent (its sound is that clip,
 * so it is not heard twice), and a sound clip cut exactly like it is linked to it.
 */
export function inferLinks(clips: Clip[], kindOf: (trackId: string) => 'video' | 'audio' | undefined, newId: () => string): Clip[] {
  const sounds = new Map<string, Clip[]>();
  for (const c of clips) if (kindOf(c.trackId) === 'audio') sounds.set(c.assetId, [...(sounds.get(c.assetId) ?? []), c]);
  const out = new Map(clips.map((c) => [c.id, c]));
  for (const c of clips) {
    if (kindOf(c.trackId) !== 'video') continue;
    const end = c.startFlicks + (c.outFlicks - c.inFlicks);
    const over = (sounds.get(c.assetId) ?? []).filter((s) => s.startFlicks < end && s.startFlicks + (s.outFlicks - s.inFlicks) > c.startFlicks);
    if (over.length === 0) continue;
    const twin = over.find((s) => !out.get(s.id)!.linkId && s.startFlicks === c.startFlicks && s.inFlicks === c.inFlicks && s.outFlicks === c.outFlicks);
    if (twin) {
      const linkId = newId();
      out.set(c.id, { ...c, audioDetached: true, linkId });
      out.set(twin.id, { ...twin, linkId });
    } else out.set(c.id, { ...c, audioDetached: true });
  }
  return [...out.values()];
}
