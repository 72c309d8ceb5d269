/** Recut, speed and loop commands: every one done, undone, redone, with the invariants checked. */
import { describe, expect, it } from 'vitest';
import { execute } from '../../../app/commands/engine.js';
import { applyPatch, applyPatchInPlace } from '../../../app/commands/patch.js';
import type { CommandName } from '../../../app/commands/registry.js';
import { ShotlineError } from '../../../app/errors.js';
import { checkInvariants } from '../../../app/timeline/invariants.js';
import type { Clip, ProjectState } from '../../../app/model/types.js';
import { clipDuration, clipEnd, clipsOnTrack } from '../../../app/timeline/query.js';
import { flicksPerFrame, secondsToFlicks as s } from '../../../app/time/flicks.js';
import { presetKeyframes } from '../../../app/timing/curve.js';
import { sourceTimeAt } from '../../../app/timing/timemap.js';
import { DEFAULT_SPEED, type SpeedEffect } from '../../../app/model/timing.js';
import { counterIds, stateWithAssets, videoAsset } from '../../helpers/state.js';

const FRAME = flicksPerFrame({ num: 30, den: 1 });
const F24 = flicksPerFrame({ num: 24, den: 1 });

function run(state: ProjectState, command: CommandName, args: unknown, ids = counterIds()): ProjectState {
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

/** Two touching clips on V1: a (0..3 s of a 6 s source at 30 fps), then b (1..4 s of a 24 fps source). */
function twoClips(): { st: ProjectState; a: Clip; b: Clip } {
  let st = stateWithAssets(videoAsset('x', 6), videoAsset('y', 6, { probe: { ...videoAsset('y', 6).probe, fps: { num: 24, den: 1 } } }));
  st = run(st, 'clip.add', { trackId: 'v1', assetId: 'x', startFlicks: 0, inFlicks: 0, outFlicks: s(3) });
  st = run(st, 'clip.add', { trackId: 'v1', assetId: 'y', startFlicks: s(3), inFlicks: s(1), outFlicks: s(4) });
  const [a, b] = clipsOnTrack(st, 'v1');
  return { st, a: a!, b: b! };
}

const speed = (p: Partial<SpeedEffect>): SpeedEffect => ({ ...DEFAULT_SPEED, ...p });

describe('recut', () => {
  it('slips the source under a fixed clip by source frames', () => {
    const { st: st0, b } = twoClips();
    let st = run(st0, 'clip.slip', { clipId: b.id, frames: 5 });
    expect(st.clips[b.id]).toMatchObject({ startFlicks: s(3), inFlicks: s(1) + 5 * F24, outFlicks: s(4) + 5 * F24 });
    st = run(st, 'clip.slip', { clipId: b.id, frames: -29 });
    expect(st.clips[b.id]!.inFlicks).toBe(0);
    expect(() => execute(st, 'clip.slip', { clipId: b.id, frames: -1 }, counterIds())).toThrow(/no earlier frames/);
    expect(() => execute(st, 'clip.slip', { clipId: b.id, frames: 24 * 3 + 1 }, counterIds())).toThrow(/no later frames/);
    expect(clipDuration(st.clips[b.id]!)).toBe(s(3));
  });

  it('rolls the cut between neighbours, keeping the outer edges', () => {
    const { st: st0, a, b } = twoClips();
    const st = run(st0, 'clip.roll', { clipId: a.id, toFlicks: s(2.5) });
    const [na, nb] = [st.clips[a.id]!, st.clips[b.id]!];
    expect(na.outFlicks).toBe(s(2.5));
    expect(nb.startFlicks).toBe(s(2.5));
    expect(nb.inFlicks).toBe(s(0.5));
    expect(clipEnd(nb)).toBe(clipEnd(b));
    // Different frame rates: the cut lands on a's 30 fps frame and b's next 24 fps frame.
    const later = run(st, 'clip.roll', { clipId: a.id, toFlicks: s(3.5) + 7 * FRAME });
    const gap = later.clips[b.id]!.startFlicks - clipEnd(later.clips[a.id]!);
    expect(gap >= 0 && gap < F24).toBe(true);
    expect(later.clips[b.id]!.inFlicks % F24).toBe(0);
    expect(() => execute(st0, 'clip.roll', { clipId: b.id, toFlicks: s(5) }, counterIds())).toThrow(/right after/);
    expect(() => execute(st0, 'clip.roll', { clipId: a.id, toFlicks: s(0.5) }, counterIds())).toThrow(/beginning of its source/);
  });

  it('keeps only the marked range, on the source grid', () => {
    const { st: st0, b } = twoClips();
    const st = run(st0, 'clip.keepRange', { clipId: b.id, fromFlicks: s(3.5), toFlicks: s(3.5) + 13 * FRAME });
    const nb = st.clips[b.id]!;
    expect(nb.startFlicks).toBe(s(3.5));
    expect(nb.inFlicks).toBe(s(1.5));
    expect(nb.outFlicks % F24).toBe(0);
    expect(Math.abs(nb.outFlicks - (s(1.5) + 13 * FRAME))).toBeLessThanOrEqual(F24 / 2);
    expect(() => execute(st0, 'clip.keepRange', { clipId: b.id, fromFlicks: s(9), toFlicks: s(10) }, counterIds())).toThrow(/does not cover/);
  });

  it('trims the source by frame numbers; refuses what does not fit unless rippling', () => {
    const { st: st0, a, b } = twoClips();
    let st = run(st0, 'clip.trimSource', { clipId: a.id, inFrame: 3, outFrame: 60 });
    expect(st.clips[a.id]).toMatchObject({ startFlicks: 0, inFlicks: 3 * FRAME, outFlicks: 60 * FRAME });
    expect(() => execute(st, 'clip.trimSource', { clipId: a.id, outFrame: 120 }, counterIds())).toThrow(/no room/);
    st = run(st, 'clip.trimSource', { clipId: a.id, outFrame: 120, ripple: true });
    // a grew by 2 s; b moved by as much (the gap before it stays).
    expect(st.clips[b.id]!.startFlicks).toBe(s(5));
  });

  it('plain trims land on the source grid of a 24 fps clip', () => {
    const { st: st0, b } = twoClips();
    const st = run(st0, 'clip.trim', { clipId: b.id, edge: 'out', toFlicks: s(5) + 1 * FRAME });
    expect(st.clips[b.id]!.outFlicks % F24).toBe(0);
  });
});

describe('speed', () => {
  it('slows a clip down and ripples the track; undo puts everything back', () => {
    const { st: st0, a, b } = twoClips();
    const st = run(st0, 'clip.setSpeed', { clipId: a.id, speed: speed({ rate: 0.5 }) });
    expect(clipDuration(st.clips[a.id]!)).toBe(s(6));
    expect(st.clips[b.id]!.startFlicks).toBe(s(6));
    expect(() => execute(st0, 'clip.setSpeed', { clipId: a.id, speed: speed({ rate: 0.5 }), ripple: false }, counterIds())).toThrow(/no room/);
    // Speeding up leaves a gap without ripple, closes it with.
    const fast = run(st0, 'clip.setSpeed', { clipId: a.id, speed: speed({ rate: 2 }), ripple: false });
    expect(fast.clips[b.id]!.startFlicks).toBe(s(3));
    const cleared = run(st, 'clip.setSpeed', { clipId: a.id, speed: null });
    expect(cleared.clips[a.id]!.effects.speed).toBeUndefined();
    expect(cleared.clips[b.id]!.startFlicks).toBe(s(3));
  });

  it('takes curves, reverse and presets; refuses out-of-range rates and stills', () => {
    const { st: st0, a } = twoClips();
    let st = run(st0, 'clip.setSpeed', { clipId: a.id, speed: speed({ keyframes: presetKeyframes('hero'), reverse: true, frames: 'blend', rampAudio: 'mute' }) });
    expect(st.clips[a.id]!.effects.speed!.keyframes).toHaveLength(4);
    st = run(st, 'clip.setSpeed', { clipId: a.id, speed: speed({ rate: 10 }) });
    expect(clipDuration(st.clips[a.id]!)).toBe(s(0.3));
    expect(() => execute(st0, 'clip.setSpeed', { clipId: a.id, speed: speed({ rate: 11 }) }, counterIds())).toThrow(/Invalid/);
    expect(() => execute(st0, 'clip.setSpeed', { clipId: a.id, speed: speed({ keyframes: [{ at: 0.5, speed: 1, ease: 'linear' }, { at: 1, speed: 2, ease: 'linear' }] }) }, counterIds())).toThrow(/first speed keyframe/);
    const still = stateWithAssets({ ...videoAsset('p', 1), kind: 'image' });
    const withStill = run(still, 'clip.add', { trackId: 'v1', assetId: 'p', startFlicks: 0 });
    const pc = clipsOnTrack(withStill, 'v1')[0]!;
    expect(() => execute(withStill, 'clip.setSpeed', { clipId: pc.id, speed: speed({ rate: 2 }) }, counterIds())).toThrow(/still/);
  });

  it('trims and splits speed clips through the time map', () => {
    const { st: st0, a } = twoClips();
    let st = run(st0, 'clip.setSpeed', { clipId: a.id, speed: speed({ rate: 0.5 }) });
    // Dragging the out edge back 1 s of timeline removes 0.5 s of source.
    st = run(st, 'clip.trim', { clipId: a.id, edge: 'out', toFlicks: s(5) });
    expect(st.clips[a.id]!.outFlicks).toBe(s(2.5));
    st = run(st, 'clip.split', { clipId: a.id, atFlicks: s(2) }, counterIds());
    const [left, right] = clipsOnTrack(st, 'v1');
    expect([left!.inFlicks, left!.outFlicks, right!.inFlicks, right!.outFlicks]).toEqual([0, s(1), s(1), s(2.5)]);
    expect(right!.startFlicks).toBe(s(2));
    expect(right!.effects.speed!.rate).toBe(0.5);
  });

  it('splits a reversed ramp into pieces that play the same source times', () => {
    const { st: st0, a } = twoClips();
    const st = run(st0, 'clip.setSpeed', { clipId: a.id, speed: speed({ keyframes: presetKeyframes('ramp-in'), reverse: true }) });
    const before = st.clips[a.id]!;
    const at = s(2.2);
    const after = run(st, 'clip.split', { clipId: a.id, atFlicks: at }, counterIds());
    const [first, second] = clipsOnTrack(after, 'v1').filter((c) => c.assetId === 'x');
    expect(first!.outFlicks).toBe(before.outFlicks);
    expect(second!.inFlicks).toBe(before.inFlicks);
    expect(first!.inFlicks).toBe(second!.outFlicks);
    for (const t of [s(0.5), s(1.5), s(3), s(4)]) {
      const piece = t < second!.startFlicks ? first! : second!;
      expect(Math.abs(sourceTimeAt(piece, t - piece.startFlicks) - sourceTimeAt(before, t))).toBeLessThan(s(0.05));
    }
  });
});

describe('loop', () => {
  it('repeats by count or fills a length, rippling; trims become fills', () => {
    const { st: st0, a, b } = twoClips();
    let st = run(st0, 'clip.setLoop', { clipId: a.id, loop: { mode: 'count', count: 3, fillFlicks: 0, crossfadeFlicks: 10 * FRAME } });
    expect(clipDuration(st.clips[a.id]!)).toBe(s(9) - 20 * FRAME);
    expect(st.clips[b.id]!.startFlicks).toBe(clipEnd(st.clips[a.id]!));
    st = run(st, 'clip.trim', { clipId: a.id, edge: 'out', toFlicks: s(7) });
    expect(st.clips[a.id]!.effects.loop).toMatchObject({ mode: 'fill', fillFlicks: s(7) });
    expect(() => execute(st, 'clip.split', { clipId: a.id, atFlicks: s(1) }, counterIds())).toThrow(/looped clip/);
    expect(() => execute(st0, 'clip.setLoop', { clipId: a.id, loop: { mode: 'count', count: 65, fillFlicks: 0, crossfadeFlicks: 0 } }, counterIds())).toThrow(/Invalid/);
    expect(() => execute(st0, 'clip.setLoop', { clipId: a.id, loop: { mode: 'fill', count: 1, fillFlicks: s(300), crossfadeFlicks: 0 } }, counterIds())).toThrow(/repeats 100 times/);
    st = run(st, 'clip.setLoop', { clipId: a.id, loop: null });
    expect(st.clips[a.id]!.effects.loop).toBeUndefined();
  });

  it('applies a found loop point: source span on the grid, loop on, one undo step', () => {
    const { st: st0, a } = twoClips();
    const st = run(st0, 'clip.applyLoopPoint', { clipId: a.id, startFrame: 9, endFrame: 84, crossfadeFlicks: 4 * FRAME });
    expect(st.clips[a.id]).toMatchObject({ inFlicks: 9 * FRAME, outFlicks: 84 * FRAME });
    expect(st.clips[a.id]!.effects.loop).toMatchObject({ mode: 'count', count: 2, crossfadeFlicks: 4 * FRAME });
    expect(() => execute(st0, 'clip.applyLoopPoint', { clipId: a.id, startFrame: 50, endFrame: 40 }, counterIds())).toThrow(/end after/);
  });
});

describe('long random edit sequences with time effects', () => {
  it('keep every invariant and undo/redo exact at every step', () => {
    let { st } = twoClips();
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const ids = counterIds();
    let applied = 0;
    for (let i = 0; i < 300; i++) {
      const clips = Object.values(st.clips);
      const c = clips[Math.floor(rnd() * clips.length)];
      if (!c) break;
      const t = Math.round(rnd() * s(12));
      const rate = [0.25, 0.5, 1.5, 2, 3][Math.floor(rnd() * 5)]!;
      const attempts: [CommandName, unknown][] = [
        ['clip.setSpeed', { clipId: c.id, speed: speed({ rate, reverse: rnd() < 0.3 }) }],
        ['clip.setSpeed', { clipId: c.id, speed: speed({ keyframes: presetKeyframes((['ramp-in', 'ramp-out', 'hero'] as const)[Math.floor(rnd() * 3)]!) }) }],
        ['clip.setLoop', { clipId: c.id, loop: rnd() < 0.3 ? null : { mode: 'count', count: 1 + Math.floor(rnd() * 3), fillFlicks: 0, crossfadeFlicks: Math.floor(rnd() * 5) * FRAME } }],
        ['clip.trim', { clipId: c.id, edge: rnd() < 0.5 ? 'in' : 'out', toFlicks: t }],
        ['clip.split', { clipId: c.id, atFlicks: t }],
        ['clip.slip', { clipId: c.id, frames: Math.round((rnd() - 0.5) * 20) }],
        ['clip.roll', { clipId: c.id, toFlicks: t }],
        ['clip.keepRange', { clipId: c.id, fromFlicks: t, toFlicks: t + s(1) }],
        ['clip.move', { clipId: c.id, startFlicks: t }],
        ['clip.remove', { clipIds: [c.id], ripple: true }],
      ];
      const [cmd, args] = attempts[Math.floor(rnd() * attempts.length)]!;
      try {
        st = run(st, cmd, args, ids);
        applied++;
      } catch (e) {
        if (!(e instanceof ShotlineError)) throw e;
      }
      if (Object.keys(st.clips).length === 0) st = twoClips().st;
    }
    expect(applied).toBeGreaterThan(80);
  });
});
