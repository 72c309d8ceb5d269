import { describe, expect, it } from 'vitest';
import { frameToFlicks, secondsToFlicks, frameAt, type Rational } from '../../../app/time/flicks.js';
import { formatTimecode, frameToTimecode, timecodeSecondStart, timecodeText, timecodeToFrame } from '../../../app/time/timecode.js';

const NTSC: Rational = { num: 30000, den: 1001 };
const NTSC60: Rational = { num: 60000, den: 1001 };
const tcOf = (frame: number, rate: Rational) => timecodeText(frameToTimecode(frame, rate), rate);

describe('timecode', () => {
  it('non-drop rates count whole frames per timecode second', () => {
    expect(formatTimecode(secondsToFlicks(3661.5), { num: 24, den: 1 })).toBe('01:01:01:12');
    expect(formatTimecode(secondsToFlicks(59.96), { num: 25, den: 1 })).toBe('00:00:59:24');
    expect(formatTimecode(frameToFlicks(24 * 60, { num: 24000, den: 1001 }), { num: 24000, den: 1001 })).toBe('00:01:00:00');
  });

  it('29.97 is drop-frame: ;00 and ;01 skipped each minute except every tenth', () => {
    expect(tcOf(1799, NTSC)).toBe('00:00:59;29');
    expect(tcOf(1800, NTSC)).toBe('00:01:00;02');
    expect(tcOf(3597, NTSC)).toBe('00:01:59;29');
    expect(tcOf(3598, NTSC)).toBe('00:02:00;02');
    expect(tcOf(17981, NTSC)).toBe('00:09:59;29');
    expect(tcOf(17982, NTSC)).toBe('00:10:00;00');
    expect(tcOf(17982 + 1800, NTSC)).toBe('00:11:00;02');
    // It keeps to the clock: one hour of 29.97 is 107,892 frames and reads 01:00:00;00.
    expect(formatTimecode(secondsToFlicks(3600), NTSC)).toBe('01:00:00;00');
    expect(tcOf(107892, NTSC)).toBe('01:00:00;00');
  });

  it('59.94 drops four frame numbers a minute', () => {
    expect(tcOf(3599, NTSC60)).toBe('00:00:59;59');
    expect(tcOf(3600, NTSC60)).toBe('00:01:00;04');
    expect(tcOf(35964, NTSC60)).toBe('00:10:00;00');
  });

  it('every frame of 21 minutes has its own timecode, in order, and maps back to itself', () => {
    for (const rate of [NTSC, NTSC60, { num: 24, den: 1 }]) {
      let prev = -1;
      const fps = Math.round(rate.num / rate.den);
      for (let n = 0; n < 21 * 60 * fps; n++) {
        const tc = frameToTimecode(n, rate);
        if (tc.frames >= fps) throw new Error(`frame field ${tc.frames} at frame ${n}`);
        const key = ((tc.hours * 60 + tc.minutes) * 60 + tc.seconds) * fps + tc.frames;
        if (key <= prev) throw new Error(`timecode went backwards at frame ${n}`);
        prev = key;
        if (timecodeToFrame(tc, rate) !== n) throw new Error(`frame ${n} → ${tcOf(n, rate)} → ${timecodeToFrame(tc, rate)}`);
      }
    }
  });

  it('a timecode second starts at its first existing frame', () => {
    expect(formatTimecode(timecodeSecondStart(60, NTSC), NTSC)).toBe('00:01:00;02');
    expect(formatTimecode(timecodeSecondStart(600, NTSC), NTSC)).toBe('00:10:00;00');
    expect(formatTimecode(timecodeSecondStart(61, NTSC), NTSC)).toBe('00:01:01;00');
    expect(frameAt(timecodeSecondStart(60, { num: 24000, den: 1001 }), { num: 24000, den: 1001 })).toBe(1440);
  });
});
