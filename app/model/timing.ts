/**
 * Speed and loop: the clip effects that change time. Pure vocabulary shared by the
 * commands, the time map, the render plan, main's loop-point analysis and the Inspector.
 *
 * The one rule: a clip's timeline length and every frame it shows come from the time map
 * (timemap.ts), which clipDuration (app/timeline/query.ts), the Viewer and the export all use.
 */
import type { Flicks } from '../time/flicks.js';
import type { Job } from '../jobs/types.js';

export const SPEED_MIN = 0.1;
export const SPEED_MAX = 10;
/** Repeats a loop may have, counted or filling (each repeat is one more decoder at export). */
export const LOOP_MAX_ITERATIONS = 64;

/** A point on a clip's speed curve. */
export interface SpeedKeyframe {
  /**
   * Playback position in the clip's source span: 0 = the first frame played, 1 = the end
   * (with reverse, 0 is the source out point). Positions are relative, so trims keep the shape.
   */
  at: number;
  /** Playback rate here, SPEED_MIN..SPEED_MAX (1 = real time). */
  speed: number;
  /** How the rate moves from this keyframe to the next: straight, or smoothstep. */
  ease: 'linear' | 'ease';
}

/**
 * How slow motion makes frames the source does not have:
 *  - nearest: repeat the nearest source frame (exact; what the time map names),
 *  - blend: mix the two neighbouring source frames by distance (ffmpeg framerate),
 *  - motion: motion-compensated interpolation (ffmpeg minterpolate, mi_mode=mci; slow).
 */
export type FrameSynthesis = 'nearest' | 'blend' | 'motion';
export const FRAME_SYNTHESIS: readonly FrameSynthesis[] = ['nearest', 'blend', 'motion'];

/**
 * Sound under a speed change. Constant-rate stretches always keep their pitch (atempo);
 * ramps either follow the speed like tape (resample: pitch moves with it) or go silent.
 */
export type RampAudio = 'resample' | 'mute';

export interface SpeedEffect {
  /** Constant rate, used when `keyframes` is empty. */
  rate: number;
  /** A keyframed curve: two or more, sorted, first at 0 and last at 1; empty = constant `rate`. */
  keyframes: SpeedKeyframe[];
  /** Play the span backwards. */
  reverse: boolean;
  frames: FrameSynthesis;
  rampAudio: RampAudio;
}

export const DEFAULT_SPEED: SpeedEffect = { rate: 1, keyframes: [], reverse: false, frames: 'nearest', rampAudio: 'resample' };

export interface LoopEffect {
  /** count: repeat `count` times; fill: repeat until `fillFlicks` of timeline is filled. */
  mode: 'count' | 'fill';
  count: number;
  fillFlicks: Flicks;
  /**
   * Dissolve between repeats, in timeline time (0 = hard cut). Each repeat starts this much
   * before the previous one ends, so the seam is a crossfade of the end into the start.
   */
  crossfadeFlicks: Flicks;
}

export const DEFAULT_LOOP: LoopEffect = { mode: 'count', count: 2, fillFlicks: 0, crossfadeFlicks: 0 };

/** Settings of one seamless-loop search: what is read and how far from each end it looks. */
export interface LoopPointSearch {
  /** Source frame span searched, at the asset's frame rate: [inFrame, outFrame). */
  inFrame: number;
  outFrame: number;
  /** Frames examined near each end. */
  windowFrames: number;
  /** Shortest loop accepted, in frames. */
  minLoopFrames: number;
}

/**
 * A found loop point, recorded on the asset (AssetDerivatives.loopPoints, keyed by
 * loopPointKey) so the result is cached per asset + settings and survives reopening.
 * Playing source frames [startFrame, endFrame) and jumping back to startFrame is the
 * smoothest seam: frame endFrame (the one that would come next) looks most like startFrame.
 */
export interface LoopPointResult {
  search: LoopPointSearch;
  startFrame: number;
  endFrame: number;
  /** Mean absolute luma difference (0..255) of the seam pair, on 32×18 gray frames. */
  seamDifference: number;
  /** Median difference of consecutive frames in the searched windows: the clip's own motion. */
  medianFrameDifference: number;
  /** The 5 best pairs, best first, for the UI to offer. */
  candidates: { startFrame: number; endFrame: number; difference: number }[];
  analysedAt: string;
}

/** What `analysis.loopPoint` answers: the cached result, or the 'analyze' job that will record it. */
export interface LoopPointAnswer {
  key: string;
  search: LoopPointSearch;
  result: LoopPointResult | null;
  job: Job | null;
}
