/**
 * Time in Shotline is integer flicks: 1/705,600,000 s. Every common frame rate
 * (23.976, 24, 25, 29.97, 30, 50, 60) and sample rate (44.1k, 48k) divides it
 * exactly, so frame and sample boundaries are whole numbers and edits never drift.
 */
export const FLICKS_PER_SECOND = 705_600_000;

export type Flicks = number;

/** A frame rate as an exact ratio, e.g. 30000/1001 for 29.97. */
export interface Rational {
  num: number;
  den: number;
}

export function secondsToFlicks(seconds: number): Flicks {
  return Math.round(seconds * FLICKS_PER_SECOND);
}

export function flicksToSeconds(f: Flicks): number {
  return f / FLICKS_PER_SECOND;
}

/** Flicks in one frame at `rate`; exact (an integer) for every supported rate. */
export function flicksPerFrame(rate: Rational): Flicks {
  return (FLICKS_PER_SECOND * rate.den) / rate.num;
}

/** Index of the frame that contains time `f` (floor). */
export function frameAt(f: Flicks, rate: Rational): number {
  return Math.floor((f * rate.num) / (FLICKS_PER_SECOND * rate.den) + 1e-9);
}

export function frameToFlicks(frame: number, rate: Rational): Flicks {
  return Math.round((frame * FLICKS_PER_SECOND * rate.den) / rate.num);
}

/** Snap a time to the nearest frame boundary of `rate`. */
export function snapToFrame(f: Flicks, rate: Rational): Flicks {
  const frame = Math.round((f * rate.num) / (FLICKS_PER_SECOND * rate.den));
  return frameToFlicks(frame, rate);
}

export function rateToNumber(rate: Rational): number {
  return rate.num / rate.den;
}

/** Parse ffprobe-style "30000/1001" or "25" into a reduced Rational; null when unusable. */
export function parseRational(text: string | undefined | null): Rational | null {
  if (!text) return null;
  const [a, b = '1'] = text.split('/');
  const num = Number(a);
  const den = Number(b);
  if (!Number.isFinite(num) || !Number.isFinite(den) || num <= 0 || den <= 0) return null;
  const g = gcd(Math.round(num), Math.round(den));
  return { num: Math.round(num) / g, den: Math.round(den) / g };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a || 1;
}

/** Seconds with millisecond precision as ffmpeg wants them on the command line ("12.345"). */
export function flicksToFfmpegTime(f: Flicks): string {
  return (f / FLICKS_PER_SECOND).toFixed(6);
}

export const SUPPORTED_FRAME_RATES: Record<string, Rational> = {
  '23.976': { num: 24000, den: 1001 },
  '24': { num: 24, den: 1 },
  '25': { num: 25, den: 1 },
  '29.97': { num: 30000, den: 1001 },
  '30': { num: 30, den: 1 },
  '50': { num: 50, den: 1 },
  '60': { num: 60, den: 1 },
};
