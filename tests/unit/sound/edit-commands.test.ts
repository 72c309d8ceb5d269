/**
 * Sound-editing commands: linked picture + sound, J/L cuts, unlink/relink, split and delete on
 * either side or both, track controls and lock, the volume rubber band, crossfades (command
 * and drag-over), audio drops on the first free audio track, takes with sound land linked.
 * Every step is run, undone and redone through the command machinery with invariants checked.
 */
import { describe, expect, it } from 'vitest';
import { execute } from '../../../app/commands/engine.js';
import { applyPatch, applyPatchInPlace } from '../../../app/commands/patch.js';
import type { CommandName } from '../../../app/commands/registry.js';
import type { Asset, Clip, ProjectState } from '../../../app/model/types.js';
import { secondsToFlicks as s } from '../../../app/time/flicks.js';
import { checkInvariants } from '../../../app/timeline/invariants.js';
import { linkedPartners } from '../../../app/timeline/links.js';
import { clipEnd, clipsOnTrack, orderedShots, tracksOfKind } from '../../../app/timeline/query.js';
import { counterIds, stateWithAssets, videoAsset } from '../../helpers/state.js';

const ids = counterIds();
function run(state: ProjectState, command: CommandName, args: unknown): ProjectState {
  const done = execute(state, command, args, ids);
  const next = applyPatch(state, done.entry.patch);
  expect(checkInvariants(next)).toEqual([]);
  expect(applyPatch(next, done.entry.inverse)).toEqual(state);
  expect(applyPatch(applyPatch(next, done.entry.inverse), done.entry.patch)).toEqual(next);
  const mutable = structuredClone(state);
  applyPatchInPlace(mutable, done.entry.patch);
  expect(mutable).toEqual(next);
  return next;
}
const fails = (st: ProjectState, command: CommandName, args: unknown, re: RegExp) => expect(() => execute(st, command, args, ids)).toThrow(re);

const music: Asset = { ...videoAsset('m', 20), kind: 'audio', path: 'media/m.wav', probe: { durationFlicks: s(20), hasVideo: false, hasAudio: true } };
const silent: Asset = { ...videoAsset('q', 6), probe: { ...videoAsset('q', 6).probe, hasAudio: false } };

/** A picture with sound at 1 s (source 1…4 s of a 10 s take): linked to its sound on A1. */
function linkedPair(): { st: ProjectState; pic: Clip; snd: Clip } {
  let st = stateWithAssets(videoAsset('a', 10), videoAsset('b', 10), music, silent);
  st = run(st, 'clip.add', { trackId: 'v1', assetId: 'a', startFlicks: s(1), inFlicks: s(1), outFlicks: s(4) });
  const pic = clipsOnTrack(st, 'v1')[0]!;
  const snd = clipsOnTrack(st, 'a1')[0]!;
  return { st, pic, snd };
}

describe('linked picture and sound', () => {
  it('a clip with sound places its sound on an audio track, linked; a silent one does not', () => {
    const { st, pic, snd } = linkedPair();
    expect(pic.audioDetached).toBe(true);
    expect(snd).toMatchObject({ assetId: 'a', startFlicks: s(1), inFlicks: s(1), outFlicks: s(4), linkId: pic.linkId });
    expect(linkedPartners(st, pic).map((c) => c.id)).toEqual([snd.id]);
    const st2 = run(st, 'clip.add', { trackId: 'v1', assetId: 'q', startFlicks: s(5) });
    expect(Object.keys(st2.clips)).toHaveLength(3);
    // With linkAudio false the picture keeps its sound inside it.
    const st3 = run(st, 'clip.add', { trackId: 'v1', assetId: 'b', startFlicks: s(8), linkAudio: false });
    const b = clipsOnTrack(st3, 'v1')[1]!;
    expect(b.linkId).toBeUndefined();
    expect(b.audioDetached).toBeUndefined();
  });

  it('moves, trims, splits and deletes both sides; one side with `alone` (Alt)', () => {
    let { st, pic, snd } = linkedPair();
    st = run(st, 'clip.move', { clipId: pic.id, startFlicks: s(2) });
    expect(st.clips[snd.id]!.startFlicks).toBe(s(2));
    st = run(st, 'clip.trim', { clipId: snd.id, edge: 'out', toFlicks: s(4) });
    expect(clipEnd(st.clips[pic.id]!)).toBe(s(4));
    // Split both at 3 s: the right halves are linked to each other, not to the left halves.
    st = run(st, 'clip.split', { clipId: pic.id, atFlicks: s(3) });
    const [, picR] = clipsOnTrack(st, 'v1');
    const [, sndR] = clipsOnTrack(st, 'a1');
    expect(picR!.linkId).toBe(sndR!.linkId);
    expect(picR!.linkId).not.toBe(pic.linkId);
    // Delete the sound of the right half only: the picture stays (silent, unlinked).
    st = run(st, 'clip.remove', { clipIds: [sndR!.id], alone: true });
    expect(st.clips[picR!.id]).toBeDefined();
    expect(st.clips[picR!.id]!.linkId).toBeUndefined();
    // Delete the left picture with its partner.
    st = run(st, 'clip.remove', { clipIds: [pic.id] });
    expect(st.clips[snd.id]).toBeUndefined();
    // Moving one side alone.
    st = run(st, 'clip.move', { clipId: picR!.id, startFlicks: s(6), alone: true });
    expect(st.clips[picR!.id]!.startFlicks).toBe(s(6));
  });

  it('J and L cuts: trimming one side of a linked pair; later moves keep the offset', () => {
    let { st, pic, snd } = linkedPair();
    // L cut: the sound runs 0.5 s past the picture's end.
    st = run(st, 'clip.trim', { clipId: snd.id, edge: 'out', toFlicks: s(4.5), alone: true });
    expect(clipEnd(st.clips[snd.id]!)).toBe(s(4.5));
    expect(clipEnd(st.clips[pic.id]!)).toBe(s(4));
    // J cut: the sound starts 0.25 s before its picture (from the source handle).
    st = run(st, 'clip.trim', { clipId: snd.id, edge: 'in', toFlicks: s(0.75), alone: true });
    expect(st.clips[snd.id]!).toMatchObject({ startFlicks: s(0.75), inFlicks: s(0.75) });
    st = run(st, 'clip.move', { clipId: pic.id, startFlicks: s(3) });
    expect(st.clips[snd.id]!.startFlicks).toBe(s(2.75));
    expect(clipEnd(st.clips[snd.id]!) - clipEnd(st.clips[pic.id]!)).toBe(s(0.5));
    // Both sides trimmed together keep the offsets.
    st = run(st, 'clip.trim', { clipId: pic.id, edge: 'out', toFlicks: s(5.5) });
    expect(clipEnd(st.clips[snd.id]!)).toBe(s(6));
    // A linked trim the other side cannot follow is refused with the way out.
    fails(st, 'clip.trim', { clipId: pic.id, edge: 'in', toFlicks: s(2.1) }, /linked sound cannot follow/);
  });

  it('unlink and relink; links need distinct tracks', () => {
    let { st, pic, snd } = linkedPair();
    st = run(st, 'clip.unlink', { clipIds: [pic.id] });
    expect(st.clips[snd.id]!.linkId).toBeUndefined();
    st = run(st, 'clip.move', { clipId: pic.id, startFlicks: s(5) });
    expect(st.clips[snd.id]!.startFlicks).toBe(s(1));
    st = run(st, 'clip.link', { clipIds: [pic.id, snd.id] });
    st = run(st, 'clip.move', { clipId: snd.id, startFlicks: s(2) });
    expect(st.clips[pic.id]!.startFlicks).toBe(s(6));
    fails(st, 'clip.link', { clipIds: [pic.id, pic.id] }, /different tracks/);
  });

  it('ripple delete of a linked pair closes the gap on both tracks, in sync', () => {
    let { st, pic } = linkedPair();
    st = run(st, 'clip.add', { trackId: 'v1', assetId: 'b', startFlicks: s(4), inFlicks: 0, outFlicks: s(2) });
    st = run(st, 'clip.remove', { clipIds: [pic.id], ripple: true });
    const [v] = clipsOnTrack(st, 'v1');
    const [a] = clipsOnTrack(st, 'a1');
    expect(v!.startFlicks).toBe(s(1));
    expect(a!.startFlicks).toBe(s(1));
    expect(a!.linkId).toBe(v!.linkId);
  });

  it('detaches the sound of an old clip onto the first free audio track', () => {
    let st = stateWithAssets(videoAsset('a', 10), music);
    st = run(st, 'clip.add', { trackId: 'a1', assetId: 'm', startFlicks: 0, outFlicks: s(5) });
    st = run(st, 'clip.add', { trackId: 'v1', assetId: 'a', startFlicks: 0, outFlicks: s(3), linkAudio: false });
    const pic = clipsOnTrack(st, 'v1')[0]!;
    st = run(st, 'clip.detachAudio', { clipIds: [pic.id] });
    const a2 = tracksOfKind(st, 'audio')[1]!;
    expect(a2.name).toBe('A2');
    expect(clipsOnTrack(st, a2.id)[0]).toMatchObject({ assetId: 'a', linkId: st.clips[pic.id]!.linkId });
    fails(st, 'clip.detachAudio', { clipIds: [pic.id] }, /no.*sound of its own|None of these/);
  });

  it('a dropped audio file lands on the first free audio track at the playhead', () => {
    let { st } = linkedPair();
    st = run(st, 'clip.add', { assetId: 'm', startFlicks: s(2), outFlicks: s(3) });
    const a2 = tracksOfKind(st, 'audio')[1]!;
    expect(clipsOnTrack(st, a2.id)[0]!.startFlicks).toBe(s(2));
    // Free on A1 after the sound ends: it goes there.
    st = run(st, 'clip.add', { assetId: 'm', startFlicks: s(4), outFlicks: s(1) });
    expect(clipsOnTrack(st, 'a1')).toHaveLength(2);
  });

  it('takes that arrive with sound land linked; a silent pick drops the sound', () => {
    let st = stateWithAssets(videoAsset('a', 5), silent);
    st = run(st, 'shot.add', { fields: { title: 'One' } });
    const shot = orderedShots(st)[0]!;
    st = run(st, 'take.add', { shotId: shot.id, assetId: 'a' });
    st = run(st, 'timeline.assemble', {});
    const [pic] = clipsOnTrack(st, 'v1');
    const [snd] = clipsOnTrack(st, 'a1');
    expect(snd!.linkId).toBe(pic!.linkId);
    st = run(st, 'take.add', { shotId: shot.id, assetId: 'q' });
    const q = Object.values(st.takes).find((t) => t.assetId === 'q')!;
    st = run(st, 'take.choose', { takeId: q.id });
    expect(clipsOnTrack(st, 'a1')).toHaveLength(0);
    expect(st.clips[pic!.id]!.audioDetached).toBeUndefined();
    // Assembling again replaces the pictures and their sound, not other tracks.
    st = run(st, 'clip.add', { assetId: 'a', trackId: 'v1', startFlicks: s(30) });
    st = run(st, 'timeline.assemble', {});
    expect(clipsOnTrack(st, 'a1').map((c) => c.startFlicks)).toEqual([]);
  });
});

describe('assemble in a project with no tracks yet', () => {
  it('creates V1 and still links each picture\'s sound (the new track was unknown to the sound check)', () => {
    let st: ProjectState = { ...stateWithAssets(videoAsset('a', 5)), tracks: {} };
    st = run(st, 'shot.add', { fields: { title: 'One' } });
    st = run(st, 'take.add', { shotId: orderedShots(st)[0]!.id, assetId: 'a' });
    st = run(st, 'timeline.assemble', {});
    const [v1] = tracksOfKind(st, 'video');
    const [a1] = tracksOfKind(st, 'audio');
    const [pic] = clipsOnTrack(st, v1!.id);
    const [snd] = clipsOnTrack(st, a1!.id);
    expect(pic!.audioDetached).toBe(true);
    expect(snd!.linkId).toBe(pic!.linkId);
  });
});

describe('audio tracks', () => {
  it('volume, pan, solo, mute and lock; a locked track refuses edits; tracks are removed with their clips', () => {
    let { st, pic, snd } = linkedPair();
    st = run(st, 'track.update', { trackId: 'a1', volume: 2, pan: -0.5, solo: true });
    expect(st.tracks.a1).toMatchObject({ volume: 2, pan: -0.5, solo: true });
    fails(st, 'track.update', { trackId: 'v1', volume: 2 }, /video track/);
    fails(st, 'track.update', { trackId: 'a1', pan: 2 }, /Invalid/);
    st = run(st, 'track.update', { trackId: 'a1', locked: true });
    fails(st, 'clip.move', { clipId: pic.id, startFlicks: s(3) }, /locked/);
    fails(st, 'clip.setEffects', { clipId: snd.id, effects: { volume: 2 } }, /locked/);
    st = run(st, 'clip.move', { clipId: pic.id, startFlicks: s(3), alone: true });
    fails(st, 'track.remove', { trackId: 'a1' }, /locked/);
    st = run(st, 'track.update', { trackId: 'a1', locked: false });
    st = run(st, 'track.add', { kind: 'audio' });
    st = run(st, 'track.remove', { trackId: 'a1' });
    expect(st.clips[snd.id]).toBeUndefined();
    expect(st.clips[pic.id]!.linkId).toBeUndefined();
    expect(tracksOfKind(st, 'audio').map((t) => [t.name, t.index])).toEqual([['A2', 0]]);
  });
});

describe('volume keyframes', () => {
  it('sets the rubber band sorted, refuses duplicates and speed clips, and clears it', () => {
    let { st, snd } = linkedPair();
    st = run(st, 'clip.setGainKeyframes', { clipId: snd.id, keyframes: [{ sourceFlicks: s(3), gain: 2 }, { sourceFlicks: s(2), gain: 0.5 }] });
    expect(st.clips[snd.id]!.effects.gainKeyframes!.map((k) => k.gain)).toEqual([0.5, 2]);
    fails(st, 'clip.setGainKeyframes', { clipId: snd.id, keyframes: [{ sourceFlicks: s(3), gain: 2 }, { sourceFlicks: s(3), gain: 1 }] }, /same time/);
    fails(st, 'clip.setGainKeyframes', { clipId: snd.id, keyframes: [{ sourceFlicks: s(3), gain: 5 }] }, /Invalid/);
    // Split: both halves keep the band (it is in source time, so each plays its own part).
    st = run(st, 'clip.split', { clipId: snd.id, atFlicks: s(2.5), alone: true });
    expect(clipsOnTrack(st, 'a1').every((c) => c.effects.gainKeyframes?.length === 2)).toBe(true);
    st = run(st, 'clip.setGainKeyframes', { clipId: snd.id, keyframes: [] });
    expect(st.clips[snd.id]!.effects.gainKeyframes).toBeUndefined();
  });
});

describe('crossfades', () => {
  /** Two butted music clips on A1 with handles both sides: [0, 2) from source 2…4, [2, 4) from source 10…12. */
  function butted(): ProjectState {
    let st = stateWithAssets(music, { ...music, id: 'n', path: 'media/n.wav' });
    st = run(st, 'clip.add', { trackId: 'a1', assetId: 'm', startFlicks: 0, inFlicks: s(2), outFlicks: s(4) });
    st = run(st, 'clip.add', { trackId: 'a1', assetId: 'n', startFlicks: s(2), inFlicks: s(10), outFlicks: s(12) });
    return st;
  }

  it('the command overlaps the clips by the length, half from each handle, without moving either sound', () => {
    let st = butted();
    const [a, b] = clipsOnTrack(st, 'a1');
    st = run(st, 'clip.crossfade', { clipId: b!.id, durationFlicks: s(0.5) });
    const [a2, b2] = clipsOnTrack(st, 'a1');
    expect(clipEnd(a2!)).toBe(s(2.25));
    expect(b2!).toMatchObject({ startFlicks: s(1.75), inFlicks: s(9.75) });
    expect(b2!.effects.crossfadeInFlicks).toBe(s(0.5));
    // Source time at any timeline instant is unchanged for both clips.
    expect(a2!.inFlicks - a2!.startFlicks).toBe(a!.inFlicks - a!.startFlicks);
    expect(b2!.inFlicks - b2!.startFlicks).toBe(b!.inFlicks - b!.startFlicks);
    // Changing the length goes through the middle of the overlap; 0 removes it.
    st = run(st, 'clip.crossfade', { clipId: b!.id, durationFlicks: s(1) });
    expect(st.clips[b!.id]!.startFlicks).toBe(s(1.5));
    st = run(st, 'clip.crossfade', { clipId: b!.id, durationFlicks: 0 });
    expect(st.clips[b!.id]!.startFlicks).toBe(s(2));
    expect(clipEnd(st.clips[a!.id]!)).toBe(s(2));
  });

  it('takes the handle from one side when the other has none, and says when neither has enough', () => {
    let st = stateWithAssets(music);
    st = run(st, 'clip.add', { trackId: 'a1', assetId: 'm', startFlicks: 0, inFlicks: s(2), outFlicks: s(4) });
    st = run(st, 'clip.add', { trackId: 'a1', assetId: 'm', startFlicks: s(2), inFlicks: 0, outFlicks: s(2) });
    const b = clipsOnTrack(st, 'a1')[1]!;
    st = run(st, 'clip.crossfade', { clipId: b.id, durationFlicks: s(0.4) });
    expect(st.clips[b.id]!.startFlicks).toBe(s(2) - s(0)); // b has no head: a's tail runs on 0.4 s
    expect(clipEnd(clipsOnTrack(st, 'a1')[0]!)).toBe(s(2.4));
    fails(st, 'clip.crossfade', { clipId: b.id, durationFlicks: s(17) }, /more media beyond the cut/);
  });

  it('dragging one clip over the end of the other makes a crossfade of the overlap; deleting one removes it', () => {
    let st = butted();
    const [a, b] = clipsOnTrack(st, 'a1');
    fails(st, 'clip.move', { clipId: b!.id, startFlicks: s(1.5) }, /overlap/);
    st = run(st, 'clip.move', { clipId: b!.id, startFlicks: s(1.5), crossfade: true });
    expect(st.clips[b!.id]!.effects.crossfadeInFlicks).toBe(s(0.5));
    // Trimming into a crossfade is refused rather than silently changing it.
    fails(st, 'clip.trim', { clipId: a!.id, edge: 'out', toFlicks: s(1.8) }, /overlap/);
    st = run(st, 'clip.remove', { clipIds: [a!.id] });
    expect(st.clips[b!.id]!.effects.crossfadeInFlicks).toBe(0);
  });
});

describe('older edits bring linked partners along', () => {
  it('speed, slip and ripple keep a picture and its sound in sync; a J/L-cut pair refuses what it cannot follow', () => {
    let { st, pic, snd } = linkedPair();
    st = run(st, 'clip.add', { trackId: 'v1', assetId: 'b', startFlicks: s(4), inFlicks: 0, outFlicks: s(2) });
    const later = clipsOnTrack(st, 'v1')[1]!;
    const laterSound = linkedPartners(st, later)[0]!;
    // 2× on the picture: its sound takes the same speed; the rippled next pair moves together.
    st = run(st, 'clip.setSpeed', { clipId: pic.id, speed: { rate: 2, keyframes: [], reverse: false, frames: 'nearest', rampAudio: 'resample' }, ripple: true });
    expect(st.clips[snd.id]!.effects.speed?.rate).toBe(2);
    expect(clipEnd(st.clips[snd.id]!)).toBe(clipEnd(st.clips[pic.id]!));
    expect(st.clips[laterSound.id]!.startFlicks).toBe(st.clips[later.id]!.startFlicks);
    expect(st.clips[later.id]!.startFlicks).toBe(s(2.5));
    st = run(st, 'clip.setSpeed', { clipId: pic.id, speed: null, ripple: true });
    expect(st.clips[laterSound.id]!.startFlicks).toBe(s(4));
    // Slip by 3 frames: the sound slips by as much.
    st = run(st, 'clip.slip', { clipId: pic.id, frames: 3 });
    expect(st.clips[snd.id]!.inFlicks).toBe(st.clips[pic.id]!.inFlicks);
    // After an L cut the pair is no longer a mirror: a speed change is refused with the way out.
    st = run(st, 'clip.trim', { clipId: snd.id, edge: 'out', toFlicks: clipEnd(st.clips[snd.id]!) - s(0.5), alone: true });
    fails(st, 'clip.setSpeed', { clipId: pic.id, speed: { rate: 2, keyframes: [], reverse: false, frames: 'nearest', rampAudio: 'resample' }, ripple: false }, /J or L cut/);
    // A slip still follows (both sides move through their sources by as much).
    const before = st.clips[snd.id]!.inFlicks;
    st = run(st, 'clip.slip', { clipId: pic.id, frames: -3 });
    expect(st.clips[snd.id]!.inFlicks).toBe(before - s(0.1));
  });
  it('a following partner is checked against its track as the edit leaves it: blocked by a clip that stays, not by one the edit moves away', () => {
    const half = { rate: 0.5, keyframes: [], reverse: false, frames: 'nearest', rampAudio: 'resample' };
    // Unlinked music on A1 at 5 s: the picture (1–4 s) slowed to half speed would run to 7 s;
    // V1 is free there, but its sound cannot follow over the music.
    const { st: base, pic, snd } = linkedPair();
    const blocked = run(base, 'clip.add', { trackId: 'a1', assetId: 'm', startFlicks: s(5), inFlicks: 0, outFlicks: s(2) });
    fails(blocked, 'clip.setSpeed', { clipId: pic.id, speed: half, ripple: false }, /overlap another clip on A1/);
    // A linked pair right after it (4 s on V1 and A1): rippling moves that pair to 7 s in the
    // same edit, so the slowed sound fits where the later sound was.
    let st = run(base, 'clip.add', { trackId: 'v1', assetId: 'b', startFlicks: s(4), inFlicks: 0, outFlicks: s(2) });
    const laterSound = linkedPartners(st, clipsOnTrack(st, 'v1')[1]!)[0]!;
    st = run(st, 'clip.setSpeed', { clipId: pic.id, speed: half, ripple: true });
    expect(clipEnd(st.clips[snd.id]!)).toBe(s(7));
    expect(st.clips[laterSound.id]!.startFlicks).toBe(s(7));
  });
});
