/**
 * Render plan → one ffmpeg filter graph (the -filter_complex text).
 *
 * Invariants the graph keeps, so picture and sound line up exactly:
 *  - every video segment is made exactly its frame count long (pad with its last frame if
 *    the source runs short, trim the rest), so concat lands each cut on its frame;
 *  - every audio source is trimmed to its sample count and delayed by whole samples;
 *  - silence spanning the full duration is the first mix input and amix stops with it,
 *    so the audio stream is exactly as long as the picture.
 */
import type { AudioSource, AudioStage, BaseSegment, RenderPlan, VideoClipSegment, VideoStage } from './plan.js';
import { flicksToSamples, framesToSeconds } from './plan.js';
import { FLICKS_PER_SECOND, type Rational } from '../time/flicks.js';
import { stabilizeFilter } from '../stabilize/filters.js';
import { lut3dFilter } from './color-stage.js';
import { EXPORT_MATRIX } from '../color/matrix.js';
import { watermarkFilter } from './watermark.js';
import { stereoPanMatrix } from '../timeline/mix.js';
import { loopAudioHead, loopVideoHead, timingAudioFilter, timingVideoFilter } from './timing-stages.js';

export interface FilterGraph {
  /** The -filter_complex argument. */
  graph: string;
  /** Output pad labels to -map, with brackets. */
  videoOut: string;
  audioOut: string;
}

export function buildFilterGraph(plan: RenderPlan): FilterGraph {
  const chains: string[] = [];
  chains.push(...baseChains(plan));
  let current = 'base';
  plan.overlays.forEach((layer, li) => {
    layer.clips.forEach((clip, ci) => {
      const ov = `ov${li}_${ci}`;
      const next = `vl${li}_${ci}`;
      const from = secs(framesToSeconds(clip.startFrame - 0.5, plan.fps));
      const to = secs(framesToSeconds(clip.endFrame - 0.5, plan.fps));
      // Shift the clip to its timeline start; round() because setpts truncates and a
      // decimal start over TB can land a hair below the frame.
      chains.push(`${clipChain(clip)},setpts=PTS-STARTPTS+round(${secs(framesToSeconds(clip.startFrame, plan.fps))}/TB)[${ov}]`);
      // eof_action=pass: after the clip ends the layer below shows again (the default
      // would freeze its last frame over the rest of the timeline). The half-frame
      // margins keep float time comparisons off frame boundaries.
      chains.push(`[${current}][${ov}]overlay=x=0:y=0:eof_action=pass:enable='between(t,${from},${to})'[${next}]`);
      current = next;
    });
  });
  const mark = plan.watermark ? `,${watermarkFilter(plan.watermark, plan, plan.timeOffsetSeconds ?? 0)}` : '';
  chains.push(`[${current}]format=yuv420p${mark}[vout]`);
  chains.push(...audioChains(plan));
  return { graph: chains.join(';'), videoOut: '[vout]', audioOut: '[aout]' };
}

function baseChains(plan: RenderPlan): string[] {
  const chains: string[] = [];
  const labels: string[] = [];
  plan.base.forEach((seg: BaseSegment, i) => {
    const label = `s${i}`;
    labels.push(`[${label}]`);
    if (seg.type === 'gap') {
      const frames = seg.endFrame - seg.startFrame;
      chains.push(
        `color=c=black:s=${plan.width}x${plan.height}:r=${rate(plan.fps)}:d=${secs(framesToSeconds(frames, plan.fps))},` +
          `format=yuv420p,setsar=1,trim=end_frame=${frames}[${label}]`,
      );
    } else {
      chains.push(`${clipChain(seg)},format=yuv420p[${label}]`);
    }
  });
  chains.push(`${labels.join('')}concat=n=${labels.length}:v=1:a=0[base]`);
  return chains;
}

/** One clip's picture: from its input, through its stages, to exactly its frame count. */
function clipChain(clip: VideoClipSegment): string {
  const frames = clip.endFrame - clip.startFrame;
  // A looped clip's chain starts with its iterations (each from its own input), joined.
  const [head, ...rest] = clip.stages;
  const parts =
    head?.kind === 'loop'
      ? [loopVideoHead(head, stageFilter), ...rest.map(stageFilter)]
      : [`[${clip.input}:v:0]setpts=PTS-STARTPTS`, ...clip.stages.map(stageFilter)];
  // tpad clones the last frame if the source is a little short (probe durations are
  // estimates); trim cuts the frame count exact either way.
  parts.push(`tpad=stop_mode=clone:stop=-1`, `trim=end_frame=${frames}`, 'setpts=PTS-STARTPTS');
  return parts.join(',');
}

export function stageFilter(stage: VideoStage): string {
  switch (stage.kind) {
    case 'fps':
      return `fps=${rate(stage.rate)}`;
    case 'conform': {
      const { width: W, height: H } = stage;
      // Only when the matrix differs (a 709 source is scaled exactly as before), and before the
      // scale, on the source-sized frame. colormatrix measured closer to an exact RGB round trip
      // than swscale's own YUV→YUV matrix option (43.3 vs 39.5 dB at 1080p; docs/color.md).
      const convert = stage.matrix === EXPORT_MATRIX ? '' : `colormatrix=${stage.matrix}:${EXPORT_MATRIX},`;
      if (stage.fit === 'fill')
        return `${convert}scale=${W}:${H}:force_original_aspect_ratio=increase:force_divisible_by=2,crop=${W}:${H},setsar=1`;
      const scale = `${convert}scale=${W}:${H}:force_original_aspect_ratio=decrease:force_divisible_by=2,setsar=1`;
      return stage.padding === 'black'
        ? `${scale},pad=${W}:${H}:(ow-iw)/2:(oh-ih)/2:color=black`
        : `${scale},format=yuva420p,pad=${W}:${H}:(ow-iw)/2:(oh-ih)/2:color=black@0`;
    }
    case 'stabilize':
      return stabilizeFilter(stage);
    case 'lut3d':
      return lut3dFilter(stage);
    case 'reverse':
    case 'retime':
      return timingVideoFilter(stage);
    case 'loop':
      throw new Error('A loop stage must be the first stage of a clip (see clipChain).');
    default: {
      const never: never = stage;
      throw new Error(`Unhandled video stage ${JSON.stringify(never)}`);
    }
  }
}

function audioChains(plan: RenderPlan): string[] {
  const sr = plan.sampleRate;
  const total = flicksToSamples(plan.durationFlicks, sr);
  const fmt = audioFormat(sr);
  const chains = [`anullsrc=r=${sr}:cl=stereo,atrim=end_sample=${total}[silence]`];
  const labels = ['[silence]'];
  plan.audio.forEach((src, i) => {
    chains.push(`${audioSourceChain(src, sr)}[a${i}]`);
    labels.push(`[a${i}]`);
  });
  // normalize=0: amix would otherwise scale every input by 1/N, making each clip quieter
  // the more sources the timeline has (even ones that are silent at that moment).
  chains.push(`${labels.join('')}amix=inputs=${labels.length}:duration=first:dropout_transition=0:normalize=0,aresample=${sr},${fmt}[aout]`);
  return chains;
}

function audioSourceChain(src: AudioSource, sr: number): string {
  const length = src.endFlicks - src.startFlicks;
  const [head, ...rest] = src.stages;
  const parts = [
    ...(head?.kind === 'loop' ? [loopAudioHead(head, audioStageFilter), ...rest.map(audioStageFilter)] : [`[${src.input}:a:0]asetpts=PTS-STARTPTS`, ...src.stages.map(audioStageFilter)]),
    `atrim=end_sample=${flicksToSamples(length, sr)}`,
    'asetpts=PTS-STARTPTS',
  ];
  if (src.volume !== 1) parts.push(`volume=${num(src.volume)}`);
  if (src.keyframes?.length) parts.push(keyframeFilter(src.keyframes));
  if (src.fadeInFlicks > 0) parts.push(`afade=t=in:st=0:d=${secs(src.fadeInFlicks / FLICKS_PER_SECOND)}`);
  if (src.fadeOutFlicks > 0)
    parts.push(`afade=t=out:st=${secs((length - src.fadeOutFlicks) / FLICKS_PER_SECOND)}:d=${secs(src.fadeOutFlicks / FLICKS_PER_SECOND)}`);
  // Crossfades: afade's qsin is sin(x·π/2) in and cos(x·π/2) out (equal power), tri is linear (equal gain).
  const curve = (e: { curve: string }) => (e.curve === 'equal-power' ? 'qsin' : 'tri');
  if (src.crossfadeIn) parts.push(`afade=t=in:st=0:d=${secs(src.crossfadeIn.flicks / FLICKS_PER_SECOND)}:curve=${curve(src.crossfadeIn)}`);
  if (src.crossfadeOut)
    parts.push(`afade=t=out:st=${secs((length - src.crossfadeOut.flicks) / FLICKS_PER_SECOND)}:d=${secs(src.crossfadeOut.flicks / FLICKS_PER_SECOND)}:curve=${curve(src.crossfadeOut)}`);
  if (src.pan !== undefined && src.pan !== 0) parts.push(panFilter(src.pan));
  const delay = flicksToSamples(src.startFlicks, sr);
  // Delay in samples ("S") so the start is exact; all=1 delays every channel.
  if (delay > 0) parts.push(`adelay=delays=${delay}S:all=1`);
  return parts.join(',');
}

/**
 * The rubber band as one exact per-sample expression: aeval evaluates it at every sample's own
 * time (the `volume` filter's per-frame evaluation would step the level every 1,024 samples).
 * Piecewise linear in the clip's time t, held before the first point and after the last.
 */
export function keyframeFilter(keyframes: { atFlicks: number; gain: number }[]): string {
  const pts = keyframes.map((k) => ({ x: exact(k.atFlicks / FLICKS_PER_SECOND), g: exact(k.gain), xs: k.atFlicks / FLICKS_PER_SECOND, gs: k.gain }));
  let expr = pts[pts.length - 1]!.g;
  for (let i = pts.length - 1; i >= 1; i--) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    const slope = exact((b.gs - a.gs) / (b.xs - a.xs));
    expr = `if(lt(t,${b.x}),${a.g}+${slope}*(t-${a.x}),${expr})`;
  }
  expr = `if(lt(t,${pts[0]!.x}),${pts[0]!.g},${expr})`;
  return `aeval=exprs='val(0)*(${expr})|val(1)*(${expr})':c=same`;
}

/** Web Audio StereoPanner's law on a stereo signal (app/timeline/mix.ts), as ffmpeg's pan filter. */
export function panFilter(pan: number): string {
  const m = stereoPanMatrix(pan);
  return `pan=stereo|c0=${exact(m.lFromL)}*c0+${exact(m.lFromR)}*c1|c1=${exact(m.rFromL)}*c0+${exact(m.rFromR)}*c1`;
}

export function audioStageFilter(stage: AudioStage): string {
  switch (stage.kind) {
    case 'conform':
      return `aresample=${stage.sampleRate},${audioFormat(stage.sampleRate)}`;
    case 'reverse':
    case 'tempo':
      return timingAudioFilter(stage);
    case 'loop':
      throw new Error('A loop stage must be the first stage of an audio source (see audioSourceChain).');
    default: {
      const never: never = stage;
      throw new Error(`Unhandled audio stage ${JSON.stringify(never)}`);
    }
  }
}

function audioFormat(sampleRate: number): string {
  return `aformat=sample_fmts=fltp:sample_rates=${sampleRate}:channel_layouts=stereo`;
}

function secs(s: number): string {
  return Math.max(0, s).toFixed(6);
}

/** Full double precision, never exponent notation (ffmpeg's expression parser reads both, but filter text stays plain). */
function exact(n: number): string {
  if (Math.abs(n) < 1e-12) return '0';
  const t = n.toFixed(12).replace(/0+$/, '').replace(/\.$/, '');
  return t === '-0' ? '0' : t;
}

function num(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}

function rate(r: Rational): string {
  return `${r.num}/${r.den}`;
}

/** The sound alone: every audio source mixed exactly as the export mixes it, out on `[aout]` (loudness measurement, the meter). */
export function buildAudioGraph(plan: RenderPlan): string {
  return audioChains(plan).join(';');
}
