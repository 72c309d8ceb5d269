/** Output frame arithmetic shared by the plan compiler and what it calls (watermark.ts). */
import { flicksPerFrame, type Flicks, type Rational } from '../time/flicks.js';

/** Output frame boundary nearest to `f` (frames are exact integers of flicks at supported rates). */
export function frameIndex(f: Flicks, rate: Rational): number {
  return Math.round(f / flicksPerFrame(rate));
}
