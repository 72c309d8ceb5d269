/**
 * Splitting a render plan into segments, so a timeline of thousands of clips exports with a
 * bounded number of ffmpeg inputs per run (ffmpeg opens every input's decoder up front: a
 * few hundred inputs take gigabytes, and 5,000 of them cannot even be passed to exec).
 *
 * Cuts fall only on base-track boundaries (clip or gap edges) that no overlay clip and no
 * audio source crosses, so each segment is an independent plan: its picture is exactly its
 * frames, its sound exactly its samples. Segments are packed greedily up to `maxInputs`; a
 * stretch that cannot be cut (e.g. one overlay spanning the whole timeline) becomes one
 * larger segment rather than failing.
 *
 * Each segment is a RenderPlan starting at time 0 (frames, flicks and input indexes rebased),
 * so the ordinary filter graph compiler renders it unchanged.
 */
import { FLICKS_PER_SECOND, flicksPerFrame, type Flicks } from '../time/flicks.js';
import { shiftWatermark } from './watermark.js';
import type { AudioSource, AudioStage, BaseSegment, OverlayLayer, PlanInput, RenderPlan, VideoClipSegment, VideoStage } from './plan.js';
import { flicksToSamples } from './plan.js';

export interface PlanSegment {
  /** The segment as a plan of its own, starting at 0. */
  plan: RenderPlan;
  /** Where it sits in the whole plan's output. */
  startFrame: number;
  endFrame: number;
  startFlicks: Flicks;
  endFlicks: Flicks;
  /**
   * Its exact share of the whole plan's audio samples: S(end) − S(start) with S the whole
   * plan's rounding, so the segments' sound concatenates to exactly the single-pass length.
   */
  samples: number;
}

export interface SplitOptions {
  /** Most ffmpeg inputs one segment may open (a stretch that cannot be cut may exceed it). */
  maxInputs: number;
}

/** The whole plan as one segment when it fits, else segments cut at clip boundaries. */
export function splitRenderPlan(plan: RenderPlan, opts: SplitOptions): PlanSegment[] {
  const total = flicksToSamples(plan.durationFlicks, plan.sampleRate);
  if (plan.inputs.length <= opts.maxInputs)
    return [{ plan, startFrame: 0, endFrame: plan.frameCount, startFlicks: 0, endFlicks: plan.durationFlicks, samples: total }];

  const atoms = cutAtoms(plan);
  const segments: PlanSegment[] = [];
  let group: Atom[] = [];
  let inputs = new Set<number>();
  const flush = () => {
    if (group.length === 0) return;
    segments.push(buildSegment(plan, group[0]!.startFrame, group[group.length - 1]!.endFrame));
    group = [];
    inputs = new Set();
  };
  for (const atom of atoms) {
    const merged = new Set([...inputs, ...atom.inputs]);
    if (group.length > 0 && merged.size > opts.maxInputs) {
      flush();
      atom.inputs.forEach((i) => inputs.add(i));
    } else inputs = merged;
    group.push(atom);
  }
  flush();
  return segments;
}

/** A stretch between two admissible cuts, and the inputs what starts in it reads. */
interface Atom {
  startFrame: number;
  endFrame: number;
  inputs: Set<number>;
}

/** Flicks at an output frame boundary (exact: frames are whole flicks at supported rates). */
function cutFlicks(plan: RenderPlan, frame: number): Flicks {
  return frame >= plan.frameCount ? plan.durationFlicks : frame * flicksPerFrame(plan.fps);
}

function cutAtoms(plan: RenderPlan): Atom[] {
  // A cut is admissible where no overlay clip (in frames) and no sound (in flicks) spans it.
  const overlaySpans = plan.overlays.flatMap((l) => l.clips.map((c): [number, number] => [c.startFrame, c.endFrame]));
  const audioSpans = plan.audio.map((a): [number, number] => [a.startFlicks, a.endFlicks]);
  const overlayAt = spanSweep(overlaySpans);
  const audioAt = spanSweep(audioSpans);
  const crosses = (frame: number): boolean => overlayAt(frame) || audioAt(cutFlicks(plan, frame));
  const cuts = [0];
  for (const seg of plan.base.slice(1)) if (!crosses(seg.startFrame)) cuts.push(seg.startFrame);
  cuts.push(plan.frameCount);
  const atoms: Atom[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) atoms.push({ startFrame: cuts[i]!, endFrame: cuts[i + 1]!, inputs: new Set() });
  // Each item lands in the atom where it starts (it cannot cross an admissible cut).
  const atomAt = (frame: number) => atoms[Math.max(0, upperBound(cuts, frame) - 1)] ?? atoms[atoms.length - 1]!;
  const addVideo = (c: VideoClipSegment) => videoInputs(c).forEach((i) => atomAt(c.startFrame).inputs.add(i));
  plan.base.forEach((s) => s.type === 'clip' && addVideo(s));
  plan.overlays.forEach((l) => l.clips.forEach(addVideo));
  for (const a of plan.audio) {
    const frame = Math.min(plan.frameCount - 1, Math.floor(a.startFlicks / flicksPerFrame(plan.fps)));
    audioInputs(a).forEach((i) => atomAt(frame).inputs.add(i));
  }
  return atoms;
}

/**
 * For ascending queries x: whether some span has start < x < end. Spans sorted by start,
 * a pointer and the furthest end seen so far: linear overall, not spans × cuts.
 */
function spanSweep(spans: [number, number][]): (x: number) => boolean {
  spans.sort((a, b) => a[0] - b[0]);
  let i = 0;
  let maxEnd = -Infinity;
  return (x) => {
    while (i < spans.length && spans[i]![0] < x) maxEnd = Math.max(maxEnd, spans[i++]![1]);
    return maxEnd > x;
  };
}

/** Index of the first element > x in a sorted array. */
function upperBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function videoInputs(c: VideoClipSegment): number[] {
  const out = [c.input];
  for (const s of c.stages) if (s.kind === 'loop') s.iterations.forEach((it) => out.push(it.input));
  return out;
}

function audioInputs(a: AudioSource): number[] {
  const out = [a.input];
  for (const s of a.stages) if (s.kind === 'loop') s.iterations.forEach((it) => out.push(it.input));
  return out;
}

function buildSegment(plan: RenderPlan, startFrame: number, endFrame: number): PlanSegment {
  const t0 = cutFlicks(plan, startFrame);
  const t1 = cutFlicks(plan, endFrame);
  const inFrames = (s: { startFrame: number; endFrame: number }) => s.startFrame >= startFrame && s.endFrame <= endFrame;
  const base = plan.base.filter(inFrames);
  const overlays = plan.overlays.map((l) => ({ ...l, clips: l.clips.filter((c) => c.startFrame >= startFrame && c.startFrame < endFrame) }));
  const audio = plan.audio.filter((a) => a.startFlicks >= t0 && a.startFlicks < t1);

  // Inputs in first-use order, renumbered from 0.
  const remap = new Map<number, number>();
  const use = (i: number) => {
    if (!remap.has(i)) remap.set(i, remap.size);
    return remap.get(i)!;
  };
  base.forEach((s) => s.type === 'clip' && videoInputs(s).forEach(use));
  overlays.forEach((l) => l.clips.forEach((c) => videoInputs(c).forEach(use)));
  audio.forEach((a) => audioInputs(a).forEach(use));
  const inputs: PlanInput[] = [...remap].map(([old, index]) => ({ ...plan.inputs[old]!, index }));

  const shiftSpan = <T extends { startFrame: number; endFrame: number; startFlicks: Flicks; endFlicks: Flicks }>(s: T): T => ({
    ...s,
    startFrame: s.startFrame - startFrame,
    endFrame: s.endFrame - startFrame,
    startFlicks: Math.max(0, s.startFlicks - t0),
    endFlicks: Math.max(0, s.endFlicks - t0),
  });
  const shiftClip = (c: VideoClipSegment): VideoClipSegment => ({ ...shiftSpan(c), input: remap.get(c.input)!, stages: c.stages.map((s) => remapVideoStage(s, remap)) });
  const sub: RenderPlan = {
    ...plan,
    watermark: shiftWatermark(plan.watermark, startFrame, endFrame),
    timeOffsetSeconds: (plan.timeOffsetSeconds ?? 0) + t0 / FLICKS_PER_SECOND,
    durationFlicks: t1 - t0,
    frameCount: endFrame - startFrame,
    inputs,
    base: base.map((s): BaseSegment => (s.type === 'clip' ? shiftClip(s) : shiftSpan(s))),
    overlays: overlays.filter((l) => l.clips.length > 0).map((l): OverlayLayer => ({ ...l, clips: l.clips.map(shiftClip) })),
    audio: audio.map((a) => ({
      ...a,
      startFlicks: a.startFlicks - t0,
      endFlicks: a.endFlicks - t0,
      input: remap.get(a.input)!,
      stages: a.stages.map((s) => remapAudioStage(s, remap)),
    })),
  };
  const samples = flicksToSamples(t1, plan.sampleRate) - flicksToSamples(t0, plan.sampleRate);
  return { plan: sub, startFrame, endFrame, startFlicks: t0, endFlicks: t1, samples };
}

function remapVideoStage(s: VideoStage, remap: Map<number, number>): VideoStage {
  if (s.kind !== 'loop') return s;
  return { ...s, iterations: s.iterations.map((it) => ({ ...it, input: remap.get(it.input)!, stages: it.stages.map((x) => remapVideoStage(x, remap)) })) };
}

function remapAudioStage(s: AudioStage, remap: Map<number, number>): AudioStage {
  if (s.kind !== 'loop') return s;
  return { ...s, iterations: s.iterations.map((it) => ({ ...it, input: remap.get(it.input)!, stages: it.stages.map((x) => remapAudioStage(x, remap)) })) };
}
