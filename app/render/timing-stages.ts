/**
 * Speed and loop as render-plan stages (app/render/plan.ts), and their ffmpeg filters.
 *
 * Picture, per clip:  [stabilize…] → reverse → retime → fps → … → conform
 * With a loop, every iteration reads its own copy of the input (one more decoder, no frame
 * buffering), runs the pre-time stages and its own retime (its phase differs), is cut to its
 * exact frame count, and the iterations are joined by concat (hard seam) or xfade (dissolve).
 * Sound follows the same shape: areverse → tempo segments → conform, per iteration, joined by
 * concat or acrossfade.
 */
import type { Asset, Clip } from '../model/types.js';
import type { AudioStage, LoopAudioStage, LoopIterationAudio, LoopIterationVideo, LoopVideoStage, RetimeStage, ReverseStage, TempoStage, VideoStage } from './types.js';
import type { Rational } from '../time/flicks.js';
import { retimeFilter, retimeParams, tempoFilter, tempoSegments } from '../timing/expr.js';
import { discreteTiming, hasTimeEffects } from '../timing/timemap.js';

export interface TimingContext {
  fps: Rational;
  sampleRate: number;
  /** Input index for loop iteration k (0 = the clip's own input). */
  iterationInput(k: number): number;
}

function sourceFps(asset: Asset, fallback: Rational): Rational {
  const f = asset.probe.fps;
  return f && f.num > 0 && f.den > 0 ? f : fallback;
}

/** The clip's picture stages up to the retime: `pre` (e.g. stabilize) unchanged when it has no time effects. */
export function timingVideoStages(clip: Clip, asset: Asset, ctx: TimingContext, pre: VideoStage[]): VideoStage[] {
  if (asset.kind === 'image' || !hasTimeEffects(clip)) return pre;
  const d = discreteTiming(clip, sourceFps(asset, ctx.fps), ctx.fps, ctx.sampleRate);
  const speed = clip.effects.speed;
  const frames = speed?.frames ?? 'nearest';
  const stagesFor = (k: number): VideoStage[] => [
    ...pre,
    ...(d.timing.oneShot.reverse ? [{ kind: 'reverse' } as const] : []),
    { kind: 'retime', frames, rate: ctx.fps, map: retimeParams(d, k) },
  ];
  if (!d.timing.loop) return stagesFor(0);
  return [
    {
      kind: 'loop',
      rate: ctx.fps,
      iterations: d.iterations.map((it, k) => ({
        input: ctx.iterationInput(k),
        frames: it.endTick - it.startTick,
        transitionFrames: it.transitionFrames,
        stages: stagesFor(k),
      })),
    },
  ];
}

/** The clip's sound stages, ending with `conform` (which is all there is without time effects). */
export function timingAudioStages(clip: Clip, asset: Asset, ctx: TimingContext, conform: AudioStage): AudioStage[] {
  if (asset.kind === 'image' || !hasTimeEffects(clip)) return [conform];
  const d = discreteTiming(clip, sourceFps(asset, ctx.fps), ctx.fps, ctx.sampleRate);
  const map = d.timing.oneShot;
  const speed = clip.effects.speed;
  const identity = map.m.length === 1 && map.m[0] === 1;
  const stagesFor = (input: number): AudioStage[] => [
    ...(map.reverse ? [{ kind: 'reverse' } as const] : []),
    ...(identity ? [] : [{ kind: 'tempo', sampleRate: ctx.sampleRate, label: `tp${input}_`, segments: tempoSegments(map, ctx.sampleRate, speed?.rampAudio ?? 'resample') } as const]),
    conform,
  ];
  if (!d.timing.loop) return stagesFor(ctx.iterationInput(0));
  return [
    {
      kind: 'loop',
      iterations: d.iterations.map((it, k) => {
        const input = ctx.iterationInput(k);
        return { input, samples: it.endSample - it.startSample, transitionSamples: it.transitionSamples, stages: stagesFor(input) };
      }),
    },
  ];
}

// ---------------------------------------------------------------------------------------
// Filters (called from app/render/filtergraph.ts).

function seconds(frames: number, rate: Rational): string {
  return Math.max(0, (frames * rate.den) / rate.num).toFixed(6);
}

export function timingVideoFilter(stage: ReverseStage | RetimeStage): string {
  return stage.kind === 'reverse' ? 'reverse' : retimeFilter(stage.map, stage.frames, stage.rate);
}

export function timingAudioFilter(stage: ReverseStage | TempoStage): string {
  return stage.kind === 'reverse' ? 'areverse' : tempoFilter(stage.segments, stage.sampleRate, stage.label);
}

/**
 * The chains of a looped clip, ending in an open chain (no output label) that the caller
 * continues with the clip's remaining stages.
 */
export function loopVideoHead(stage: LoopVideoStage, stageFilter: (s: VideoStage) => string): string {
  const r = `${stage.rate.num}/${stage.rate.den}`;
  const chains: string[] = [];
  const body = (it: LoopIterationVideo) =>
    [`[${it.input}:v:0]setpts=PTS-STARTPTS`, ...it.stages.map(stageFilter), `fps=${r}`, 'tpad=stop_mode=clone:stop=-1', `trim=end_frame=${it.frames}`, 'setpts=PTS-STARTPTS'].join(',');
  const its = stage.iterations;
  if (its.length === 1) return body(its[0]!);
  its.forEach((it) => chains.push(`${body(it)}[lv${it.input}]`));
  let acc = `lv${its[0]!.input}`;
  let accFrames = its[0]!.frames;
  for (let k = 1; k < its.length; k++) {
    const it = its[k]!;
    const d = it.transitionFrames;
    const join = d > 0
      ? `[${acc}][lv${it.input}]xfade=transition=fade:duration=${seconds(d, stage.rate)}:offset=${seconds(accFrames - d, stage.rate)}`
      : `[${acc}][lv${it.input}]concat=n=2:v=1:a=0`;
    accFrames += it.frames - d;
    if (k === its.length - 1) chains.push(join);
    else {
      acc = `lvj${it.input}`;
      chains.push(`${join}[${acc}]`);
    }
  }
  return chains.join(';');
}

export function loopAudioHead(stage: LoopAudioStage, stageFilter: (s: AudioStage) => string): string {
  const its = stage.iterations;
  const body = (it: LoopIterationAudio) =>
    [`[${it.input}:a:0]asetpts=PTS-STARTPTS`, ...it.stages.map(stageFilter), `apad=whole_len=${it.samples}`, `atrim=end_sample=${it.samples}`, 'asetpts=PTS-STARTPTS'].join(',');
  if (its.length === 1) return body(its[0]!);
  const chains = its.map((it) => `${body(it)}[la${it.input}]`);
  let acc = `la${its[0]!.input}`;
  for (let k = 1; k < its.length; k++) {
    const it = its[k]!;
    const join = it.transitionSamples > 0
      ? `[${acc}][la${it.input}]acrossfade=ns=${it.transitionSamples}:c1=tri:c2=tri`
      : `[${acc}][la${it.input}]concat=n=2:v=0:a=1`;
    if (k === its.length - 1) chains.push(join);
    else {
      acc = `laj${it.input}`;
      chains.push(`${join}[${acc}]`);
    }
  }
  return chains.join(';');
}
