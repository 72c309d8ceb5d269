/**
 * Which of an audio track's two Viewer players plays each clip. Two, because the two clips of a
 * crossfade (the only overlap a track has) sound together; a clip goes to the first player that
 * is free at its start, so clips that do not overlap all stay on the first one.
 *
 * Not by position on the track (even/odd), as before: a split or its undo shifts the position of
 * every later clip, which moved the clip under the playhead to the other player and set its
 * `<audio src>` to the same file again (a synchronous 2–5 ms and a reload after each split in the
 * 5,000-clip bench). Now the right half of a split stays on the player the clip was on, with the
 * same media URL, so React leaves the element alone.
 */
import type { Clip } from '@app/model/types';
import { clipEnd } from '@app/timeline/query';

/** `sorted` (by start) dealt to two players; each player's clips are by start and do not overlap, if any two clips of the track do not overlap three at a time. */
export function audioSlots(sorted: readonly Clip[]): [Clip[], Clip[]] {
  const slots: [Clip[], Clip[]] = [[], []];
  const ends = [-Infinity, -Infinity];
  for (const c of sorted) {
    // The first player free at the clip's start; if neither is (three clips overlap: not a
    // state commands make), the one that frees first.
    const i = ends[0]! <= c.startFlicks ? 0 : ends[1]! <= c.startFlicks ? 1 : ends[0]! <= ends[1]! ? 0 : 1;
    slots[i].push(c);
    ends[i] = Math.max(ends[i]!, clipEnd(c));
  }
  return slots;
}
