/**
 * The timeline draws what is around the view, and folds clips too narrow to read into
 * summary blocks (issue 14): the element count follows the screen, not the project.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_EFFECTS, type Clip } from '../../app/model/types.js';
import { FLICKS_PER_SECOND } from '../../app/time/flicks.js';
import { laneItems, MIN_CLIP_PX, windowFor } from '../../renderer/src/components/timeline/windowing.js';
import { columnsFor } from '../../renderer/src/components/storyboard/ShotGrid.js';
import { barLevels } from '../../renderer/src/components/timeline/waveLayout.js';
import { rulerLabels } from '../../renderer/src/components/timeline/Ruler.js';

const S = FLICKS_PER_SECOND;

/** `n` back-to-back clips of `seconds` each on one track, sorted by start. */
function cut(n: number, seconds: number): Clip[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `c${i}`,
    trackId: 't',
    assetId: 'a',
    startFlicks: i * seconds * S,
    inFlicks: 0,
    outFlicks: seconds * S,
    shotId: null,
    effects: DEFAULT_EFFECTS,
  }));
}

function clipsIn(items: ReturnType<typeof laneItems>): number {
  return items.reduce((n, it) => n + (it.type === 'clip' ? 1 : it.count), 0);
}

describe('timeline windowing', () => {
  it('draws only the clips around the visible range, wherever it is scrolled', () => {
    const clips = cut(5000, 1.5); // a 2 h timeline
    const zoom = 60; // px per second
    const atStart = laneItems(clips, windowFor(0, 1400, zoom), zoom);
    expect(atStart.length).toBeGreaterThan(15); // 1400 px = 23 s = 15+ clips on screen
    expect(atStart.length).toBeLessThan(80);
    expect(atStart.every((it) => it.type === 'clip')).toBe(true);
    expect(atStart[0]).toMatchObject({ type: 'clip', clip: { id: 'c0' } });

    // Scrolled one hour in: the clips on screen there are drawn, those at the start are not.
    const scroll = 3600 * zoom;
    const later = laneItems(clips, windowFor(scroll, 1400, zoom), zoom);
    const ids = later.map((it) => (it.type === 'clip' ? it.clip.id : ''));
    expect(ids).toContain('c2400'); // starts at 3600 s
    expect(ids).toContain('c2410'); // 15 s later, still on screen
    expect(ids).not.toContain('c0');
    expect(later.length).toBeLessThan(80);
  });

  it('keeps the same window while scrolling within a half-screen page', () => {
    expect(windowFor(10, 1400, 60)).toEqual(windowFor(690, 1400, 60));
    expect(windowFor(10, 1400, 60)).not.toEqual(windowFor(710, 1400, 60));
  });

  it('folds runs of clips narrower than MIN_CLIP_PX into summary blocks that account for every clip', () => {
    const clips = cut(5000, 1);
    const zoom = 4; // 4 px per clip: unreadable
    expect(4).toBeLessThan(MIN_CLIP_PX);
    const win = windowFor(0, 1400, zoom);
    const items = laneItems(clips, win, zoom);
    expect(items.length).toBeLessThan(5);
    expect(items.every((it) => it.type === 'summary')).toBe(true);
    const inWindow = clips.filter((c) => c.startFlicks <= win.to && c.startFlicks + S >= win.from).length;
    expect(clipsIn(items)).toBe(inWindow);
  });

  it('never drops the clip being dragged, even off screen or too narrow', () => {
    const clips = cut(5000, 1);
    const items = laneItems(clips, windowFor(0, 1400, 4), 4, 'c4000');
    expect(items.some((it) => it.type === 'clip' && it.clip.id === 'c4000')).toBe(true);
  });

  it('a lone narrow clip between wide ones stays a selectable clip', () => {
    const clips = cut(3, 2);
    clips[1] = { ...clips[1]!, outFlicks: S / 100 }; // 0.01 s
    const items = laneItems(clips, windowFor(0, 1400, 60), 60);
    expect(items.map((it) => it.type)).toEqual(['clip', 'clip', 'clip']);
  });

  it('labels the ruler only around the window', () => {
    const fps = { num: 30, den: 1 };
    const zoom = 60;
    const all = rulerLabels(7200 * zoom, zoom, fps, 2);
    const windowed = rulerLabels(3700 * zoom, zoom, fps, 2, 3600 * zoom);
    expect(all.length).toBe(3601);
    expect(windowed.length).toBeLessThan(60);
    expect(windowed[0]!.text).toBe('00:59:58:00');
  });

  it('fits as many 210 px storyboard columns as the width allows', () => {
    expect(columnsFor(200)).toBe(1);
    expect(columnsFor(1000)).toBe(4);
    expect(columnsFor(1600)).toBe(7); // 7 × 210 + 6 gaps + padding = 1586
  });
});

describe('timeline waveform bars', () => {
  it('takes the loudest level under each bar, so a short peak is never lost', () => {
    const levels = new Float32Array(1000);
    levels[537] = 0.9;
    const bars = barLevels(levels, 40);
    expect(bars.length).toBe(40);
    expect(bars[21]).toBeCloseTo(0.9); // 537 / 1000 × 40 = bar 21
    expect([...bars].filter((b) => b > 0)).toHaveLength(1);
  });

  it('spreads fewer levels than bars over the bars without gaps', () => {
    const bars = barLevels([0.2, 0.8], 10);
    expect([...bars.slice(0, 5)].every((b) => Math.abs(b - 0.2) < 1e-6)).toBe(true);
    expect([...bars.slice(5)].every((b) => Math.abs(b - 0.8) < 1e-6)).toBe(true);
  });
});
