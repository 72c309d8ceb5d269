/**
 * What a track strip's waveform canvas draws (renderer/src/components/timeline/waveLayout.ts):
 * each clip's levels in timeline time with the level export applies, kept while the shape is
 * the same (so a move repaints, but recomputes nothing), and the spans an update repaints.
 * The pixels themselves are read back in Chromium: tests/e2e/wave-strip.spec.ts.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_EFFECTS, type Asset, type Clip } from '../../app/model/types.js';
import { FLICKS_PER_SECOND } from '../../app/time/flicks.js';
import { windowFor, stripRange } from '../../renderer/src/components/timeline/windowing.js';
import { toPx } from '../../renderer/src/components/timeline/geometry.js';
import { dirtySpans, shapedLevels, shiftedSpans, stripEntry, waveShown, type StripEntry } from '../../renderer/src/components/timeline/waveLayout.js';
import type { PeaksFile } from '../../renderer/src/components/timeline/peaks.js';

const S = FLICKS_PER_SECOND;
const PPS = 100;

/** 4 s of peaks: a −6 dBFS signal for the first 2 s, digital silence after. */
const file: PeaksFile = { peaksPerSecond: PPS, length: 4 * PPS, data: Array.from({ length: 8 * PPS }, (_, i) => (i < 4 * PPS ? (i % 2 ? 0.5 : -0.5) : 0)) };

function clip(over: Partial<Clip> = {}, effects: Partial<Clip['effects']> = {}): Clip {
  return { id: 'c1', trackId: 't', assetId: 'a', startFlicks: 0, inFlicks: 0, outFlicks: 4 * S, shotId: null, ...over, effects: { ...DEFAULT_EFFECTS, ...effects } };
}

const mean = (xs: ArrayLike<number>, from: number, to: number) => {
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i]!;
  return s / (to - from);
};

describe('strip waveform levels', () => {
  it('are tall where the sound is loud and flat where it is silent', () => {
    const l = shapedLevels(clip({ id: 'loud' }), file);
    expect(l.length).toBe(4 * PPS);
    expect(mean(l, 0, 2 * PPS)).toBeCloseTo(1 - 6.02 / 54, 2); // −6 dB on the −54 dB display scale
    expect(Math.max(...l.slice(2 * PPS))).toBe(0);
  });

  it('follow volume, fades and a trim, as export applies them', () => {
    const base = shapedLevels(clip({ id: 'v' }), file);
    const half = shapedLevels(clip({ id: 'v' }, { volume: 0.5 }), file);
    expect(half[50]! / base[50]!).toBeCloseTo(0.5, 5);
    const faded = shapedLevels(clip({ id: 'f' }, { fadeInFlicks: S }), file);
    expect(faded[5]!).toBeLessThan(faded[50]!); // ramping up over the first second
    expect(faded[50]! / base[50]!).toBeCloseTo(0.505, 2);
    expect(faded[150]).toBeCloseTo(base[150]!, 6);
    const trimmed = shapedLevels(clip({ id: 't', inFlicks: 1.5 * S, outFlicks: 3 * S }), file);
    expect(trimmed.length).toBe(150);
    expect(trimmed[10]).toBeGreaterThan(0.8); // source 1.6 s: loud
    expect(trimmed[100]).toBe(0); // source 2.5 s: silent
  });

  it('come back as the same array for a moved clip, a new one when the shape changes', () => {
    const a = clip({ id: 'm' });
    const la = shapedLevels(a, file);
    expect(shapedLevels({ ...a, startFlicks: 9 * S }, file)).toBe(la); // moved: a new object, same shape
    expect(shapedLevels({ ...a, effects: { ...a.effects, volume: 0.3 } }, file)).not.toBe(la);
    const xf = { in: { flicks: S / 2, curve: 'equal-gain' as const } };
    const withXf = shapedLevels(a, file, xf);
    expect(withXf).not.toBe(la);
    expect(shapedLevels(a, file, { in: { ...xf.in } })).toBe(withXf); // crossfades compared by value
    expect(withXf[2]!).toBeLessThan(la[2]!);
  });
});

describe('strip repaint spans', () => {
  const e = (id: string, x0: number, x1: number, levels: Float32Array | null = null): StripEntry => ({ id, x0, x1, levels });
  const L1 = new Float32Array([0.5]);
  const L2 = new Float32Array([0.1]);
  const before = [e('a', 1, 99, L1), e('b', 101, 199, L1), e('c', 201, 299, L1)];

  it('are none when nothing changed', () => {
    expect(dirtySpans(before, before.map((x) => ({ ...x })))).toEqual([]);
  });

  it("cover only a reshaped clip's own span (a gain change)", () => {
    expect(dirtySpans(before, [before[0]!, e('b', 101, 199, L2), before[2]!])).toEqual([[100, 200]]);
  });

  it('cover where a moved clip was and where it is, merged when they overlap', () => {
    expect(dirtySpans(before, [before[0]!, before[1]!, e('c', 401, 499, L1)])).toEqual([
      [200, 300],
      [400, 500],
    ]);
    expect(dirtySpans(before, [before[0]!, e('b', 111, 209, L1), before[2]!])).toEqual([[100, 210]]);
  });

  it('cover removed and added clips (a split: one span becomes two halves)', () => {
    const split = [before[0]!, e('b', 101, 149, L1), e('b2', 151, 199, L1), before[2]!];
    expect(dirtySpans(before, split)).toEqual([[100, 200]]);
    expect(dirtySpans(before, [before[0]!, before[2]!])).toEqual([[100, 200]]);
  });

  it('after a scroll shift, cover the exposed edge and what changed, not the clips that only moved with the strip', () => {
    // The strip moved 100 px right along the lane: old pixels shift left by 100 (dx = -100).
    const next = [e('b', 1, 99, L1), e('c', 101, 199, L1), e('d', 301, 399, L1)];
    const width = 400;
    // a left with the old pixels (off the canvas now); d is new, inside the exposed right edge.
    expect(shiftedSpans(before, next, -100, width)).toEqual([[299, 400]]);
    const changed = [e('b', 1, 99, L2), e('c', 101, 199, L1)];
    expect(shiftedSpans(before, changed, -100, width)).toEqual([
      [0, 100], // b was reshaped
      [299, 400],
    ]);
    // The strip moved 50 px left: the same clips sit 50 px further right on it; the left edge is exposed.
    const right50 = before.map((x) => ({ ...x, x0: x.x0 + 50, x1: x.x1 + 50 }));
    expect(shiftedSpans(before, right50, 50, width)).toEqual([[0, 51]]);
  });

  it('place a clip by its padding box, inside its 1 px border', () => {
    expect(stripEntry('x', 300, 120, 200, null)).toEqual({ id: 'x', x0: 101, x1: 219, levels: null });
  });
});

describe('which clips show a waveform, and where the strip lies', () => {
  const asset = { derivatives: { peaks: { path: 'p.json' } }, probe: { hasAudio: true } } as unknown as Asset;
  it('needs peaks, sound, 24 px, and a picture whose sound was not detached', () => {
    expect(waveShown(clip(), asset, 'audio', 60)).toBe(true);
    expect(waveShown(clip({ outFlicks: 0.3 * S }), asset, 'audio', 60)).toBe(false); // 18 px
    expect(waveShown(clip({ audioDetached: true }), asset, 'video', 60)).toBe(false);
    expect(waveShown(clip(), { ...asset, derivatives: {} } as Asset, 'audio', 60)).toBe(false);
    expect(waveShown(clip(), undefined, 'audio', 60)).toBe(false);
  });

  it('covers the drawn window in whole pixels and never reaches past the lane', () => {
    for (const [pageLeft, viewport, laneWidth] of [
      [0, 1452, 100_000],
      [726 * 7, 1452, 100_000],
      [333.5 * 9, 667, 4000],
    ] as const) {
      const r = stripRange({ pageLeft, viewport }, laneWidth);
      const win = windowFor(pageLeft, viewport, 60);
      expect(Number.isInteger(r.left) && Number.isInteger(r.width)).toBe(true);
      expect(r.left).toBeLessThanOrEqual(toPx(win.from, 60));
      expect(r.left + r.width).toBeLessThanOrEqual(laneWidth);
      expect(r.left + r.width).toBeGreaterThanOrEqual(Math.min(laneWidth, Math.floor(toPx(win.to, 60))));
    }
  });
});
