/** Invariants of the time effects on a clip; commands refuse edits that break them and tests check them after every step. */
import type { Clip } from '../model/types.js';
import { speedProblems } from './curve.js';
import { clipTiming } from './timemap.js';
import { LOOP_MAX_ITERATIONS } from '../model/timing.js';

export function timingProblems(clip: Clip): string[] {
  const p: string[] = [];
  const { speed, loop } = clip.effects;
  if (speed) p.push(...speedProblems(speed));
  if (loop) {
    if (loop.mode === 'count' && !(Number.isInteger(loop.count) && loop.count >= 1)) p.push(`loop count ${loop.count} is not a whole number ≥ 1`);
    if (loop.mode === 'fill' && !(Number.isInteger(loop.fillFlicks) && loop.fillFlicks > 0)) p.push('a fill loop needs a length');
    if (!(Number.isInteger(loop.crossfadeFlicks) && loop.crossfadeFlicks >= 0)) p.push('loop crossfade must be whole flicks ≥ 0');
  }
  if (p.length === 0 && (speed || loop)) {
    const t = clipTiming(clip);
    if (t.loop && t.loop.iterations > LOOP_MAX_ITERATIONS) p.push(`the loop repeats ${t.loop.iterations} times (at most ${LOOP_MAX_ITERATIONS})`);
    if (!(t.duration > 0)) p.push('the clip has no length');
  }
  return p.map((x) => `clip ${clip.id}: ${x}`);
}
