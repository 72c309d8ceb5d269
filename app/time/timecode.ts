/**
 * SMPTE timecode, the one way Shotline shows a position in time (viewer, ruler, Inspector,
 * marks): HH:MM:SS:FF counted in the project's frames. At 29.97 and 59.94 it is drop-frame
 * (HH:MM:SS;FF): frame numbers 00–01 (59.94: 00–03) are skipped at the start of every minute
 * except each tenth, so the timecode keeps to the wall clock (10 min of 29.97 = 17,982 frames
 * = 00:10:00;00 = 600.0 s). Other rates count non-drop; 23.976 has no drop-frame form, so its
 * timecode runs 0.1 % behind the clock, as in every NLE.
 */
import { frameAt, frameToFlicks, rateToNumber, type Flicks, type Rational } from './flicks.js';

/** Frames dropped per minute (0 for non-drop rates). */
export function dropFramesPerMinute(rate: Rational): number {
  if (rate.den !== 1001) return 0;
  if (rate.num === 30000) return 2;
  if (rate.num === 60000) return 4;
  return 0;
}

/** The whole number of frames a timecode second counts (30 at 29.97, 24 at 23.976). */
export function nominalFps(rate: Rational): number {
  return Math.round(rateToNumber(rate));
}

export interface TimecodeParts {
  hours: number;
  minutes: number;
  seconds: number;
  frames: number;
}

/** Timecode fields of frame `frame` (0-based) at `rate`. */
export function frameToTimecode(frame: number, rate: Rational): TimecodeParts {
  const fps = nominalFps(rate);
  const drop = dropFramesPerMinute(rate);
  let n = Math.max(0, Math.floor(frame));
  if (drop) {
    const perMinute = fps * 60 - drop;
    const perTen = fps * 600 - drop * 9;
    const tens = Math.floor(n / perTen);
    const rest = n % perTen;
    n += drop * 9 * tens + (rest > drop ? drop * Math.floor((rest - drop) / perMinute) : 0);
  }
  const secs = Math.floor(n / fps);
  return { hours: Math.floor(secs / 3600), minutes: Math.floor(secs / 60) % 60, seconds: secs % 60, frames: n % fps };
}

/** Frame index of a timecode (the inverse of frameToTimecode for every timecode that exists). */
export function timecodeToFrame(tc: TimecodeParts, rate: Rational): number {
  const fps = nominalFps(rate);
  const drop = dropFramesPerMinute(rate);
  const minutes = tc.hours * 60 + tc.minutes;
  return (minutes * 60 + tc.seconds) * fps + tc.frames - drop * (minutes - Math.floor(minutes / 10));
}

const pad = (n: number) => String(n).padStart(2, '0');

export function timecodeText(tc: TimecodeParts, rate: Rational): string {
  return `${pad(tc.hours)}:${pad(tc.minutes)}:${pad(tc.seconds)}${dropFramesPerMinute(rate) ? ';' : ':'}${pad(tc.frames)}`;
}

/** "HH:MM:SS:FF" (drop-frame "HH:MM:SS;FF") of the frame that contains time `f`. */
export function formatTimecode(f: Flicks, rate: Rational): string {
  return timecodeText(frameToTimecode(frameAt(Math.max(0, f), rate), rate), rate);
}

/**
 * Where the timecode second `second` (a whole count of timecode seconds from 0) begins, in
 * flicks: the first frame that exists in it (in drop-frame, ;02 at most minute starts).
 */
export function timecodeSecondStart(second: number, rate: Rational): Flicks {
  const drop = dropFramesPerMinute(rate);
  const s = Math.max(0, Math.floor(second));
  const minutes = Math.floor(s / 60);
  const frames = drop && s % 60 === 0 && minutes % 10 !== 0 ? drop : 0;
  const tc = { hours: Math.floor(minutes / 60), minutes: minutes % 60, seconds: s % 60, frames };
  return frameToFlicks(timecodeToFrame(tc, rate), rate);
}

/** Average real length of one timecode second, in seconds (1.001 for non-drop 23.976/29.97). */
export function timecodeSecondLength(rate: Rational): number {
  if (dropFramesPerMinute(rate)) return 1;
  return nominalFps(rate) / rateToNumber(rate);
}
