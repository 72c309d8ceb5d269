/**
 * Where clips may go: overlap checks that allow a declared crossfade, locked tracks, and
 * finding (or making) a free audio track for a clip's sound.
 */
import { invalidEdit } from '../errors.js';
import { DEFAULT_EFFECTS, type Clip, type ClipEffects, type ProjectState, type Track, type TrackKind } from '../model/types.js';
import { isDeclaredCrossfade } from '../timeline/crossfades.js';
import { isDialogueTrack } from '../dialogue/placement.js';
import { clipDuration, clipEnd, clipsOnTrack, tracksOfKind } from '../timeline/query.js';
import { clipsOverlapping } from '../timeline/track-index.js';
import type { CommandContext } from './define.js';
import type { PatchBuilder } from './patch.js';

export function assertUnlocked(state: ProjectState, trackId: string): void {
  const t = state.tracks[trackId];
  if (t?.locked) throw invalidEdit(`Track ${t.name} is locked.`, 'Unlock it in its track header first.');
}

/** Whether two clips of one track may overlap as they are: only as a declared crossfade on an audio track. */
export function overlapAllowed(state: ProjectState, a: Clip, b: Clip): boolean {
  if (state.tracks[a.trackId]?.kind !== 'audio') return false;
  const [earlier, later] = a.startFlicks <= b.startFlicks ? [a, b] : [b, a];
  return isDeclaredCrossfade(earlier, later);
}

/**
 * The first clip on `clip`'s track it may not overlap, if any: the clips of `state` it overlaps
 * come from the track index (a binary search, not a scan of the track), then the ones placed
 * earlier in the same edit (`pending`). `except` names clips of `state` to ignore (the ones the
 * edit moves or replaces), `exceptPending` clips of `pending` to ignore (by default the same).
 */
export function collision(state: ProjectState, clip: Clip, except: ReadonlySet<string>, pending: readonly Clip[] = [], exceptPending: ReadonlySet<string> = except): Clip | undefined {
  const end = clipEnd(clip);
  const blocks = (o: Clip) => o.id !== clip.id && o.startFlicks < end && clipEnd(o) > clip.startFlicks && !overlapAllowed(state, o, clip);
  for (const o of clipsOverlapping(state.clips, clip.trackId, clip.startFlicks, end)) if (!except.has(o.id) && blocks(o)) return o;
  for (const o of pending) if (o.trackId === clip.trackId && !exceptPending.has(o.id) && blocks(o)) return o;
  return undefined;
}

export function assertPlaceable(state: ProjectState, clip: Clip, except: ReadonlySet<string>, pending: readonly Clip[] = [], exceptPending: ReadonlySet<string> = except): void {
  if (collision(state, clip, except, pending, exceptPending)) {
    const name = state.tracks[clip.trackId]?.name ?? 'the track';
    throw invalidEdit(`That would overlap another clip on ${name}.`, 'Move it to a free spot or another track (Alt-drag moves one side of a linked clip).');
  }
}

/**
 * The first unlocked, non-dialogue track of `kind` with [start, end) free (counting clips placed earlier in
 * the same edit), else a new one added to the patch.
 */
export function freeTrack(state: ProjectState, kind: TrackKind, start: number, end: number, b: PatchBuilder, ctx: CommandContext, pending: Clip[], made: Track[]): Track {
  const probe = (trackId: string): Clip => ({ id: '\u0000probe', trackId, assetId: '', startFlicks: start, inFlicks: 0, outFlicks: end - start, shotId: null, effects: DEFAULT_EFFECTS });
  for (const t of [...tracksOfKind(state, kind), ...made.filter((m) => m.kind === kind)]) {
    // Locked tracks take nothing; dialogue tracks are kept for voiced lines (app/dialogue).
    if (t.locked || isDialogueTrack(t)) continue;
    if (!collision(state, probe(t.id), new Set(), pending)) return t;
  }
  const same = [...tracksOfKind(state, kind), ...made.filter((m) => m.kind === kind)];
  const index = (same.at(-1)?.index ?? -1) + 1;
  const track: Track = { id: ctx.newId('track'), kind, index, name: `${kind === 'video' ? 'V' : 'A'}${same.length + 1}`, muted: false };
  b.set('tracks', track);
  made.push(track);
  return track;
}

/** The sound of a picture clip as an audio clip: same media, span and timing; level effects kept, picture effects dropped. */
export function soundOf(clip: Clip, id: string, trackId: string, linkId: string): Clip {
  const e = clip.effects;
  const effects: ClipEffects = { volume: e.volume, fadeInFlicks: e.fadeInFlicks, fadeOutFlicks: e.fadeOutFlicks };
  if (e.speed) effects.speed = e.speed;
  if (e.loop) effects.loop = e.loop;
  return { id, trackId, assetId: clip.assetId, startFlicks: clip.startFlicks, inFlicks: clip.inFlicks, outFlicks: clip.outFlicks, shotId: clip.shotId, effects, linkId };
}

/**
 * Give a picture clip with sound its linked audio clip on a free audio track (the picture
 * clip goes silent). Returns both as they should be set; the caller adds them to the patch.
 */
export function linkSound(state: ProjectState, clip: Clip, b: PatchBuilder, ctx: CommandContext, pending: Clip[], made: Track[]): [Clip, Clip] {
  const linkId = clip.linkId ?? ctx.newId('link');
  const track = freeTrack(state, 'audio', clip.startFlicks, clipEnd(clip), b, ctx, pending, made);
  const sound = soundOf(clip, ctx.newId('clip'), track.id, linkId);
  pending.push(sound);
  return [{ ...clip, linkId, audioDetached: true }, sound];
}

/** Whether a clip on a video track plays sound of its own (that could be detached). */
export function hasOwnSound(state: ProjectState, clip: Clip): boolean {
  const a = state.assets[clip.assetId];
  return state.tracks[clip.trackId]?.kind === 'video' && !!a && a.kind === 'video' && a.probe.hasAudio && !clip.audioDetached;
}

/** The crossfade a drop over the previous clip's end makes (the overlap), if the overlap is one. */
export function withDropCrossfade(state: ProjectState, next: Clip, except: ReadonlySet<string>): Clip {
  const prev = clipsOnTrack(state, next.trackId).filter((o) => !except.has(o.id) && o.startFlicks < next.startFlicks && clipEnd(o) > next.startFlicks).at(-1);
  if (!prev) return next;
  const d = clipEnd(prev) - next.startFlicks;
  if (d >= clipDuration(prev) || d >= clipDuration(next)) throw invalidEdit('A crossfade must be shorter than both clips.');
  return { ...next, effects: { ...next.effects, crossfadeInFlicks: d } };
}
