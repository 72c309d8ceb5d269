/** Speed and loop in the render plan and the filter graph: stage order, inputs, lengths from clipDuration. */
import { describe, expect, it } from 'vitest';
import { buildFilterGraph } from '../../../app/render/filtergraph.js';
import { planToFfmpegArgs } from '../../../app/render/ffmpeg-args.js';
import { compileRenderPlan, type VideoClipSegment } from '../../../app/render/plan.js';
import { findPreset } from '../../../app/export/presets.js';
import { clipDuration } from '../../../app/timeline/query.js';
import { presetKeyframes } from '../../../app/timing/curve.js';
import { DEFAULT_SPEED } from '../../../app/model/timing.js';
import { videoAsset } from '../../helpers/state.js';
import { audioAsset, clip, s, timeline } from '../render/fixtures.js';

const opts = { width: 1280, height: 720, fit: 'fit' as const };

describe('render plan with time effects', () => {
  it('clip lengths come from clipDuration; time stages sit before fps', () => {
    const c = clip('c', 'v1', 'a', 0, 1, 3, { speed: { ...DEFAULT_SPEED, rate: 0.5, reverse: true } });
    const plan = compileRenderPlan(timeline({ assets: [videoAsset('a', 5)], clips: [c] }), opts);
    expect(clipDuration(c)).toBe(s(4));
    expect(plan.durationFlicks).toBe(s(4));
    expect(plan.frameCount).toBe(120);
    const seg = plan.base[0] as VideoClipSegment;
    expect(seg.stages.map((x) => x.kind)).toEqual(['reverse', 'retime', 'fps', 'conform']);
    expect(plan.audio[0]!.stages.map((x) => x.kind)).toEqual(['reverse', 'tempo', 'conform']);
    const g = buildFilterGraph(plan).graph;
    expect(g).toContain("reverse,settb=expr=1/30,setpts='st(0,");
    expect(g).toContain('areverse,aresample=48000');
    expect(g).toContain('atempo=0.5');
  });

  it('a loop reads one input per iteration and joins them; audio follows the same inputs', () => {
    const c = clip('c', 'v1', 'a', 0, 0, 2, { loop: { mode: 'count', count: 3, fillFlicks: 0, crossfadeFlicks: s(0.2) } });
    const plan = compileRenderPlan(timeline({ assets: [videoAsset('a', 5)], clips: [c] }), opts);
    expect(plan.inputs.map((i) => [i.clipId, i.sourceInFlicks, i.readFlicks])).toEqual([['c', 0, s(2)], ['c', 0, s(2)], ['c', 0, s(2)]]);
    const seg = plan.base[0] as VideoClipSegment;
    expect(seg.stages.map((x) => x.kind)).toEqual(['loop', 'fps', 'conform']);
    const loop = seg.stages[0]!;
    if (loop.kind !== 'loop') throw new Error('no loop');
    expect(loop.iterations.map((i) => [i.input, i.frames, i.transitionFrames])).toEqual([[0, 60, 0], [1, 60, 6], [2, 60, 6]]);
    expect(seg.endFrame - seg.startFrame).toBe(3 * 60 - 12);
    const g = buildFilterGraph(plan).graph;
    expect(g).toContain('xfade=transition=fade:duration=0.200000:offset=1.800000');
    expect(g).toContain('xfade=transition=fade:duration=0.200000:offset=3.600000');
    expect(g).toContain('acrossfade=ns=9600');
    expect(g.match(/\[(\d):a:0\]/g)).toEqual(['[0:a:0]', '[1:a:0]', '[2:a:0]']);
    const args = planToFfmpegArgs(plan, findPreset('720p-draft')!, '/tmp/x.mp4', { resolvePath: (p) => `/p/${p}` });
    expect(args.filter((x) => x === '-i')).toHaveLength(3);
  });

  it('leaves clips without time effects exactly as before; stills ignore them', () => {
    const plain = compileRenderPlan(timeline({ assets: [videoAsset('a', 5)], clips: [clip('c', 'v1', 'a', 0, 0, 2)] }), opts);
    expect((plain.base[0] as VideoClipSegment).stages.map((x) => x.kind)).toEqual(['fps', 'conform']);
    expect(plain.audio[0]!.stages.map((x) => x.kind)).toEqual(['conform']);
  });

  it('audio-only clips take speed and loops', () => {
    const c = clip('m', 'a1', 'm', 0, 0, 2, { speed: { ...DEFAULT_SPEED, keyframes: presetKeyframes('ramp-out') }, loop: { mode: 'count', count: 2, fillFlicks: 0, crossfadeFlicks: 0 } });
    const plan = compileRenderPlan(timeline({ assets: [audioAsset('m', 3)], clips: [c] }), opts);
    expect(plan.audio[0]!.stages.map((x) => x.kind)).toEqual(['loop']);
    expect(plan.durationFlicks).toBe(clipDuration(c));
    expect(buildFilterGraph(plan).graph).toContain('concat=n=2:v=0:a=1');
  });
});
