import { describe, expect, it } from 'vitest';
import { analyzeLoop, bestLoopPairs, frameDifference, loopPointKey, loopSearchFor, searchWindows } from '../../../app/timing/loop-detect.js';
import { DEFAULT_EFFECTS } from '../../../app/model/types.js';
import { videoAsset } from '../../helpers/state.js';

describe('loop point detection (pure)', () => {
  it('picks the pair with the smallest difference from a matrix', () => {
    const starts = [10, 11, 12];
    const ends = [80, 81, 82];
    const diff = [
      [5, 4, 6],
      [3, 0.5, 2],
      [7, 8, 9],
    ];
    const best = bestLoopPairs(starts, ends, diff, 10);
    expect(best[0]).toEqual({ startFrame: 11, endFrame: 81, difference: 0.5 });
    expect(best.map((p) => p.difference)).toEqual([0.5, 2, 3, 4, 5]);
  });

  it('breaks ties towards the longer loop, then the earlier start; honours the shortest loop', () => {
    const best = bestLoopPairs([0, 1], [8, 9], [[1, 1], [1, 1]], 2);
    expect(best[0]).toMatchObject({ startFrame: 0, endFrame: 9 });
    expect(bestLoopPairs([0, 1], [3, 4], [[0, 0], [0, 0]], 4)).toEqual([{ startFrame: 0, endFrame: 4, difference: 0 }]);
    expect(bestLoopPairs([0], [2], [[0]], 5)).toEqual([]);
  });

  it('finds a planted match among synthetic frames and measures the motion', () => {
    // Frame n is a ramp shifted by n; frame 87 is made a copy of frame 9.
    const pic = (n: number) => Uint8Array.from({ length: 576 }, (_, i) => (i * 3 + n * 7) % 256);
    const starts = Array.from({ length: 20 }, (_, i) => i);
    const ends = Array.from({ length: 20 }, (_, i) => 80 + i);
    const endPics = ends.map((k) => (k === 87 ? pic(9) : pic(k + 1000)));
    const search = { inFrame: 0, outFrame: 100, windowFrames: 20, minLoopFrames: 34 };
    const r = analyzeLoop(search, starts, starts.map(pic), ends, endPics)!;
    expect([r.startFrame, r.endFrame, r.seamDifference]).toEqual([9, 87, 0]);
    expect(r.medianFrameDifference).toBeGreaterThan(0);
    expect(frameDifference(pic(1), pic(1))).toBe(0);
  });

  it('derives the search from a clip and keys the cache by span and settings', () => {
    const asset = videoAsset('a', 4); // 30 fps, 120 frames
    const clip = { id: 'c', trackId: 'v1', assetId: 'a', startFlicks: 0, inFlicks: 0, outFlicks: asset.probe.durationFlicks, shotId: null, effects: DEFAULT_EFFECTS };
    const s = loopSearchFor(clip, asset, 30)!;
    expect(s).toEqual({ inFrame: 0, outFrame: 120, windowFrames: 30, minLoopFrames: 40 });
    const w = searchWindows(s, 120);
    expect([w.starts[0], w.starts.at(-1), w.ends[0], w.ends.at(-1)]).toEqual([0, 29, 90, 119]);
    expect(loopPointKey(s)).not.toBe(loopPointKey({ ...s, windowFrames: 20 }));
    expect(loopSearchFor(clip, { ...asset, kind: 'image' })).toBeNull();
  });
});
