/** Timeline edits: assemble, clips (add, move, trim, split, delete/ripple), tracks, effects. */
import { z } from 'zod';
import { invalidEdit } from '../errors.js';
import { DEFAULT_EFFECTS, type Asset, type Clip, type ProjectState, type Track, type TrackKind } from '../model/types.js';
import { assetSourceDuration, clipDuration, clipEnd, clipsOnTrack, findOverlap, orderedShots, tracksOfKind } from '../timeline/query.js';
import { defineCommand, type CommandContext } from './define.js';
import { PatchBuilder } from './patch.js';
import { effectsPatch, flicks, id } from './schemas.js';
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
  args: z.object({}).strict(),
  run(state, _args, ctx) {
    const b = new PatchBuilder();
    const base = ensureTrack(state, 'video', b, ctx);
    // Assemble rebuilds the base video track from the storyboard; other tracks are left alone.
    for (const c of clipsOnTrack(state, base.id)) b.delete('clips', c.id);
    let at = 0;
    for (const shot of orderedShots(state)) {
      const take = shot.chosenTakeId ? state.takes[shot.chosenTakeId] : undefined;
      const asset = take && state.assets[take.assetId];
      if (!take || !asset) continue;
      const length = assembledLength(shot.durationFlicks, asset);
      if (!(length > 0)) continue;
      b.set('clips', {
        id: ctx.newId('clip'),
        trackId: base.id,
        assetId: asset.id,
        startFlicks: at,
        inFlicks: 0,
        outFlicks: length,
        shotId: shot.id,
        effects: DEFAULT_EFFECTS,
      });
      at += length;
    }
    if (at === 0) throw invalidEdit('No shot has a chosen take yet.', 'Attach a clip to a shot as a take, then assemble.');
    return b.patch;
  },
});

export const clipAdd = defineCommand({
  label: 'Add clip',
  args: z.object({ trackId: id, assetId: id, startFlicks: flicks, inFlicks: flicks.optional(), outFlicks: flicks.optional() }),
  run(state, args, ctx) {
    const track = requireTrack(state, args.trackId);
    assertAssetFitsTrack(state, args.assetId, track);
    const asset = state.assets[args.assetId]!;
    const sourceEnd = assetSourceDuration(state, asset.id);
    const inF = args.inFlicks ?? 0;
    const defaultOut = asset.kind === 'image' ? inF + 705_600_000 * 4 : sourceEnd;
    const outF = args.outFlicks ?? defaultOut;
    if (outF <= inF) throw invalidEdit('A clip needs an out point after its in point.');
    if (outF > sourceEnd) throw invalidEdit(`The out point is past the end of "${asset.name}".`);
    assertFree(state, track.id, args.startFlicks, args.startFlicks + (outF - inF), new Set());
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
    return new PatchBuilder().set('clips', clip).patch;
  },
});

export const clipMove = defineCommand({
  label: 'Move clip',
  args: z.object({ clipId: id, startFlicks: flicks, trackId: id.optional() }),
  run(state, args) {
    const clip = requireClip(state, args.clipId);
    const track = requireTrack(state, args.trackId ?? clip.trackId);
    if (track.id !== clip.trackId) assertAssetFitsTrack(state, clip.assetId, track);
    assertFree(state, track.id, args.startFlicks, args.startFlicks + clipDuration(clip), new Set([clip.id]));
    return new PatchBuilder().set('clips', { ...clip, trackId: track.id, startFlicks: args.startFlicks }).patch;
  },
});

export const clipTrim = defineCommand({
  label: 'Trim clip',
  /** `toFlicks` is where the edge lands on the timeline. */
  args: z.object({ clipId: id, edge: z.enum(['in', 'out']), toFlicks: flicks }),
  run(state, args) {
    const clip = requireClip(state, args.clipId);
    const grid = sourceGrid(state.assets[clip.assetId]);
    let next: Clip;
    // Speed and loop clips map timeline time to source time through the time map (app/timing).
    if (hasTimeEffects(clip)) next = trimTimed(clip, args.edge, args.toFlicks, grid);
    else if (args.edge === 'in') {
      const delta = args.toFlicks - clip.startFlicks;
      next = snapTrimToSource({ ...clip, startFlicks: args.toFlicks, inFlicks: clip.inFlicks + delta }, 'in', grid);
    } else {
      next = snapTrimToSource({ ...clip, outFlicks: clip.inFlicks + (args.toFlicks - clip.startFlicks) }, 'out', grid);
    }
    checkClip(state, next);
    assertFree(state, clip.trackId, next.startFlicks, clipEnd(next), new Set([clip.id]));
    return new PatchBuilder().set('clips', next).patch;
  },
});

export const clipSplit = defineCommand({
  label: 'Split clip',
  args: z.object({ clipId: id, atFlicks: flicks }),
  run(state, args, ctx) {
    const clip = requireClip(state, args.clipId);
    if (args.atFlicks <= clip.startFlicks || args.atFlicks >= clipEnd(clip))
      throw invalidEdit('Put the playhead inside the clip to split it.');
    if (clip.effects.loop) throw invalidEdit('A looped clip cannot be split.', 'Trim its edge to change how long it loops, or turn the loop off first.');
    if (hasTimeEffects(clip)) {
      const [first, second] = splitTimed(clip, args.atFlicks - clip.startFlicks, sourceGrid(state.assets[clip.assetId]));
      const left: Clip = first;
      const right: Clip = { ...second, id: ctx.newId('clip'), startFlicks: clip.startFlicks + clipDuration(first) };
      if (left.outFlicks <= left.inFlicks || right.outFlicks <= right.inFlicks) throw invalidEdit('That is too close to the edge of the clip to split.');
      checkClip(state, left);
      checkClip(state, right);
      assertFree(state, clip.trackId, right.startFlicks, clipEnd(right), new Set([clip.id]));
      return new PatchBuilder().set('clips', left).set('clips', right).patch;
    }
    const cut = clip.inFlicks + (args.atFlicks - clip.startFlicks);
    const left: Clip = { ...clip, outFlicks: cut };
    const right: Clip = { ...clip, id: ctx.newId('clip'), startFlicks: args.atFlicks, inFlicks: cut };
    return new PatchBuilder().set('clips', left).set('clips', right).patch;
  },
});

export const clipRemove = defineCommand({
  label: 'Delete clips',
  /** With ripple, later clips on the same track close the gap. */
  args: z.object({ clipIds: z.array(id).min(1).max(10_000), ripple: z.boolean().default(false) }),
  run(state, args) {
    const b = new PatchBuilder();
    const removed = new Set(args.clipIds);
    const clips = args.clipIds.map((cid) => requireClip(state, cid));
    for (const c of clips) b.delete('clips', c.id);
    if (args.ripple) {
      const tracks = new Set(clips.map((c) => c.trackId));
      for (const trackId of tracks) {
        const gone = clips.filter((c) => c.trackId === trackId);
        for (const other of clipsOnTrack(state, trackId)) {
          if (removed.has(other.id)) continue;
          const shift = gone.filter((g) => clipEnd(g) <= other.startFlicks).reduce((s, g) => s + clipDuration(g), 0);
          if (shift > 0) b.set('clips', { ...other, startFlicks: other.startFlicks - shift });
        }
      }
    }
    return b.patch;
  },
});

export const clipSetEffects = defineCommand({
  label: 'Change clip effects',
  args: z.object({ clipId: id, effects: effectsPatch }),
  run(state, args) {
    const clip = requireClip(state, args.clipId);
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
  args: z.object({ trackId: id, muted: z.boolean().optional(), name: z.string().min(1).max(100).optional() }),
  run(state, args) {
    const t = requireTrack(state, args.trackId);
    return new PatchBuilder().set('tracks', { ...t, ...(args.muted !== undefined ? { muted: args.muted } : {}), ...(args.name ? { name: args.name } : {}) }).patch;
  },
});
