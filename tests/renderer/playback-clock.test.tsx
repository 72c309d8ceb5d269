/**
 * The transport clock (renderer/src/hooks/usePlaybackClock.ts) asks for animation frames only
 * while something plays (issue 14: a callback pending every frame made the browser run a frame
 * for it on every view while the editor sat idle), and still plays, stops at the end and
 * restarts as before. Frames are driven by hand: requestAnimationFrame is replaced by a queue.
 */
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_EFFECTS } from '../../app/model/types.js';
import { FLICKS_PER_SECOND } from '../../app/time/flicks.js';
import { usePlaybackClock } from '../../renderer/src/hooks/usePlaybackClock.js';
import { useProject } from '../../renderer/src/state/project.js';
import { useUi } from '../../renderer/src/state/ui.js';
import { emptyState, videoAsset } from '../helpers/state.js';

let pending = new Map<number, FrameRequestCallback>();
let nextId = 1;
let now = 0;
/** Run one animation frame `ms` after the last (the callbacks pending before it). */
function frame(ms = 1000 / 60) {
  now += ms;
  const due = pending;
  pending = new Map();
  act(() => due.forEach((cb) => cb(now)));
}

beforeEach(() => {
  pending = new Map();
  now = 0;
  vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => {
    pending.set(nextId, cb);
    return nextId++;
  });
  vi.stubGlobal('cancelAnimationFrame', (id: number) => pending.delete(id));
  const state = emptyState();
  state.assets.a = videoAsset('a', 10);
  // Two seconds of timeline on V1.
  state.clips.c1 = { id: 'c1', trackId: 'v1', assetId: 'a', startFlicks: 0, inFlicks: 0, outFlicks: 2 * FLICKS_PER_SECOND, shotId: null, effects: DEFAULT_EFFECTS };
  useProject.getState().load({ dir: '/p', state, history: { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null }, jobs: [] });
  useUi.getState().reset();
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the playback clock', () => {
  it('asks for no frames while paused, plays while the rate is set, stops at the end', () => {
    const { unmount } = renderHook(() => usePlaybackClock());
    expect(pending.size).toBe(0); // idle: no frame loop
    frame();
    expect(useUi.getState().playhead).toBe(0);

    act(() => useUi.getState().setRate(1));
    expect(pending.size).toBe(1);
    frame(); // the first frame only notes the time
    for (let i = 0; i < 30; i++) frame(1000 / 60);
    // 30 frames of 1/60 s at rate 1: half a second.
    expect(useUi.getState().playhead / FLICKS_PER_SECOND).toBeCloseTo(0.5, 3);

    act(() => useUi.getState().setRate(0));
    frame(); // the pending callback sees the pause and asks for no more
    expect(pending.size).toBe(0);
    const paused = useUi.getState().playhead;
    frame(500);
    expect(useUi.getState().playhead).toBe(paused);

    // Fast forward runs into the end: the rate drops to 0, the playhead sits at the end, the loop stops.
    act(() => useUi.getState().setRate(8));
    expect(pending.size).toBe(1);
    for (let i = 0; i < 40 && useUi.getState().rate !== 0; i++) frame(1000 / 60);
    expect(useUi.getState().rate).toBe(0);
    expect(useUi.getState().playhead).toBe(2 * FLICKS_PER_SECOND);
    frame();
    expect(pending.size).toBe(0);

    // Changing the rate while playing keeps one loop, not two.
    act(() => useUi.getState().setPlayhead(0));
    act(() => useUi.getState().setRate(1));
    act(() => useUi.getState().setRate(2));
    expect(pending.size).toBe(1);
    unmount();
    expect(pending.size).toBe(0);
  });
});
