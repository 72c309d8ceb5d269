import { describe, expect, it } from 'vitest';
import { findPreset } from '../../../app/export/presets.js';
import { planToFfmpegCommand } from '../../../app/render/ffmpeg-args.js';
import { buildFilterGraph } from '../../../app/render/filtergraph.js';
import { compileRenderPlan, flicksToSamples, type RenderPlan } from '../../../app/render/plan.js';
import { concatList, concatMuxArgs, segmentArgs } from '../../../app/render/segment-args.js';
import { splitRenderPlan, type PlanSegment } from '../../../app/render/segments.js';
import type { Clip } from '../../../app/model/types.js';
import { DEFAULT_LOOP } from '../../../app/model/timing.js';
import { videoAsset } from '../../helpers/state.js';
import { audioAsset, clip, s, timeline, track } from './fixtures.js';

const PRESET = findPreset('1080p')!;
const OUT = { width: 1920, height: 1080, fit: 'fit' as const };
/** Linux: one argument ≤ 128 KiB (MAX_ARG_STRLEN), all arguments + environment ≤ 2 MiB. */
const ARG_MAX_ONE = 128 * 1024;
const ARG_MAX_ALL = 2 * 1024 * 1024;

/** `n` back-to-back clips of 1–3 s from 40 sources, as a long storyboard assembles them. */
function longTimeline(n: number, extra: { clips?: Clip[] } = {}) {
  const assets = Array.from({ length: 40 }, (_, i) => videoAsset(`a${i}`, 10));
  const clips: Clip[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    const len = 1 + (i % 3);
    clips.push(clip(`c${i}`, 'v1', `a${i % 40}`, t, 0.5, 0.5 + len));
    t += len;
  }
  return timeline({ assets, clips: [...clips, ...(extra.clips ?? [])] });
}

function bytes(args: string[]): number {
  return args.reduce((n, a) => n + Buffer.byteLength(a) + 1, 0);
}

function expectTiling(plan: RenderPlan, segs: PlanSegment[]) {
  let frame = 0;
  let flicks = 0;
  for (const seg of segs) {
    expect(seg.startFrame).toBe(frame);
    expect(seg.startFlicks).toBe(flicks);
    expect(seg.plan.frameCount).toBe(seg.endFrame - seg.startFrame);
    expect(seg.plan.durationFlicks).toBe(seg.endFlicks - seg.startFlicks);
    // The segment's base layer tiles its own frames.
    let at = 0;
    for (const b of seg.plan.base) {
      expect(b.startFrame).toBe(at);
      at = b.endFrame;
    }
    expect(at).toBe(seg.plan.frameCount);
    // Every input index used is one of its own.
    const n = seg.plan.inputs.length;
    seg.plan.inputs.forEach((inp, i) => expect(inp.index).toBe(i));
    for (const b of seg.plan.base) if (b.type === 'clip') expect(b.input).toBeLessThan(n);
    for (const a of seg.plan.audio) expect(a.input).toBeLessThan(n);
    frame = seg.endFrame;
    flicks = seg.endFlicks;
  }
  expect(frame).toBe(plan.frameCount);
  expect(flicks).toBe(plan.durationFlicks);
  expect(segs.reduce((n, x) => n + x.samples, 0)).toBe(flicksToSamples(plan.durationFlicks, plan.sampleRate));
}

describe('a 5,000-clip timeline', () => {
  const st = longTimeline(5000);
  const plan = compileRenderPlan(st, OUT);

  it('cannot go to ffmpeg as one inline graph (why the script file and the segments exist)', () => {
    expect(buildFilterGraph(plan).graph.length).toBeGreaterThan(ARG_MAX_ONE);
  });

  it('passes its graph as a script file: every argument fits, the graph is elsewhere', () => {
    const cmd = planToFfmpegCommand(plan, PRESET, '/out/x.mp4', { resolvePath: (p) => `/project/${p}`, filterScriptPath: '/tmp/graph.txt' });
    expect(cmd.args).toContain('-filter_complex_script');
    expect(cmd.args).not.toContain('-filter_complex');
    expect(Math.max(...cmd.args.map((a) => Buffer.byteLength(a)))).toBeLessThan(1024);
    expect(cmd.graph.length).toBeGreaterThan(ARG_MAX_ONE);
  });

  it('splits into segments of at most 32 inputs that tile it exactly, each command small', () => {
    const segs = splitRenderPlan(plan, { maxInputs: 32 });
    expect(segs.length).toBeGreaterThanOrEqual(5000 / 32);
    expectTiling(plan, segs);
    for (const seg of segs) {
      expect(seg.plan.inputs.length).toBeLessThanOrEqual(32);
      const { args, graph } = segmentArgs(seg.plan, PRESET, { filterScriptPath: '/tmp/g.txt', videoPath: '/tmp/v.mp4', audioPath: '/tmp/a.pcm' }, { resolvePath: (p) => `/project/${p}` });
      expect(bytes(args)).toBeLessThan(16 * 1024);
      expect(graph.length).toBeLessThan(ARG_MAX_ONE);
    }
    const list = concatList(segs.map((x, i) => ({ path: `/tmp/seg${i}.mp4`, frames: x.endFrame - x.startFrame })), plan);
    expect(list.split('\n').filter((l) => l.startsWith('file ')).length).toBe(segs.length);
    expect(bytes(concatMuxArgs(plan, PRESET, { listPath: '/tmp/l', pcmPath: '/tmp/p', outPath: '/o.mp4' }))).toBeLessThan(ARG_MAX_ALL / 100);
  });

  it('keeps a small timeline in one run, unchanged', () => {
    const small = compileRenderPlan(longTimeline(10), OUT);
    const segs = splitRenderPlan(small, { maxInputs: 32 });
    expect(segs).toHaveLength(1);
    expect(segs[0]!.plan).toBe(small);
  });
});

describe('where segments may be cut', () => {
  it('never cuts through an overlay clip or a sound that spans clips', () => {
    const bed = audioAsset('bed', 60);
    const st = longTimeline(60, {
      clips: [
        // An overlay across clips 10..20 and a music bed across 30..45 (by time).
        clip('ov', 'v2', 'a1', 18, 0, 12),
        clip('music', 'a1', 'bed', 60, 0, 30),
      ],
    });
    st.assets.bed = bed;
    st.tracks.v2 = track('v2', 'video', 1);
    const plan = compileRenderPlan(st, OUT);
    const segs = splitRenderPlan(plan, { maxInputs: 4 });
    expectTiling(plan, segs);
    const cuts = segs.slice(1).map((x) => x.startFlicks);
    for (const c of cuts) {
      expect(c <= s(18) || c >= s(30)).toBe(true);
      expect(c <= s(60) || c >= s(90)).toBe(true);
    }
    // The overlay and the bed each live in exactly one segment, rebased to it.
    const withOverlay = segs.filter((x) => x.plan.overlays.some((l) => l.clips.length));
    expect(withOverlay).toHaveLength(1);
    const ov = withOverlay[0]!.plan.overlays[0]!.clips[0]!;
    expect(ov.startFrame + withOverlay[0]!.startFrame).toBe(18 * 30);
    const withBed = segs.filter((x) => x.plan.audio.some((a) => a.clipId === 'music'));
    expect(withBed).toHaveLength(1);
    expect(withBed[0]!.plan.audio.find((a) => a.clipId === 'music')!.startFlicks + withBed[0]!.startFlicks).toBe(s(60));
  });

  it('renumbers a looped clip’s extra inputs with it', () => {
    const st = longTimeline(30);
    st.clips.c20 = { ...st.clips.c20!, effects: { ...st.clips.c20!.effects, loop: { ...DEFAULT_LOOP, count: 3 } } };
    // Make room for the loop: shift everything after it by two lengths of c20.
    const len = st.clips.c20.outFlicks - st.clips.c20.inFlicks;
    for (let i = 21; i < 30; i++) st.clips[`c${i}`] = { ...st.clips[`c${i}`]!, startFlicks: st.clips[`c${i}`]!.startFlicks + 2 * len };
    const plan = compileRenderPlan(st, OUT);
    const segs = splitRenderPlan(plan, { maxInputs: 6 });
    expectTiling(plan, segs);
    const seg = segs.find((x) => x.plan.base.some((b) => b.type === 'clip' && b.clipId === 'c20'))!;
    const c20 = seg.plan.base.find((b) => b.type === 'clip' && b.clipId === 'c20');
    if (c20?.type !== 'clip') throw new Error('c20 missing');
    const loop = c20.stages[0]!;
    if (loop.kind !== 'loop') throw new Error('expected a loop head');
    const used = loop.iterations.map((it) => it.input);
    expect(new Set(used).size).toBe(3);
    for (const i of used) {
      expect(i).toBeLessThan(seg.plan.inputs.length);
      expect(seg.plan.inputs[i]!.clipId).toBe('c20');
    }
    // The segment's graph names only its own inputs.
    const graph = buildFilterGraph(seg.plan).graph;
    const named = [...graph.matchAll(/\[(\d+):[va]:0\]/g)].map((m) => Number(m[1]));
    expect(Math.max(...named)).toBeLessThan(seg.plan.inputs.length);
  });
});
