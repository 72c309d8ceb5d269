/**
 * A clip's waveform on the timeline follows its time map: a 4× slow-down draws each source
 * peak four times as wide, a loop repeats the peaks, reverse mirrors them. Pure: the
 * renderer passes the per-bin levels of the source (peaks file) and gets levels per bin of
 * timeline time, at the same bins per second.
 */
import { FLICKS_PER_SECOND } from '../time/flicks.js';
import type { Clip } from '../model/types.js';
import { clipTiming, hasTimeEffects, sourceTimeAt } from './timemap.js';
import { SPEED_MAX } from '../model/timing.js';

/**
 * Levels for the clip's timeline span: bin k covers clip time [k, k + 1) / binsPerSecond and
 * takes the loudest source bin it passes over (so a fast clip's peaks are not dropped).
 * A clip without time effects is the plain slice [in, out) of the source.
 * `sourceLevels[i]` covers source seconds [i, i + 1) / binsPerSecond.
 */
export function remapLevels(sourceLevels: ArrayLike<number>, binsPerSecond: number, clip: Clip): number[] {
  const level = (i: number) => sourceLevels[Math.max(0, Math.min(sourceLevels.length - 1, i))] ?? 0;
  const srcBin = (flicks: number) => Math.floor((flicks / FLICKS_PER_SECOND) * binsPerSecond);
  const out: number[] = [];
  if (!hasTimeEffects(clip)) {
    const a = srcBin(clip.inFlicks);
    const b = Math.max(a + 1, Math.ceil((clip.outFlicks / FLICKS_PER_SECOND) * binsPerSecond));
    for (let i = a; i < b; i++) out.push(level(i));
    return out;
  }
  // Played backwards, the instant at source time x ends the interval (x - dt, x]: look just below it.
  const back = clip.effects.speed?.reverse ? -1 : 0;
  const first = srcBin(clip.inFlicks);
  const last = Math.max(first, srcBin(clip.outFlicks - 1));
  const duration = clipTiming(clip).duration;
  const bins = Math.max(1, Math.ceil((duration / FLICKS_PER_SECOND) * binsPerSecond));
  const binFlicks = FLICKS_PER_SECOND / binsPerSecond;
  // Sub-samples per bin: at the fastest speed (SPEED_MAX) a bin still visits every source bin.
  const sub = Math.ceil(SPEED_MAX) + 2;
  for (let k = 0; k < bins; k++) {
    let m = 0;
    for (let j = 0; j < sub; j++) {
      const t = Math.min(duration - 1, (k + j / sub) * binFlicks);
      m = Math.max(m, level(Math.min(last, Math.max(first, srcBin(sourceTimeAt(clip, t) + back)))));
    }
    out.push(m);
  }
  return out;
}
