/** Timeline edits: assemble, clips (add, move, trim, split, delete/ripple), tracks, effects. */
import { z } from 'zod';
import { invalidEdit } from '../errors.js';
import { DEFAULT_EFFECTS, type Asset, type Clip, type ProjectState, type Track, type TrackKind } from '../model/types.js';
import { expandLinked, linkedPartners, unlinked, withPartners } from '../timeline/links.js';
import { assertPlaceable, assertUnlocked, freeTrack, hasOwnSound, linkSound, withDropCrossfade } from './placement.js';
import { assetSourceDuration, clipDuration, clipEnd, clipsOnTrack, findOverlap, orderedShots, tracksOfKind } from '../timeline/query.js';
import { defineCommand, type CommandContext } from './define.js';
import { PatchBuilder } from './patch.js';
import { effectsPatch, flicks, id } from './schemas.js';
import { MAX_TRACK_VOLUME } from '../timeline/mix.js';
import { isDeclaredCrossfade } from '../timeline/crossfades.js';
import { trackClips } from '../timeline/track-index.js';
import { sourceGrid, snapTrimToSource, splitTimed, trimTimed } from '../timing/edit.js';
import { hasTimeEffects } from '../timing/timemap.js';
import { checkClip } from './recut.js';

function requireClip(state: ProjectState, clipId: string): Clip {
  const c = state.clips[clipId];
  if (!c) throw invalidEdit(`Clip ${clipId} does not exist.`);
  return c;
}

function requireTrack(state: ProjectState, trackId: string): Track {
  const t = state.tracks[trackId];
  if (!t) throw invalidEdit(`Track ${trackId} does not exist.`);
  return t;
}

function assertFree(state: ProjectState, trackId: string, start: number, end: number, except: ReadonlySet<string>): void {
  const hit = findOverlap(state, trackId, start, end, except);
  if (hit) throw invalidEdit('That would overlap another clip on the track.', 'Move it to a free spot or another track.');
}

function assertAssetFitsTrack(state: ProjectState, assetId: string, track: Track): void {
  const asset = state.assets[assetId];
  if (!asset) throw invalidEdit('That media is not in this project.', 'Import it first.');
  if (track.kind === 'video' && asset.kind === 'audio') throw invalidEdit(`"${asset.name}" is audio; put it on an audio track.`);
  if (track.kind === 'audio' && !asset.probe.hasAudio) throw invalidEdit(`"${asset.name}" has no sound; put it on a video track.`);
}

/** The default base tracks a timeline needs, created on demand. */
export function ensureTrack(state: ProjectState, kind: TrackKind, b: PatchBuilder, ctx: CommandContext): Track {
  const existing = tracksOfKind(state, kind)[0];
  if (existing) return existing;
  const track: Track = { id: ctx.newId('track'), kind, index: 0, name: kind === 'video' ? 'V1' : 'A1', muted: false };
  b.set('tracks', track);
  return track;
}

/**
 * How much of a take the assembled timeline shows: the shot's duration, from the take's
 * first frame (the rest stays in the clip's source, one drag of its out edge away). From
 * the start rather than centred because generated takes drift from the prompt (and from
 * an image-to-video reference) as they run: the head is the part that matches the shot,
 * and a continuity take begins on the previous shot's frame. A take shorter than its shot
 * is used whole; a still lasts the shot's duration. The cut falls on a source frame.
 */
export function assembledLength(shotFlicks: number, asset: Asset): number {
  if (asset.kind === 'image') return shotFlicks;
  const full = asset.probe.durationFlicks;
  if (shotFlicks >= full) return full;
  const grid = sourceGrid(asset);
  const cut = grid ? Math.floor(shotFlicks / grid) * grid : shotFlicks;
  return Math.max(grid ?? 1, cut);
}

export const timelineAssemble = defineCommand({
  label: 'Assemble storyboard',
  /** `linkAudio` false leaves each picture's sound inside it instead of on a linked audio clip. */
  args: z.object({ linkAudio: z.boolean().default(true) }).strict(),
  run(state, args, ctx) {
    const b = new PatchBuilder();
    const base = ensureTrack(state, 'video', b, ctx);
    // Assemble rebuilds the base video track from the storyboard, with the linked sound of
    // what it removes; other tracks are left alone.
    const gone = new Set<string>();
    for (const c of clipsOnTrack(state, base.id)) for (const x of withPartners(state, c)) gone.add(x.id);
    for (const id of gone) b.delete('clips', id);
    // The base track may be new in this very patch (a project without tracks): the pictures'
    // sound is only found on a video track the state knows, so it joins `without` too.
    const without: ProjectState = {
      ...state,
      tracks: state.tracks[base.id] ? state.tracks : { ...state.tracks, [base.id]: base },
      clips: Object.fromEntries(Object.entries(state.clips).filter(([cid]) => !gone.has(cid))),
    };
    const pictures: Clip[] = [];
    let at = 0;
    for (const shot of orderedShots(state)) {
      const take = shot.chosenTakeId ? state.takes[shot.chosenTakeId] : undefined;
      const asset = take && state.assets[take.assetId];
      if (!take || !asset) continue;
      const length = assembledLength(shot.durationFlicks, asset);
      if (!(length > 0)) continue;
      pictures.push({ id: ctx.newId('clip'), trackId: base.id, assetId: asset.id, startFlicks: at, inFlicks: 0, outFlicks: length, shotId: shot.id, effects: DEFAULT_EFFECTS });
      at += length;
    }
    if (at === 0) throw invalidEdit('No shot has a chosen take yet.', 'Attach a clip to a shot as a take, then assemble.');
    // Pictures first, then their sound, so a listing in insertion order starts with the picture.
    const pending: Clip[] = [];
    const made: Track[] = [];
    const sounds: Clip[] = [];
    for (const pic of pictures) {
      if (!args.linkAudio || !hasOwnSound(without, pic)) {
        b.set('clips', pic);
        continue;
      }
      const [linked, sound] = linkSound(without, pic, b, ctx, pending, made);
      b.set('clips', linked);
      sounds.push(sound);
    }
    for (const s of sounds) b.set('clips', s);
    return b.patch;
  },
});

export const clipAdd = defineCommand({
  label: 'Add clip',
  /**
   * Without `trackId` the clip goes on the first unlocked track of its kind that is free there
   * (a new one if none is): a dropped music file lands on the first free audio track. A
   * picture with sound places its sound on an audio track, linked, unless `linkAudio` is false.
   */
  args: z.object({
    trackId: id.optional(),
    assetId: id,
    startFlicks: flicks,
    inFlicks: flicks.optional(),
    outFlicks: flicks.optional(),
    linkAudio: z.boolean().default(true),
  }),
  run(state, args, ctx) {
    const asset = state.assets[args.assetId];
    if (!asset) throw invalidEdit('That media is not in this project.', 'Import it first.');
    const sourceEnd = assetSourceDuration(state, asset.id);
    const inF = args.inFlicks ?? 0;
    const defaultOut = asset.kind === 'image' ? inF + 705_600_000 * 4 : sourceEnd;
    const outF = args.outFlicks ?? defaultOut;
    if (outF <= inF) throw invalidEdit('A clip needs an out point after its in point.');
    if (outF > sourceEnd) throw invalidEdit(`The out point is past the end of "${asset.name}".`);
    const b = new PatchBuilder();
    const made: Track[] = [];
    const pending: Clip[] = [];
    const end = args.startFlicks + (outF - inF);
    const track = args.trackId ? requireTrack(state, args.trackId) : freeTrack(state, asset.kind === 'audio' ? 'audio' : 'video', args.startFlicks, end, b, ctx, pending, made);
    assertAssetFitsTrack(state, asset.id, track);
    assertUnlocked(state, track.id);
    const clip: Clip = {
      id: ctx.newId('clip'),
      trackId: track.id,
      assetId: asset.id,
      startFlicks: args.startFlicks,
      inFlicks: inF,
      outFlicks: outF,
      shotId: null,
      effects: DEFAULT_EFFECTS,
    };
    assertPlaceable(state, clip, new Set());
    if (args.linkAudio && hasOwnSound(state, clip)) {
      const [linked, sound] = linkSound(state, clip, b, ctx, pending, made);
      return b.set('clips', linked).set('clips', sound).patch;
    }
    return b.set('clips', clip).patch;
  },
});

export const clipMove = defineCommand({
  label: 'Move clip',
  /**
   * Linked partners move by the same amount (on their own tracks) unless `alone`. With
   * `crossfade`, an audio clip dropped over the end of the clip before it crossfades with it.
   */
  args: z.object({ clipId: id, startFlicks: flicks, trackId: id.optional(), alone: z.boolean().default(false), crossfade: z.boolean().default(false) }),
  run(state, args) {
    const clip = requireClip(state, args.clipId);
    const track = requireTrack(state, args.trackId ?? clip.trackId);
    if (track.id !== clip.trackId) assertAssetFitsTrack(state, clip.assetId, track);
    const delta = args.startFlicks - clip.startFlicks;
    const group = withPartners(state, clip, args.alone);
    const ids = new Set(group.map((c) => c.id));
    const b = new PatchBuilder();
    const moved: Clip[] = [];
    for (const c of group) {
      assertUnlocked(state, c.trackId);
      let next: Clip = c.id === clip.id ? { ...c, trackId: track.id, startFlicks: args.startFlicks } : { ...c, startFlicks: c.startFlicks + delta };
      if (next.startFlicks < 0) throw invalidEdit('That would move a linked clip before the start of the timeline.', 'Alt-drag to move one side only.');
      // A move leaves its old neighbour: its crossfade goes unless the drop makes a new one.
      if (next.effects.crossfadeInFlicks) next = { ...next, effects: { ...next.effects, crossfadeInFlicks: 0 } };
      if (c.id === clip.id && args.crossfade && track.kind === 'audio') next = withDropCrossfade(state, next, ids);
      moved.push(next);
    }
    assertUnlocked(state, track.id);
    for (const next of moved) {
      assertPlaceable(state, next, ids, moved);
      b.set('clips', next);
    }
    return b.patch;
  },
});

/** One clip's edge moved to `to` on the timeline (source points snap to the source grid). */
function trimOne(state: ProjectState, clip: Clip, edge: 'in' | 'out', to: number): Clip {
  // Sound is cut to the sample, not to its picture's frames (a J/L cut lands where it is dropped).
  const grid = state.tracks[clip.trackId]?.kind === 'audio' ? null : sourceGrid(state.assets[clip.assetId]);
  // Speed and loop clips map timeline time to source time through the time map (app/timing).
  if (hasTimeEffects(clip)) return trimTimed(clip, edge, to, grid);
  if (edge === 'in') {
    const delta = to - clip.startFlicks;
    return snapTrimToSource({ ...clip, startFlicks: to, inFlicks: clip.inFlicks + delta }, 'in', grid);
  }
  return snapTrimToSource({ ...clip, outFlicks: clip.inFlicks + (to - clip.startFlicks) }, 'out', grid);
}

export const clipTrim = defineCommand({
  label: 'Trim clip',
  /**
   * `toFlicks` is where the edge lands on the timeline. Linked partners' same edge moves by the
   * same amount; `alone` trims one side only, which is how a J cut (sound before its picture)
   * or an L cut (sound after it) is made.
   */
  args: z.object({ clipId: id, edge: z.enum(['in', 'out']), toFlicks: flicks, alone: z.boolean().default(false) }),
  run(state, args) {
    const clip = requireClip(state, args.clipId);
    assertUnlocked(state, clip.trackId);
    const first = trimOne(state, clip, args.edge, args.toFlicks);
    checkClip(state, first);
    const edgeOf = (c: Clip) => (args.edge === 'in' ? c.startFlicks : clipEnd(c));
    const delta = edgeOf(first) - edgeOf(clip);
    const group = withPartners(state, clip, args.alone);
    const ids = new Set(group.map((c) => c.id));
    const out: Clip[] = [first];
    for (const p of group.slice(1)) {
      assertUnlocked(state, p.trackId);
      const next = trimOne(state, p, args.edge, edgeOf(p) + delta);
      try {
        checkClip(state, next);
      } catch (e) {
        throw invalidEdit(`The linked ${state.tracks[p.trackId]?.kind === 'audio' ? 'sound' : 'picture'} cannot follow that trim: ${(e as Error).message}`, 'Alt-drag the edge to trim one side only.');
      }
      out.push(next);
    }
    const b = new PatchBuilder();
    for (const next of out) {
      assertPlaceable(state, next, ids, out);
      b.set('clips', next);
    }
    return b.patch;
  },
});

/** Split one clip at timeline time `at`: [left, right]; fades stay on the outer ends. */
function splitOne(state: ProjectState, clip: Clip, at: number, newId: string): [Clip, Clip] {
  if (clip.effects.loop) throw invalidEdit('A looped clip cannot be split.', 'Trim its edge to change how long it loops, or turn the loop off first.');
  const outer = (c: Clip, side: 'left' | 'right'): Clip => ({
    ...c,
    effects: side === 'left' ? { ...c.effects, fadeOutFlicks: 0 } : { ...c.effects, fadeInFlicks: 0, crossfadeInFlicks: 0 },
  });
  if (hasTimeEffects(clip)) {
    const [first, second] = splitTimed(clip, at - clip.startFlicks, sourceGrid(state.assets[clip.assetId]));
    const left: Clip = outer(first, 'left');
    const right: Clip = outer({ ...second, id: newId, startFlicks: clip.startFlicks + clipDuration(first) }, 'right');
    if (left.outFlicks <= left.inFlicks || right.outFlicks <= right.inFlicks) throw invalidEdit('That is too close to the edge of the clip to split.');
    checkClip(state, left);
    checkClip(state, right);
    assertFree(state, clip.trackId, right.startFlicks, clipEnd(right), new Set([clip.id]));
    return [left, right];
  }
  const cut = clip.inFlicks + (at - clip.startFlicks);
  return [outer({ ...clip, outFlicks: cut }, 'left'), outer({ ...clip, id: newId, startFlicks: at, inFlicks: cut }, 'right')];
}

export const clipSplit = defineCommand({
  label: 'Split clip',
  /** Linked partners under the playhead split too (the right halves stay linked) unless `alone`. */
  /**
   * `newIds`: ids the caller chose for what the split creates, in the order it creates them
   * (the right halves' link, then each right half), so a window can show the split before
   * main answers (the renderer runs this command on its own copy first); main's own ids
   * for any not given.
   */
  args: z.object({ clipId: id, atFlicks: flicks, alone: z.boolean().default(false), newIds: z.array(id).max(1000).optional() }),
  run(state, args, ctx) {
    const clip = requireClip(state, args.clipId);
    if (args.atFlicks <= clip.startFlicks || args.atFlicks >= clipEnd(clip))
      throw invalidEdit('Put the playhead inside the clip to split it.');
    const given = [...(args.newIds ?? [])];
    const taken = new Set<string>();
    const newId = (prefix: string) => {
      const g = given.shift();
      if (g === undefined) return ctx.newId(prefix);
      // An id in use (or given twice) would overwrite a clip or merge two links.
      if (state.clips[g] || taken.has(g) || Object.values(state.clips).some((c) => c.linkId === g))
        throw invalidEdit(`The id ${g} is already in use; split again.`);
      taken.add(g);
      return g;
    };
    const b = new PatchBuilder();
    const group = withPartners(state, clip, args.alone);
    const rightLink = group.length > 1 ? newId('link') : null;
    for (const c of group) {
      assertUnlocked(state, c.trackId);
      if (args.atFlicks > c.startFlicks && args.atFlicks < clipEnd(c)) {
        const [left, right] = splitOne(state, c, args.atFlicks, newId('clip'));
        b.set('clips', left).set('clips', rightLink ? { ...right, linkId: rightLink } : right);
      } else if (rightLink && c.startFlicks >= args.atFlicks) {
        // A partner wholly after the cut belongs with the right halves.
        b.set('clips', { ...c, linkId: rightLink });
      }
    }
    return b.patch;
  },
});

export const clipRemove = defineCommand({
  label: 'Delete clips',
  /**
   * Linked partners go too unless `alone`. With ripple, later clips on the tracks that lost
   * something close the gap, and clips linked to those move with them (sync is kept).
   */
  args: z.object({ clipIds: z.array(id).min(1).max(10_000), ripple: z.boolean().default(false), alone: z.boolean().default(false) }),
  run(state, args) {
    const b = new PatchBuilder();
    args.clipIds.forEach((cid) => requireClip(state, cid));
    const clips = expandLinked(state, args.clipIds, args.alone);
    const removed = new Set(clips.map((c) => c.id));
    for (const c of clips) {
      assertUnlocked(state, c.trackId);
      b.delete('clips', c.id);
    }
    const shifted = new Map<string, Clip>();
    if (args.ripple) {
      const tracks = new Set(clips.map((c) => c.trackId));
      for (const trackId of tracks) {
        const gone = clips.filter((c) => c.trackId === trackId);
        for (const other of clipsOnTrack(state, trackId)) {
          if (removed.has(other.id)) continue;
          const shift = gone.filter((g) => clipEnd(g) <= other.startFlicks).reduce((s, g) => s + clipDuration(g), 0);
          if (shift > 0) shifted.set(other.id, { ...other, startFlicks: other.startFlicks - shift });
        }
      }
      for (const moved of [...shifted.values()]) {
        const shift = state.clips[moved.id]!.startFlicks - moved.startFlicks;
        for (const p of linkedPartners(state, moved)) {
          if (removed.has(p.id) || shifted.has(p.id)) continue;
          shifted.set(p.id, { ...p, startFlicks: Math.max(0, p.startFlicks - shift) });
        }
      }
      for (const c of shifted.values()) assertUnlocked(state, c.trackId);
    }
    // A clip that crossfaded with a deleted one starts with a plain cut.
    const faded = new Map<string, Clip[]>();
    for (const c of clips) {
      if (state.tracks[c.trackId]?.kind !== 'audio') continue;
      if (!faded.has(c.trackId)) faded.set(c.trackId, [...trackClips(state.clips, c.trackId)].filter((o) => (o.effects.crossfadeInFlicks ?? 0) > 0));
      const after = faded.get(c.trackId)!.find((o) => !removed.has(o.id) && isDeclaredCrossfade(c, o));
      if (after) shifted.set(after.id, { ...(shifted.get(after.id) ?? after), effects: { ...after.effects, crossfadeInFlicks: 0 } });
    }
    // A partner left alone is no longer linked to anything.
    for (const c of clips) {
      for (const p of linkedPartners(state, c)) {
        if (removed.has(p.id)) continue;
        const rest = linkedPartners(state, p).filter((x) => !removed.has(x.id));
        if (rest.length === 0) shifted.set(p.id, unlinked(shifted.get(p.id) ?? p));
      }
    }
    for (const c of shifted.values()) b.set('clips', c);
    return b.patch;
  },
});

export const clipSetEffects = defineCommand({
  label: 'Change clip effects',
  args: z.object({ clipId: id, effects: effectsPatch }),
  run(state, args) {
    const clip = requireClip(state, args.clipId);
    assertUnlocked(state, clip.trackId);
    const effects = { ...clip.effects, ...args.effects };
    const len = clipDuration(clip);
    if (effects.fadeInFlicks + effects.fadeOutFlicks > len) throw invalidEdit('Fades are longer than the clip.');
    return new PatchBuilder().set('clips', { ...clip, effects }).patch;
  },
});

export const trackAdd = defineCommand({
  label: 'Add track',
  args: z.object({ kind: z.enum(['video', 'audio']), name: z.string().min(1).max(100).optional() }),
  run(state, args, ctx) {
    const same = tracksOfKind(state, args.kind);
    const index = (same.at(-1)?.index ?? -1) + 1;
    const name = args.name ?? `${args.kind === 'video' ? 'V' : 'A'}${same.length + 1}`;
    return new PatchBuilder().set('tracks', { id: ctx.newId('track'), kind: args.kind, index, name, muted: false }).patch;
  },
});

export const trackUpdate = defineCommand({
  label: 'Change track',
  /** Name, mute, and the audio controls: fader volume (linear, 0 … 4), pan (−1 … 1), solo, lock. */
  args: z.object({
    trackId: id,
    muted: z.boolean().optional(),
    name: z.string().min(1).max(100).optional(),
    volume: z.number().min(0).max(MAX_TRACK_VOLUME).optional(),
    pan: z.number().min(-1).max(1).optional(),
    solo: z.boolean().optional(),
    locked: z.boolean().optional(),
  }),
  run(state, args) {
    const t = requireTrack(state, args.trackId);
    const next: Track = { ...t };
    if (args.muted !== undefined) next.muted = args.muted;
    if (args.name) next.name = args.name;
    if (args.volume !== undefined) next.volume = args.volume;
    if (args.pan !== undefined) next.pan = args.pan;
    if (args.solo !== undefined) next.solo = args.solo;
    if (args.locked !== undefined) next.locked = args.locked;
    if ((args.volume !== undefined || args.pan !== undefined || args.solo !== undefined) && t.kind !== 'audio')
      throw invalidEdit(`${t.name} is a video track: volume, pan and solo belong to audio tracks.`, 'Detach the clip’s audio to mix it on an audio track.');
    return new PatchBuilder().set('tracks', next).patch;
  },
});
