import { describe, expect, it } from 'vitest';
import type { LoopEffect, SpeedEffect } from '../../../app/model/timing.js';
import { remapLevels } from '../../../app/timing/waveform.js';
import { timedClip } from '../../helpers/timing-fixtures.js';

const BPS = 10; // source bins per second
// A source whose level is its bin index / 100: every bin is recognisable.
const source = Float32Array.from({ length: 100 }, (_, i) => i / 100);
const bin = (v: number) => Math.round(v * 100);

const clip = (inS: number, outS: number, speed?: Partial<SpeedEffect>, loop?: LoopEffect) => timedClip(inS, outS, speed, loop, 3);

describe('waveform in timeline time', () => {
  it('is the plain source slice without time effects', () => {
    expect(remapLevels(source, BPS, clip(2, 3)).map(bin)).toEqual([20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
  });

  it('stretches at 0.5×, keeps the loudest passed-over bin at 4×', () => {
    const slow = remapLevels(source, BPS, clip(2, 3, { rate: 0.5 })).map(bin);
    expect(slow).toHaveLength(20);
    expect(slow.slice(0, 6)).toEqual([20, 20, 21, 21, 22, 22]);
    const fast = remapLevels(source, BPS, clip(2, 4, { rate: 4 })).map(bin);
    // 2 s of source in 0.5 s: 5 bins, each covering 4 source bins, showing the last (loudest) one.
    expect(fast).toEqual([23, 27, 31, 35, 39]);
  });

  it('mirrors a reversed clip and repeats a looped one', () => {
    expect(remapLevels(source, BPS, clip(2, 3, { reverse: true })).map(bin)).toEqual([29, 28, 27, 26, 25, 24, 23, 22, 21, 20]);
    const looped = remapLevels(source, BPS, clip(2, 2.5, undefined, { mode: 'count', count: 3, fillFlicks: 0, crossfadeFlicks: 0 })).map(bin);
    expect(looped).toEqual([20, 21, 22, 23, 24, 20, 21, 22, 23, 24, 20, 21, 22, 23, 24]);
  });
});
