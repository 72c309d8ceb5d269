import { describe, expect, it } from 'vitest';
import type { Clip } from '../../../app/model/types.js';
import { DEFAULT_EFFECTS } from '../../../app/model/types.js';
import { clipDuration } from '../../../app/timeline/query.js';
import { FLICKS_PER_SECOND, flicksPerFrame, secondsToFlicks as s } from '../../../app/time/flicks.js';
import { curveTimeFactor, normalizedKnots, presetKeyframes, speedAt, speedProblems } from '../../../app/timing/curve.js';
import { atempoFactors, num, retimeExpr, retimeParams, tempoSegments } from '../../../app/timing/expr.js';
import {
  clipTiming,
  discreteTiming,
  outputFrameTable,
  positionAtTime,
  sampleOutputFrame,
  sourceTimeAt,
  tickOfFrame,
  timeAtPosition,
} from '../../../app/timing/timemap.js';
import { DEFAULT_SPEED, type LoopEffect, type SpeedEffect } from '../../../app/model/timing.js';
import { timedClip } from '../../helpers/timing-fixtures.js';

const F24 = { num: 24, den: 1 };
const F30 = { num: 30, den: 1 };

const clip = timedClip;

describe('speed curves', () => {
  it('integrates a linear ramp in closed form and an eased one numerically', () => {
    const ramp: SpeedEffect = { ...DEFAULT_SPEED, keyframes: [{ at: 0, speed: 1, ease: 'linear' }, { at: 1, speed: 2, ease: 'linear' }] };
    // ∫0^1 du / (1 + u) = ln 2
    expect(curveTimeFactor(ramp)).toBeCloseTo(Math.LN2, 12);
    const eased: SpeedEffect = { ...DEFAULT_SPEED, keyframes: [{ at: 0, speed: 0.5, ease: 'ease' }, { at: 1, speed: 4, ease: 'linear' }] };
    let ref = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) ref += 1 / speedAt(eased, (i + 0.5) / n) / n;
    expect(curveTimeFactor(eased)).toBeCloseTo(ref, 8);
  });

  it('knot density never changes the clip length', () => {
    const hero: SpeedEffect = { ...DEFAULT_SPEED, keyframes: presetKeyframes('hero') };
    const tau = (a: number, b: number) => normalizedKnots(hero, s(7), a, b).tau.at(-1)!;
    expect(tau(6, 64)).toBe(tau(1, 4));
    expect(tau(4, 8)).toBe(tau(6, 24));
  });

  it('presets are valid curves; bad ones are described', () => {
    for (const p of ['ramp-in', 'ramp-out', 'hero'] as const) expect(speedProblems({ ...DEFAULT_SPEED, keyframes: presetKeyframes(p, 2) })).toEqual([]);
    expect(speedProblems({ ...DEFAULT_SPEED, rate: 20 })).toHaveLength(1);
    expect(speedProblems({ ...DEFAULT_SPEED, keyframes: [{ at: 0.2, speed: 1, ease: 'linear' }, { at: 1, speed: 1, ease: 'linear' }] })[0]).toMatch(/first/);
    expect(speedProblems({ ...DEFAULT_SPEED, keyframes: [{ at: 0, speed: 1, ease: 'linear' }, { at: 0, speed: 1, ease: 'linear' }, { at: 1, speed: 1, ease: 'linear' }] })[0]).toMatch(/not after/);
  });
});

describe('time map: clip length and continuous mapping', () => {
  it('constant speed: length is span / rate; source time follows', () => {
    expect(clipDuration(clip(0, 2, { rate: 0.5 }))).toBe(s(4));
    expect(clipDuration(clip(0, 2, { rate: 4 }))).toBe(s(0.5));
    expect(clipDuration(clip(0, 3, { rate: 3 }))).toBe(s(1));
    const c = clip(1, 3, { rate: 0.5 });
    expect(sourceTimeAt(c, s(2))).toBe(s(2));
    const r = clip(1, 3, { rate: 0.5, reverse: true });
    expect(sourceTimeAt(r, 0)).toBe(s(3));
    expect(sourceTimeAt(r, s(2))).toBe(s(2));
  });

  it('curves: T and its inverse agree at every knot and between', () => {
    const c = clip(0, 4, { keyframes: presetKeyframes('hero') });
    const map = clipTiming(c).oneShot;
    for (let x = 0; x <= s(4); x += s(0.137)) expect(positionAtTime(map, timeAtPosition(map, x))).toBeCloseTo(x, 0);
    expect(clipDuration(c)).toBe(Math.floor(s(4) * curveTimeFactor(c.effects.speed!) + 1e-6));
    // Hero slows to 0.2× in the middle: the clip is longer than its source.
    expect(clipDuration(c)).toBeGreaterThan(s(8));
  });

  it('loops: count and fill lengths, crossfade at most half a pass', () => {
    expect(clipDuration(clip(0, 2, undefined, { mode: 'count', count: 3, fillFlicks: 0, crossfadeFlicks: 0 }))).toBe(s(6));
    expect(clipDuration(clip(0, 2, undefined, { mode: 'count', count: 3, fillFlicks: 0, crossfadeFlicks: s(0.5) }))).toBe(s(5));
    expect(clipDuration(clip(0, 2, { rate: 2 }, { mode: 'count', count: 4, fillFlicks: 0, crossfadeFlicks: 0 }))).toBe(s(4));
    expect(clipDuration(clip(0, 2, undefined, { mode: 'fill', count: 1, fillFlicks: s(7), crossfadeFlicks: 0 }))).toBe(s(7));
    const t = clipTiming(clip(0, 2, undefined, { mode: 'count', count: 2, fillFlicks: 0, crossfadeFlicks: s(5) }));
    expect(t.loop!.crossfade).toBe(s(1));
    expect(t.duration).toBe(s(3));
  });
});

describe('time map: discrete frames (what export shows)', () => {
  it('0.5× from 24 fps on a 30 fps timeline shows floor(0.4·i)', () => {
    const d = discreteTiming(clip(0.5, 2.5, { rate: 0.5 }), F24, F30);
    expect(d.firstFrame).toBe(12);
    expect(d.frameCount).toBe(48);
    expect(d.totalFrames).toBe(120);
    expect(outputFrameTable(d)).toEqual(Array.from({ length: 120 }, (_, i) => 12 + Math.floor(0.4 * i + 1e-9)));
  });

  it('2.5× skips frames; reverse counts down from the last frame of the span', () => {
    const fast = discreteTiming(clip(0, 2, { rate: 2.5 }), F24, F30);
    expect(outputFrameTable(fast)).toEqual(Array.from({ length: 24 }, (_, i) => Math.floor(2 * i + 1e-9)));
    const rev = discreteTiming(clip(0.5, 3.5, { rate: 2.5, reverse: true }), F24, F30);
    expect(outputFrameTable(rev)).toEqual(Array.from({ length: 36 }, (_, i) => 83 - 2 * i));
  });

  it('1× at another rate picks the frame that contains each output time', () => {
    const d = discreteTiming(clip(0, 1, undefined, { mode: 'count', count: 1, fillFlicks: 0, crossfadeFlicks: 0 }), F24, F30);
    expect(outputFrameTable(d)).toEqual(Array.from({ length: 30 }, (_, i) => Math.floor((i * 24) / 30 + 1e-9)));
  });

  it('every source frame shown is the one whose time range holds the mapped output time', () => {
    for (const preset of ['ramp-in', 'ramp-out', 'hero'] as const) {
      const c = clip(0.25, 3.25, { keyframes: presetKeyframes(preset) });
      const d = discreteTiming(c, F24, F30);
      const table = outputFrameTable(d);
      expect(table.length).toBe(d.totalFrames);
      for (let f = 0; f < table.length; f++) {
        const src = sourceTimeAt(c, f * flicksPerFrame(F30));
        // Nearest rule: the frame containing the source time (± the knot rounding slack).
        expect(Math.abs(table[f]! - Math.floor(src / flicksPerFrame(F24)))).toBeLessThanOrEqual(1);
        if (f > 0) expect(table[f]!).toBeGreaterThanOrEqual(table[f - 1]!);
      }
    }
  });

  it('loops restart at each iteration and dissolve over the crossfade', () => {
    const c = clip(0, 1, undefined, { mode: 'count', count: 3, fillFlicks: 0, crossfadeFlicks: s(0.2) });
    const d = discreteTiming(c, F30, F30);
    expect(d.totalFrames).toBe(3 * 30 - 2 * 6);
    expect(d.iterations.map((i) => [i.startTick, i.endTick, i.transitionFrames])).toEqual([[0, 30, 0], [24, 54, 6], [48, 78, 6]]);
    expect(sampleOutputFrame(d, 23)).toEqual({ iteration: 0, sourceFrame: 23, mix: 1 });
    expect(sampleOutputFrame(d, 24)).toEqual({ iteration: 1, sourceFrame: 0, previous: { iteration: 0, sourceFrame: 24 }, mix: 0 });
    expect(sampleOutputFrame(d, 27)).toMatchObject({ sourceFrame: 3, previous: { sourceFrame: 27 }, mix: 0.5 });
    expect(sampleOutputFrame(d, 30)).toEqual({ iteration: 1, sourceFrame: 6, mix: 1 });
    expect(sampleOutputFrame(d, 77).sourceFrame).toBe(29);
  });

  it('a fill loop ends mid-iteration exactly at the clip length', () => {
    const c = clip(0, 1, { rate: 2 }, { mode: 'fill', count: 1, fillFlicks: s(1.3), crossfadeFlicks: 0 });
    const d = discreteTiming(c, F30, F30);
    expect(d.totalFrames).toBe(39);
    expect(d.iterations.length).toBe(3);
    expect(outputFrameTable(d)).toEqual(Array.from({ length: 39 }, (_, i) => (2 * i) % 30));
  });

  it('the ffmpeg expression carries the same constants and tick rule', () => {
    const c = clip(0.5, 2.5, { keyframes: presetKeyframes('ramp-out') });
    const d = discreteTiming(c, F24, F30);
    const p = retimeParams(d, 0);
    const e = retimeExpr(p, 'tick');
    expect(e).toMatch(/^st\(0,\(12\+N\)\*29400000-352800000\);st\(1,if\(lt\(ld\(0\),/);
    for (const v of [...p.x, ...p.t, ...p.m]) expect(Number(num(v))).toBe(v);
    expect(e).not.toMatch(/NaN|Infinity|undefined/);
    expect(tickOfFrame(d, 0, 0)).toBe(0);
  });
});

describe('audio follows', () => {
  it('atempo chains stay within 0.5..2 and multiply to the rate', () => {
    for (const r of [0.1, 0.25, 0.37, 0.5, 1, 1.5, 2, 3, 7.3, 10]) {
      const f = atempoFactors(r);
      for (const x of f) expect(x >= 0.5 - 1e-12 && x <= 2 + 1e-12).toBe(true);
      expect(f.reduce((a, b) => a * b, 1)).toBeCloseTo(r, 12);
    }
  });

  it('tempo segments cover the source and the output without gaps', () => {
    const c = clip(0, 4, { keyframes: presetKeyframes('hero'), rampAudio: 'mute' });
    const map = clipTiming(c).oneShot;
    const segs = tempoSegments(map, 48000, 'mute');
    expect(segs[0]!.from).toBe(0);
    expect(segs.at(-1)!.to).toBe(4 * 48000);
    for (let i = 1; i < segs.length; i++) expect(segs[i]!.from).toBe(segs[i - 1]!.to);
    const out = segs.reduce((a, x) => a + x.out, 0);
    expect(Math.abs(out - Math.round((clipDuration(c) * 48000) / FLICKS_PER_SECOND))).toBeLessThanOrEqual(1);
    expect(segs.filter((x) => x.kind === 'tempo').length).toBe(1); // the slow middle keeps its pitch
    expect(segs.some((x) => x.kind === 'mute')).toBe(true);
  });
});
