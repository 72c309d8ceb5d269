/**
 * The Viewer's two audio players per track (renderer/src/components/viewer/audioSlots.ts): the
 * two clips of every crossfade go to different players, no player gets two clips that overlap,
 * and a split (or its undo) leaves the clip under the playhead on the player it was on, so its
 * `<audio src>` is not set again (by position, even/odd, the right half moved to the other one).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_EFFECTS, type Clip } from '../../app/model/types.js';
import { clipEnd } from '../../app/timeline/query.js';
import { audioSlots } from '../../renderer/src/components/viewer/audioSlots.js';

const clip = (id: string, start: number, len: number, xfIn = 0): Clip => ({
  id, trackId: 'a1', assetId: 'a', startFlicks: start, inFlicks: 0, outFlicks: len, shotId: null, effects: { ...DEFAULT_EFFECTS, crossfadeInFlicks: xfIn },
});
const slotOf = (slots: Clip[][], id: string) => slots.findIndex((s) => s.some((c) => c.id === id));
const byStart = (a: Clip, b: Clip) => a.startFlicks - b.startFlicks || (a.id < b.id ? -1 : 1);

describe('audio players of a Viewer track', () => {
  it('crossfading clips play on different players; no player holds two overlapping clips', () => {
    // Random tracks of abutting clips with gaps and crossfades (each overlap shorter than both clips).
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 50; run++) {
      const clips: Clip[] = [];
      let at = 0;
      for (let i = 0; i < 40; i++) {
        const len = 20 + Math.floor(rnd() * 80);
        const prev = clips.at(-1);
        // Shorter than both clips and than what of the previous clip its own crossfade leaves,
        // so no three clips overlap (commands make no such track).
        const xf = prev && rnd() < 0.3 ? Math.floor(Math.min(len, prev.outFlicks - (prev.effects.crossfadeInFlicks ?? 0)) / 2) : 0;
        const start = prev ? clipEnd(prev) - xf + (xf === 0 && rnd() < 0.3 ? 15 : 0) : 0;
        clips.push(clip(`c${i}`, start, len, xf));
        at = start;
      }
      expect(at).toBeGreaterThan(0);
      const slots = audioSlots(clips);
      expect(slots[0].length + slots[1].length).toBe(clips.length);
      for (const s of slots) for (let i = 1; i < s.length; i++) expect(s[i]!.startFlicks).toBeGreaterThanOrEqual(clipEnd(s[i - 1]!));
      for (const c of clips) if (c.effects.crossfadeInFlicks) expect(slotOf(slots, c.id)).not.toBe(slotOf(slots, clips[clips.indexOf(c) - 1]!.id));
    }
  });

  it('a split keeps the clip under the playhead on its player (undo gives back the same deal)', () => {
    const before = [clip('a', 0, 100), clip('b', 100, 100), clip('c', 190, 100, 10), clip('d', 300, 100)];
    // Split b at the playhead (150): its right half starts there and is the clip heard.
    const after = [before[0]!, { ...before[1]!, outFlicks: 50 }, clip('b2', 150, 50), before[2]!, before[3]!].sort(byStart);
    const s0 = audioSlots(before);
    const s1 = audioSlots(after);
    expect(slotOf(s1, 'b2')).toBe(slotOf(s0, 'b'));
    expect(slotOf(s0, 'b')).toBe(0);
    // Every clip not split stays on its player too.
    for (const id of ['a', 'c', 'd']) expect(slotOf(s1, id)).toBe(slotOf(s0, id));
  });
});
