import { describe, expect, it } from 'vitest';
import { execute } from '../../../app/commands/engine.js';
import { applyPatch, applyPatchInPlace } from '../../../app/commands/patch.js';
import type { CommandName } from '../../../app/commands/registry.js';
import { checkInvariants } from '../../../app/timeline/invariants.js';
import type { ProjectState } from '../../../app/model/types.js';
import { clipsOnTrack, orderedShots, timelineDuration } from '../../../app/timeline/query.js';
import { secondsToFlicks as s } from '../../../app/time/flicks.js';
import { ShotlineError } from '../../../app/errors.js';
import { counterIds, stateWithAssets, videoAsset } from '../../helpers/state.js';

/** Run a command, then check: invariants hold; undo restores the exact prior state; redo restores the result. */
function run(state: ProjectState, command: CommandName, args: unknown, ids = counterIds()): ProjectState {
  const done = execute(state, command, args, ids);
  const next = applyPatch(state, done.entry.patch);
  expect(checkInvariants(next)).toEqual([]);
  const undone = applyPatch(next, done.entry.inverse);
  expect(undone).toEqual(state);
  const redone = applyPatch(undone, done.entry.patch);
  expect(redone).toEqual(next);
  // Main applies patches in place: that must land on the same state.
  const mutable = structuredClone(state);
  applyPatchInPlace(mutable, done.entry.patch);
  expect(mutable).toEqual(next);
  return next;
}

function storyboardWithTakes(): ProjectState {
  let st = stateWithAssets(videoAsset('a', 3), videoAsset('b', 5));
  const ids = counterIds();
  st = run(st, 'shot.add', { fields: { title: 'One' } }, ids);
  st = run(st, 'shot.add', { fields: { title: 'Two' } }, ids);
  const [one, two] = orderedShots(st);
  st = run(st, 'take.add', { shotId: one!.id, assetId: 'a' }, ids);
  st = run(st, 'take.add', { shotId: two!.id, assetId: 'b' }, ids);
  return st;
}

describe('storyboard commands', () => {
  it('adds shots in order, inserts after a given shot, and composes defaults', () => {
    let st = stateWithAssets();
    const ids = counterIds();
    st = run(st, 'shot.add', {}, ids);
    st = run(st, 'shot.add', {}, ids);
    const first = orderedShots(st)[0]!;
    st = run(st, 'shot.add', { afterShotId: first.id, fields: { title: 'Inserted', aspect: '9:16' } }, ids);
    const titles = orderedShots(st).map((x) => x.title);
    expect(titles).toEqual(['Shot 1', 'Inserted', 'Shot 2']);
    expect(orderedShots(st)[1]!.aspect).toBe('9:16');
    expect(orderedShots(st)[0]!.durationFlicks).toBe(s(4));
  });

  it('reorders with a move that touches only the moved shot', () => {
    let st = stateWithAssets();
    const ids = counterIds();
    for (let i = 0; i < 4; i++) st = run(st, 'shot.add', { fields: { title: `S${i}` } }, ids);
    const last = orderedShots(st)[3]!;
    const done = execute(st, 'shot.move', { shotId: last.id, toIndex: 0 }, ids);
    expect(Object.keys(done.entry.patch.shots!)).toEqual([last.id]);
    st = run(st, 'shot.move', { shotId: last.id, toIndex: 0 }, ids);
    expect(orderedShots(st).map((x) => x.title)).toEqual(['S3', 'S0', 'S1', 'S2']);
    st = run(st, 'shot.move', { shotId: last.id, toIndex: 2 }, ids);
    expect(orderedShots(st).map((x) => x.title)).toEqual(['S0', 'S1', 'S3', 'S2']);
  });

  it('updates prompt fields partially and keeps the rest', () => {
    let st = storyboardWithTakes();
    const shot = orderedShots(st)[0]!;
    st = run(st, 'shot.update', { shotId: shot.id, fields: { prompt: { subject: 'A fox' } } });
    st = run(st, 'shot.update', { shotId: shot.id, fields: { prompt: { action: 'runs' }, durationFlicks: s(6) } });
    expect(st.shots[shot.id]!.prompt.subject).toBe('A fox');
    expect(st.shots[shot.id]!.prompt.action).toBe('runs');
    expect(st.shots[shot.id]!.durationFlicks).toBe(s(6));
  });

  it('first take is chosen automatically; duplicate copies takes and the pick', () => {
    let st = storyboardWithTakes();
    const one = orderedShots(st)[0]!;
    expect(one.chosenTakeId).toBeTruthy();
    st = run(st, 'shot.duplicate', { shotId: one.id }, counterIds());
    const shots = orderedShots(st);
    expect(shots.map((x) => x.title)).toEqual(['One', 'One (copy)', 'Two']);
    const copy = shots[1]!;
    expect(st.takes[copy.chosenTakeId!]!.assetId).toBe('a');
  });

  it('removing a shot removes its takes and unlinks its clips', () => {
    let st = storyboardWithTakes();
    st = run(st, 'timeline.assemble', {});
    const one = orderedShots(st)[0]!;
    st = run(st, 'shot.remove', { shotId: one.id });
    expect(Object.values(st.takes).some((t) => t.shotId === one.id)).toBe(false);
    // Two pictures and their linked sound stay.
    expect(Object.values(st.clips)).toHaveLength(4);
    expect(Object.values(st.clips).every((c) => c.shotId !== one.id)).toBe(true);
  });

  it('picking another take replaces the assembled clip and keeps trims that fit', () => {
    let st = storyboardWithTakes();
    const two = orderedShots(st)[1]!;
    st = run(st, 'timeline.assemble', {});
    const clip = Object.values(st.clips).find((c) => c.shotId === two.id)!;
    st = run(st, 'clip.trim', { clipId: clip.id, edge: 'out', toFlicks: clip.startFlicks + s(4) });
    st = run(st, 'take.add', { shotId: two.id, assetId: 'a' }); // 3 s long
    const newTake = Object.values(st.takes).find((t) => t.shotId === two.id && t.assetId === 'a')!;
    st = run(st, 'take.choose', { takeId: newTake.id });
    const after = st.clips[clip.id]!;
    expect(after.assetId).toBe('a');
    expect(after.outFlicks).toBe(s(3));
  });

  it('deleting the chosen take picks another; audio cannot be a take', () => {
    let st = storyboardWithTakes();
    st.assets.snd = { ...videoAsset('snd', 2), kind: 'audio' };
    const one = orderedShots(st)[0]!;
    expect(() => execute(st, 'take.add', { shotId: one.id, assetId: 'snd' }, counterIds())).toThrow(/audio only/);
    st = run(st, 'take.add', { shotId: one.id, assetId: 'b' });
    st = run(st, 'take.remove', { takeId: one.chosenTakeId! });
    expect(st.takes[st.shots[one.id]!.chosenTakeId!]!.assetId).toBe('b');
  });
});

describe('timeline commands', () => {
  it('assemble lays chosen takes end to end on V1, each trimmed to its shot, replacing what was there', () => {
    let st = storyboardWithTakes();
    // Shots are 4 s (the default): the 3 s take is used whole, the 5 s one from its start for 4 s.
    st = run(st, 'timeline.assemble', {});
    const v1 = clipsOnTrack(st, 'v1');
    expect(v1.map((c) => [c.startFlicks, c.inFlicks, c.outFlicks])).toEqual([[0, 0, s(3)], [s(3), 0, s(4)]]);
    st = run(st, 'timeline.assemble', {});
    expect(clipsOnTrack(st, 'v1')).toHaveLength(2);
    expect(timelineDuration(st)).toBe(s(7));
    // The rest of the take is one trim away.
    st = run(st, 'clip.trim', { clipId: clipsOnTrack(st, 'v1')[1]!.id, edge: 'out', toFlicks: s(8) });
    expect(timelineDuration(st)).toBe(s(8));
  });

  it('assemble honours shot durations: the timeline is as long as the storyboard says', () => {
    let st = storyboardWithTakes();
    const [one, two] = orderedShots(st);
    st = run(st, 'shot.update', { shotId: one!.id, fields: { durationFlicks: s(2.5) } });
    st = run(st, 'shot.update', { shotId: two!.id, fields: { durationFlicks: s(1.7) } });
    st = run(st, 'timeline.assemble', {});
    expect(clipsOnTrack(st, 'v1').map((c) => [c.startFlicks, c.inFlicks, c.outFlicks])).toEqual([[0, 0, s(2.5)], [s(2.5), 0, s(1.7)]]);
    expect(timelineDuration(st)).toBe(s(4.2));
    // A duration between source frames is cut on the frame before it (30 fps source).
    st = run(st, 'shot.update', { shotId: two!.id, fields: { durationFlicks: s(1.71) } });
    st = run(st, 'timeline.assemble', {});
    expect(clipsOnTrack(st, 'v1')[1]!.outFlicks).toBe(s(51 / 30));
  });

  it('assemble with no chosen take is a clear error', () => {
    expect(() => execute(stateWithAssets(), 'timeline.assemble', {}, counterIds())).toThrow(ShotlineError);
  });

  it('trims, splits, moves and ripple-deletes, keeping every invariant', () => {
    let st = storyboardWithTakes();
    st = run(st, 'shot.update', { shotId: orderedShots(st)[1]!.id, fields: { durationFlicks: s(5) } });
    st = run(st, 'timeline.assemble', {});
    let [c1, c2] = clipsOnTrack(st, 'v1');
    st = run(st, 'clip.trim', { clipId: c1!.id, edge: 'in', toFlicks: s(1) });
    expect(st.clips[c1!.id]).toMatchObject({ startFlicks: s(1), inFlicks: s(1), outFlicks: s(3) });
    st = run(st, 'clip.split', { clipId: c2!.id, atFlicks: s(5) });
    const parts = clipsOnTrack(st, 'v1');
    expect(parts).toHaveLength(3);
    expect(parts[1]).toMatchObject({ startFlicks: s(3), inFlicks: 0, outFlicks: s(2) });
    expect(parts[2]).toMatchObject({ startFlicks: s(5), inFlicks: s(2), outFlicks: s(5) });
    st = run(st, 'clip.remove', { clipIds: [parts[1]!.id], ripple: true });
    const after = clipsOnTrack(st, 'v1');
    expect(after.map((c) => c.startFlicks)).toEqual([s(1), s(3)]);
    [c1, c2] = after;
    expect(() => execute(st, 'clip.move', { clipId: c2!.id, startFlicks: s(2) }, counterIds())).toThrow(/overlap/);
    st = run(st, 'clip.move', { clipId: c1!.id, startFlicks: 0 });
    expect(st.clips[c1!.id]!.startFlicks).toBe(0);
  });

  it('refuses trims past the source, to nothing, and splits outside the clip', () => {
    let st = storyboardWithTakes();
    st = run(st, 'timeline.assemble', {});
    const [c1] = clipsOnTrack(st, 'v1');
    const ids = counterIds();
    expect(() => execute(st, 'clip.trim', { clipId: c1!.id, edge: 'out', toFlicks: s(3.5) }, ids)).toThrow(/past the end/);
    expect(() => execute(st, 'clip.trim', { clipId: c1!.id, edge: 'out', toFlicks: 0 }, ids)).toThrow(/nothing/);
    expect(() => execute(st, 'clip.split', { clipId: c1!.id, atFlicks: s(3) }, ids)).toThrow(/inside/);
    expect(() => execute(st, 'clip.trim', { clipId: c1!.id, edge: 'in', toFlicks: -5 }, ids)).toThrow(/Invalid/);
  });

  it("split takes the caller's ids for the halves it creates (a window shows it first), and refuses one in use", () => {
    let st = storyboardWithTakes();
    st = run(st, 'timeline.assemble', {});
    const [c1, c2] = clipsOnTrack(st, 'v1');
    const ids = counterIds();
    // The picture and its linked sound split together: the right halves' link, then each right half.
    const { patch } = execute(st, 'clip.split', { clipId: c1!.id, atFlicks: s(1), newIds: ['link_mine', 'clip_r1', 'clip_r2'] }, ids).entry;
    const created = Object.keys(patch.clips!).filter((id) => !st.clips[id]);
    expect(created.sort()).toEqual(['clip_r1', 'clip_r2']);
    for (const id of created) expect(patch.clips![id]).toMatchObject({ id, startFlicks: s(1), linkId: 'link_mine' });
    expect(() => execute(st, 'clip.split', { clipId: c1!.id, atFlicks: s(1), newIds: ['link_x', c2!.id] }, ids)).toThrow(/already in use/);
    // The same id twice would put both right halves under one key (one clip lost); an existing link id would merge links.
    expect(() => execute(st, 'clip.split', { clipId: c1!.id, atFlicks: s(1), newIds: ['link_y', 'clip_same', 'clip_same'] }, ids)).toThrow(/already in use/);
    expect(() => execute(st, 'clip.split', { clipId: c1!.id, atFlicks: s(1), newIds: [c1!.linkId!, 'clip_a', 'clip_b'] }, ids)).toThrow(/already in use/);
    // Without newIds, the ids come from the context as before.
    const own = execute(st, 'clip.split', { clipId: c1!.id, atFlicks: s(1) }, counterIds()).entry.patch;
    expect(Object.keys(own.clips!).filter((id) => !st.clips[id])).toHaveLength(2);
    expect(own.clips!.clip_r1).toBeUndefined();
  });

  it('adds clips to tracks by kind, and fades cannot exceed the clip', () => {
    let st = stateWithAssets(videoAsset('a', 3), { ...videoAsset('m', 10), kind: 'audio', probe: { durationFlicks: s(10), hasVideo: false, hasAudio: true } });
    st = run(st, 'clip.add', { trackId: 'a1', assetId: 'm', startFlicks: s(1) });
    expect(() => execute(st, 'clip.add', { trackId: 'v1', assetId: 'm', startFlicks: 0 }, counterIds())).toThrow(/audio track/);
    st = run(st, 'clip.add', { trackId: 'v1', assetId: 'a', startFlicks: 0, inFlicks: s(1), outFlicks: s(2) });
    const clip = clipsOnTrack(st, 'v1')[0]!;
    st = run(st, 'clip.setEffects', { clipId: clip.id, effects: { volume: 0.5, fadeInFlicks: s(0.25) } });
    expect(st.clips[clip.id]!.effects).toEqual({ volume: 0.5, fadeInFlicks: s(0.25), fadeOutFlicks: 0 });
    expect(() => execute(st, 'clip.setEffects', { clipId: clip.id, effects: { fadeOutFlicks: s(0.9) } }, counterIds())).toThrow(/Fades/);
    st = run(st, 'track.add', { kind: 'video' });
    expect(Object.values(st.tracks).filter((t) => t.kind === 'video').map((t) => t.name).sort()).toEqual(['V1', 'V2']);
  });

  it('survives a long random edit sequence with undo/redo exact at every step', () => {
    let st = storyboardWithTakes();
    st = run(st, 'timeline.assemble', {});
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const ids = counterIds();
    let applied = 0;
    for (let i = 0; i < 300; i++) {
      const clips = Object.values(st.clips);
      const clip = clips[Math.floor(rnd() * clips.length)];
      const t = Math.round(rnd() * s(9));
      const attempts: [CommandName, unknown][] = clip
        ? [
            ['clip.move', { clipId: clip.id, startFlicks: t }],
            ['clip.trim', { clipId: clip.id, edge: rnd() < 0.5 ? 'in' : 'out', toFlicks: t }],
            ['clip.split', { clipId: clip.id, atFlicks: t }],
            ['clip.remove', { clipIds: [clip.id], ripple: rnd() < 0.5 }],
          ]
        : [['timeline.assemble', {}]];
      const [cmd, args] = attempts[Math.floor(rnd() * attempts.length)]!;
      try {
        st = run(st, cmd, args, ids);
        applied++;
      } catch (e) {
        if (!(e instanceof ShotlineError)) throw e;
      }
    }
    expect(applied).toBeGreaterThan(50);
  });
});
