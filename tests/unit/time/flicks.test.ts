import { describe, expect, it } from 'vitest';
import { FLICKS_PER_SECOND, SUPPORTED_FRAME_RATES, flicksPerFrame, frameAt, frameToFlicks, parseRational, secondsToFlicks, snapToFrame } from '../../../app/time/flicks.js';

describe('flicks', () => {
  it('every supported frame rate and 44.1/48 kHz divide a second exactly', () => {
    for (const rate of Object.values(SUPPORTED_FRAME_RATES)) expect(Number.isInteger(flicksPerFrame(rate))).toBe(true);
    expect(FLICKS_PER_SECOND % 44100).toBe(0);
    expect(FLICKS_PER_SECOND % 48000).toBe(0);
    expect(flicksPerFrame({ num: 30000, den: 1001 })).toBe(23_543_520);
  });

  it('frame index and frame time round-trip for an hour at 29.97 without drift', () => {
    const rate = { num: 30000, den: 1001 };
    for (const frame of [0, 1, 29, 30, 1799, 107_892]) {
      const f = frameToFlicks(frame, rate);
      expect(frameAt(f, rate)).toBe(frame);
      expect(frameAt(f + flicksPerFrame(rate) - 1, rate)).toBe(frame);
      expect(snapToFrame(f + 10, rate)).toBe(f);
    }
  });

  it('parses ffprobe rates and formats timecode', () => {
    expect(parseRational('30000/1001')).toEqual({ num: 30000, den: 1001 });
    expect(parseRational('50/2')).toEqual({ num: 25, den: 1 });
    expect(parseRational('0/0')).toBeNull();
  });
});
