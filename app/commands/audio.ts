/**
 * Sound edits: detach a picture's sound onto an audio track, link and unlink, the volume
 * rubber band, crossfades between neighbouring audio clips, removing a track.
 */
import { z } from 'zod';
import { invalidEdit } from '../errors.js';
import type { Clip, GainKeyframe, ProjectState, Track } from '../model/types.js';
import { isDeclaredCrossfade } from '../timeline/crossfades.js';
import { expandLinked, linkedPartners, unlinked } from '../timeline/links.js';
import { assetSourceDuration, clipDuration, clipEnd, clipsOnTrack, tracksOfKind } from '../timeline/query.js';
import { hasTimeEffects } from '../timing/timemap.js';
import { defineCommand } from './define.js';
import { PatchBuilder } from './patch.js';
import { assertPlaceable, assertUnlocked, hasOwnSound, linkSound } from './placement.js';
import { requireClip } from './recut.js';
import { flicks, id } from './schemas.js';

export const MAX_KEYFRAMES = 500;
export const MAX_CLIP_GAIN = 4;

export const clipDetachAudio = defineCommand({
  label: 'Detach audio',
  /** Each picture clip's sound becomes a linked clip on the first free audio track; the picture goes silent. */
  args: z.object({ clipIds: z.array(id).min(1).max(10_000) }),
  run(state, args, ctx) {
    const b = new PatchBuilder();
    const pending: Clip[] = [];
    const made: Track[] = [];
    let any = false;
    for (const cid of args.clipIds) {
      const clip = requireClip(state, cid);
      if (!hasOwnSound(state, clip)) continue;
      assertUnlocked(state, clip.trackId);
      const [picture, sound] = linkSound(state, clip, b, ctx, pending, made);
      b.set('clips', picture).set('clips', sound);
      any = true;
    }
    if (!any) throw invalidEdit('None of these clips has sound of its own to detach.', 'Select a video clip with sound on a video track.');
    return b.patch;
  },
});

export const clipLink = defineCommand({
  label: 'Link clips',
  args: z.object({ clipIds: z.array(id).min(2).max(64) }),
  run(state, args, ctx) {
    const clips = args.clipIds.map((cid) => requireClip(state, cid));
    const tracks = new Set(clips.map((c) => c.trackId));
    if (tracks.size !== clips.length) throw invalidEdit('Linked clips must be on different tracks.', 'Select one clip per track.');
    const linkId = ctx.newId('link');
    const b = new PatchBuilder();
    // Whatever the clips were linked to before lets go of them.
    for (const c of clips) for (const p of linkedPartners(state, c)) if (!args.clipIds.includes(p.id)) b.set('clips', unlinked(p));
    for (const c of clips) b.set('clips', { ...c, linkId });
    return b.patch;
  },
});

export const clipUnlink = defineCommand({
  label: 'Unlink clips',
  args: z.object({ clipIds: z.array(id).min(1).max(10_000) }),
  run(state, args) {
    args.clipIds.forEach((cid) => requireClip(state, cid));
    const b = new PatchBuilder();
    for (const c of expandLinked(state, args.clipIds)) if (c.linkId) b.set('clips', unlinked(c));
    return b.patch;
  },
});

const keyframe = z.object({ sourceFlicks: flicks, gain: z.number().min(0).max(MAX_CLIP_GAIN) });

export const clipSetGainKeyframes = defineCommand({
  label: 'Change volume keyframes',
  /** The whole rubber band at once (add, drag and delete are each one undoable edit). Empty removes it. */
  args: z.object({ clipId: id, keyframes: z.array(keyframe).max(MAX_KEYFRAMES) }),
  run(state, args) {
    const clip = requireClip(state, args.clipId);
    assertUnlocked(state, clip.trackId);
    if (args.keyframes.length && hasTimeEffects(clip))
      throw invalidEdit('Volume keyframes are not available on a clip with speed or loop.', 'Use the clip volume and fades, or remove the speed change.');
    const sorted: GainKeyframe[] = [...args.keyframes].sort((a, b) => a.sourceFlicks - b.sourceFlicks);
    for (let i = 1; i < sorted.length; i++)
      if (sorted[i]!.sourceFlicks === sorted[i - 1]!.sourceFlicks) throw invalidEdit('Two volume keyframes are at the same time.', 'Drag one of them aside.');
    const effects = { ...clip.effects };
    if (sorted.length) effects.gainKeyframes = sorted;
    else delete effects.gainKeyframes;
    return new PatchBuilder().set('clips', { ...clip, effects }).patch;
  },
});

/** The clip right before `clip` on its track that it touches or crossfades with. */
function previousNeighbour(state: ProjectState, clip: Clip): Clip | undefined {
  const list = clipsOnTrack(state, clip.trackId);
  const i = list.findIndex((c) => c.id === clip.id);
  const prev = i > 0 ? list[i - 1] : undefined;
  if (!prev) return undefined;
  if (clipEnd(prev) === clip.startFlicks || isDeclaredCrossfade(prev, clip)) return prev;
  return undefined;
}

export const clipCrossfade = defineCommand({
  label: 'Crossfade',
  /**
   * Crossfade `clipId` with the audio clip that ends where it starts. The overlap comes from
   * media beyond the cut (handles): the earlier clip plays on past the cut and this one starts
   * before it, half each where both have it, so neither sound moves against its picture.
   * `durationFlicks` 0 removes the crossfade (the cut returns to the middle of the overlap).
   */
  args: z.object({ clipId: id, durationFlicks: flicks, curve: z.enum(['auto', 'equal-power', 'equal-gain']).default('auto') }),
  run(state, args) {
    const later = requireClip(state, args.clipId);
    if (state.tracks[later.trackId]?.kind !== 'audio') throw invalidEdit('Crossfades are made between clips on an audio track.', 'Detach the audio first.');
    if (hasTimeEffects(later)) throw invalidEdit('A clip with speed or loop cannot be crossfaded.');
    const earlier = previousNeighbour(state, later);
    if (!earlier) throw invalidEdit('A crossfade needs a clip that ends where this one starts, on the same track.', 'Butt the two clips together first (or drag this one over the end of the other).');
    if (hasTimeEffects(earlier)) throw invalidEdit('A clip with speed or loop cannot be crossfaded.');
    assertUnlocked(state, later.trackId);
    // Back to a plain cut first (the middle of any existing overlap).
    const old = isDeclaredCrossfade(earlier, later) ? later.effects.crossfadeInFlicks! : 0;
    const cut = later.startFlicks + Math.floor(old / 2);
    let a: Clip = { ...earlier, outFlicks: earlier.outFlicks - (clipEnd(earlier) - cut) };
    let b: Clip = { ...later, startFlicks: cut, inFlicks: later.inFlicks + (cut - later.startFlicks), effects: { ...later.effects, crossfadeInFlicks: 0, crossfadeCurve: args.curve } };
    const d = args.durationFlicks;
    if (d > 0) {
      const tail = assetSourceDuration(state, a.assetId) - a.outFlicks;
      const head = b.inFlicks;
      if (tail + head < d)
        throw invalidEdit(
          `A crossfade that long needs ${((d - tail - head) / 705_600_000).toFixed(2)} s more media beyond the cut than the two clips have.`,
          'Make it shorter, or trim the clips back to leave handles.',
        );
      let fromB = Math.min(head, Math.ceil(d / 2));
      let fromA = d - fromB;
      if (fromA > tail) {
        fromA = tail;
        fromB = d - fromA;
      }
      a = { ...a, outFlicks: a.outFlicks + fromA };
      b = { ...b, startFlicks: b.startFlicks - fromB, inFlicks: b.inFlicks - fromB, effects: { ...b.effects, crossfadeInFlicks: d } };
      if (d >= clipDuration(a) || d >= clipDuration(b)) throw invalidEdit('A crossfade must be shorter than both clips.');
    }
    const except = new Set([a.id, b.id]);
    assertPlaceable(state, a, except, [b]);
    assertPlaceable(state, b, except, [a]);
    return new PatchBuilder().set('clips', a).set('clips', b).patch;
  },
});

export const trackRemove = defineCommand({
  label: 'Delete track',
  /** Removes the track and its clips (their linked partners stay, unlinked); the rest renumber. */
  args: z.object({ trackId: id }),
  run(state, args) {
    const t = state.tracks[args.trackId];
    if (!t) throw invalidEdit(`Track ${args.trackId} does not exist.`);
    if (t.locked) throw invalidEdit(`Track ${t.name} is locked.`, 'Unlock it first.');
    const b = new PatchBuilder().delete('tracks', t.id);
    const gone = clipsOnTrack(state, t.id);
    const goneIds = new Set(gone.map((c) => c.id));
    for (const c of gone) {
      b.delete('clips', c.id);
      for (const p of linkedPartners(state, c)) if (!goneIds.has(p.id)) b.set('clips', unlinked(p));
    }
    for (const other of tracksOfKind(state, t.kind)) if (other.index > t.index) b.set('tracks', { ...other, index: other.index - 1 });
    return b.patch;
  },
});
