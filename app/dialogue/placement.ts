/**
 * Where voiced dialogue lands on the timeline (pure). Each line of a shot's dialogue becomes one
 * audio clip on a dialogue track ("Dialogue", then "Dialogue 2", … when lines overlap), at the
 * line's offset within the shot: its own `offsetFlicks` when the writer set one, else right
 * after the line before it (a short lead-in at the shot's start, a pause between lines).
 *
 * A voiced clip is known by its media: the asset's provenance records
 * `parameters.dialogue = { shotId, line }` (each voicing is its own asset, so two lines that
 * happen to sound alike are still two). Revoicing a line replaces only that line's clips and
 * keeps where the user put it (start, track) and its gain/fades; every other clip stays as it is.
 */
import type { Asset, Clip, ProjectState, Shot, Track } from '../model/types.js';
import { FLICKS_PER_SECOND, type Flicks } from '../time/flicks.js';
import { clipEnd, clipsOnTrack, orderedShots, tracksOfKind } from '../timeline/query.js';

/** Silence before the first line of a shot, and between lines, when they have no offsets. */
export const DIALOGUE_LEAD_FLICKS = FLICKS_PER_SECOND / 4;
export const DIALOGUE_GAP_FLICKS = (FLICKS_PER_SECOND * 3) / 10;
export const DIALOGUE_TRACK_NAME = 'Dialogue';

export interface DialogueRef {
  shotId: string;
  line: number;
}

/** The dialogue line an asset voices, from its provenance; null for any other media. */
export function dialogueRefOf(asset: Asset | undefined): DialogueRef | null {
  if (!asset || asset.provenance.source !== 'generated') return null;
  const d = asset.provenance.parameters.dialogue as Partial<DialogueRef> | undefined;
  return d && typeof d.shotId === 'string' && typeof d.line === 'number' ? { shotId: d.shotId, line: d.line } : null;
}

/** The clips voicing a shot's lines, by line index. */
export function dialogueClipsOf(state: Pick<ProjectState, 'assets' | 'clips'>, shotId: string): Map<number, Clip[]> {
  const out = new Map<number, Clip[]>();
  // Most shots have no voiced line: then no clip can voice one, and 5,000 clips need no scan.
  let voiced = false;
  for (const id in state.assets) if (dialogueRefOf(state.assets[id])?.shotId === shotId) voiced = true;
  if (!voiced) return out;
  for (const c of Object.values(state.clips)) {
    const ref = dialogueRefOf(state.assets[c.assetId]);
    if (!ref || ref.shotId !== shotId) continue;
    out.set(ref.line, [...(out.get(ref.line) ?? []), c].sort((a, b) => a.startFlicks - b.startFlicks));
  }
  return out;
}

/** Where a shot starts on the timeline: its assembled clip, else the storyboard's running time. */
export function shotStartFlicks(state: ProjectState, shot: Shot): Flicks {
  let start: Flicks | null = null;
  for (const c of Object.values(state.clips)) {
    if (c.shotId !== shot.id || state.tracks[c.trackId]?.kind !== 'video') continue;
    if (start === null || c.startFlicks < start) start = c.startFlicks;
  }
  if (start !== null) return start;
  let at = 0;
  for (const s of orderedShots(state)) {
    if (s.id === shot.id) return at;
    at += s.durationFlicks;
  }
  return at;
}

export function isDialogueTrack(t: Track): boolean {
  return t.kind === 'audio' && new RegExp(`^${DIALOGUE_TRACK_NAME}( \\d+)?$`).test(t.name);
}

export interface NewVoicing {
  line: number;
  assetId: string;
}

export interface DialoguePlacement {
  /** Clips to remove (the replaced lines' old clips). */
  remove: string[];
  /** Clips to add: without id (the command names them). */
  add: Omit<Clip, 'id'>[];
  /** Tracks to create first (no id yet: `trackKey` in `add` refers to them as `new:<n>`). */
  newTracks: { key: string; name: string; index: number }[];
}

/**
 * The placement of `voicings` (one new asset per line) for `shot`. Pure; the command turns it
 * into a patch. `durationOf` is each asset's length.
 */
export function placeDialogue(state: ProjectState, shot: Shot, voicings: NewVoicing[]): DialoguePlacement {
  const shotStart = shotStartFlicks(state, shot);
  const existing = dialogueClipsOf(state, shot.id);
  const byLine = new Map(voicings.map((v) => [v.line, v]));
  const remove = voicings.flatMap((v) => (existing.get(v.line) ?? []).map((c) => c.id));
  const removed = new Set(remove);

  // Occupancy per track: what stays, plus what this placement adds.
  const taken = new Map<string, [Flicks, Flicks][]>();
  const occupy = (trackId: string, s: Flicks, e: Flicks) => taken.set(trackId, [...(taken.get(trackId) ?? []), [s, e]]);
  const isFree = (trackId: string, s: Flicks, e: Flicks) => !(taken.get(trackId) ?? []).some(([a, b]) => a < e && b > s);
  const tracks = tracksOfKind(state, 'audio');
  for (const t of tracks) for (const c of clipsOnTrack(state, t.id)) if (!removed.has(c.id)) occupy(t.id, c.startFlicks, clipEnd(c));

  const dialogueTracks: { id: string; name: string }[] = tracks.filter(isDialogueTrack).map((t) => ({ id: t.id, name: t.name }));
  const newTracks: DialoguePlacement['newTracks'] = [];
  let nextIndex = tracks.reduce((m, t) => Math.max(m, t.index + 1), 0);
  const trackFor = (s: Flicks, e: Flicks, prefer: string | null): string => {
    if (prefer && isFree(prefer, s, e)) return prefer;
    const free = dialogueTracks.find((t) => isFree(t.id, s, e));
    if (free) return free.id;
    const key = `new:${newTracks.length}`;
    const name = dialogueTracks.length === 0 ? DIALOGUE_TRACK_NAME : `${DIALOGUE_TRACK_NAME} ${dialogueTracks.length + 1}`;
    newTracks.push({ key, name, index: nextIndex++ });
    dialogueTracks.push({ id: key, name });
    return key;
  };

  const add: DialoguePlacement['add'] = [];
  let cursor = shotStart + DIALOGUE_LEAD_FLICKS;
  shot.prompt.dialogue.forEach((line, i) => {
    const v = byLine.get(i);
    const old = existing.get(i)?.[0];
    if (!v) {
      // A line not revoiced now: its clip (if any) stays; the next line follows it.
      if (old) cursor = Math.max(cursor, clipEnd(old) + DIALOGUE_GAP_FLICKS);
      return;
    }
    const asset = state.assets[v.assetId]!;
    const length = asset.probe.durationFlicks;
    const start = old ? old.startFlicks : line.offsetFlicks !== undefined ? shotStart + line.offsetFlicks : cursor;
    const end = start + length;
    const trackId = trackFor(start, end, old?.trackId ?? null);
    occupy(trackId, start, end);
    add.push({ trackId, assetId: asset.id, startFlicks: start, inFlicks: 0, outFlicks: length, shotId: null, effects: old ? { ...old.effects } : { volume: 1, fadeInFlicks: 0, fadeOutFlicks: 0 } });
    cursor = end + DIALOGUE_GAP_FLICKS;
  });
  return { remove, add, newTracks };
}
