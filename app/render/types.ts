/**
 * The render plan's data types: what the compiler (plan.ts) produces and what the ffmpeg
 * arguments (ffmpeg-args.ts, filtergraph.ts) and the Viewer read. Types only, below every
 * stage builder, so the plan and its stages (color-stage.ts, timing-stages.ts,
 * stabilize-stages.ts) import them without importing each other.
 */
import type { FitMode } from '../export/presets.js';
import type { ColorMatrix } from '../color/matrix.js';
import type { ColorGrade, LutInterp } from '../model/color.js';
import type { StabilizeMethod, StabilizeStage } from '../model/stabilize.js';
import type { FrameSynthesis } from '../model/timing.js';
import type { Flicks, Rational } from '../time/flicks.js';
import type { RetimeParams, TempoSegment } from '../timing/expr.js';
import type { CrossfadeEdge } from '../timeline/crossfades.js';

export interface RenderPlanOptions {
  /** Output canvas in square pixels. */
  width: number;
  height: number;
  /** 'fit' letterboxes (scale to fit, pad black); 'fill' scales to cover and crops the centre. */
  fit: FitMode;
}

/**
 * What the compiler cannot know by itself and is handed, so the plan it returns is final:
 * printed, diffed, tested and encoded as is. Each defaults to the project-relative cache path
 * (what a preview or a dry run needs); the export passes the files it prepared.
 */
export interface PlanResources {
  /** Compiled grade LUTs by grade key (gradeKey). */
  lutFiles?: Readonly<Record<string, string>>;
  /** vid.stab transforms files by analysis key (analysisKey). */
  stabilizeTransforms?: Readonly<Record<string, string>>;
  /** How stabilize stages run: 'deshake' where the engine has no vid.stab. Default 'vidstab'. */
  stabilizeMethod?: StabilizeMethod;
  /** Draw the visible "AI-generated" mark over generated footage (watermark.ts). Default off. */
  watermark?: boolean;
}

/** A stretch of the output timeline, in flicks and in output frames (what the encoder sees). */
export interface Span {
  startFlicks: Flicks;
  endFlicks: Flicks;
  /** Frame boundaries rounded to the nearest output frame; consecutive spans tile exactly. */
  startFrame: number;
  endFrame: number;
}

/** Media read for one clip. Video and audio of a clip share one input. */
export interface PlanInput {
  /** Position in RenderPlan.inputs (ffmpeg's input index). */
  index: number;
  clipId: string;
  assetId: string;
  assetName: string;
  /** Asset path relative to the project folder, as stored on the asset. */
  path: string;
  /** Images are held: one picture repeated for `readFlicks`. */
  media: 'video' | 'audio' | 'image';
  /** Source span to read: from `sourceInFlicks`, `readFlicks` long. */
  sourceInFlicks: Flicks;
  readFlicks: Flicks;
}

/**
 * Per-clip picture processing, applied in order. Time-changing stages (speed, loop) go
 * before 'fps'; pixel stages (stabilize, lut3d) before 'conform'.
 */
export type VideoStage =
  /** Resample to the project frame rate (duplicating or dropping frames). */
  | { kind: 'fps'; rate: Rational }
  /**
   * Scale into the canvas with square pixels. 'fit' pads the rest: black on the base
   * layer, transparent on overlays (so the layer below shows, as editors do). `matrix` is the
   * YUV matrix of the frames reaching it; one that is not the export's (EXPORT_MATRIX) is
   * converted here, in the same scale, so every clip leaves in the matrix the file is tagged with.
   */
  | { kind: 'conform'; width: number; height: number; fit: FitMode; padding: 'black' | 'transparent'; matrix: ColorMatrix }
  /** Remove camera shake (app/stabilize). Always the first stage: its transforms are indexed by source frame. */
  | StabilizeStage
  /** Color grade as one 3D LUT (app/color), a pixel stage just before 'conform'. */
  | Lut3dStage
  /**
   * Speed and loop (app/render/timing-stages.ts): reverse, retime (frames onto the output ticks the
   * time map names), or loop (the head of the chain: iterations, each with its own input and
   * the stages up to its retime, joined by concat or xfade). Always before 'fps'.
   */
  | TimingVideoStage;

export interface VideoClipSegment extends Span {
  type: 'clip';
  clipId: string;
  trackId: string;
  input: number;
  stages: VideoStage[];
}

export interface GapSegment extends Span {
  type: 'gap';
}

export type BaseSegment = VideoClipSegment | GapSegment;

export interface OverlayLayer {
  trackId: string;
  trackIndex: number;
  /** Clips in timeline order; nothing is drawn between them. */
  clips: VideoClipSegment[];
}

/**
 * Per-clip sound processing before the clip is cut to its timeline length and mixed.
 * Time-changing stages (speed → tempo) go before 'conform'.
 */
export type AudioStage =
  /** Resample to the project rate and lay out as stereo, so every source mixes alike. */
  | { kind: 'conform'; sampleRate: number; layout: 'stereo' }
  /** Speed and loop (app/render/timing-stages.ts): areverse, tempo segments, loop iterations. */
  | TimingAudioStage;

export interface AudioSource {
  clipId: string;
  trackId: string;
  input: number;
  /** Where the sound starts and ends on the timeline. */
  startFlicks: Flicks;
  endFlicks: Flicks;
  sourceInFlicks: Flicks;
  sourceOutFlicks: Flicks;
  stages: AudioStage[];
  /** Mix parameters, in timeline time: linear gain (clip volume × track volume) and fade lengths. */
  volume: number;
  fadeInFlicks: Flicks;
  fadeOutFlicks: Flicks;
  /** Volume keyframes, in flicks from the clip's start (may lie outside it); linear between, held outside. */
  keyframes?: { atFlicks: Flicks; gain: number }[];
  /** Crossfades with the clip before / after it on its track (app/timeline/crossfades.ts). */
  crossfadeIn?: CrossfadeEdge;
  crossfadeOut?: CrossfadeEdge;
  /** Track pan, −1 … 1, with the Web Audio StereoPanner law (app/timeline/mix.ts); absent = centre. */
  pan?: number;
}

/** The visible "AI-generated" mark (watermark.ts). */
export interface WatermarkSpec {
  text: string;
  /** Output frame ranges [start, end) that show generated footage, sorted, merged. */
  spans: { startFrame: number; endFrame: number }[];
  periodSeconds: number;
}

export interface RenderPlan {
  width: number;
  height: number;
  fit: FitMode;
  fps: Rational;
  sampleRate: number;
  /** Always stereo output. */
  channels: 2;
  durationFlicks: Flicks;
  /** Output frames for the whole duration; the base segments' frames sum to it. */
  frameCount: number;
  inputs: PlanInput[];
  /** Tiles [0, durationFlicks) without holes or overlap. */
  base: BaseSegment[];
  /** Bottom-most first. */
  overlays: OverlayLayer[];
  audio: AudioSource[];
  /** Visible "AI-generated" mark over generated footage (watermark.ts); absent = none. */
  watermark?: WatermarkSpec;
  /** Where this plan starts in the whole film, seconds (segments of a long export); 0 if absent. */
  timeOffsetSeconds?: number;
}

// Color (color-stage.ts).

export interface Lut3dStage {
  kind: 'lut3d';
  /** The grade to compile (the exporter compiles it with compileGrade). */
  grade: ColorGrade;
  /** Content key of the compiled LUT (gradeKey). */
  key: string;
  /** The compiled .cube: project-relative in a plan, absolute once the exporter resolved it. */
  file: string;
  interp: LutInterp;
  /**
   * The YUV matrix the source is decoded with before the LUT (and encoded with after it),
   * the one a browser decodes it with for the preview: the source's tag where it has one
   * (main fills that in), else Chromium's rule for untagged video: BT.709 from 720 lines up,
   * BT.601 below; stills BT.601 (JFIF).
   */
  matrix: ColorMatrix;
}

// Speed and loop (timing-stages.ts).

export interface ReverseStage {
  kind: 'reverse';
}

/** Frames land on the output ticks the time map names (setpts), then are synthesised. */
export interface RetimeStage {
  kind: 'retime';
  frames: FrameSynthesis;
  rate: Rational;
  map: RetimeParams;
}

export interface LoopIterationVideo {
  /** The iteration's own input (same file and span as the clip's). */
  input: number;
  /** Exact frame count of its stream. */
  frames: number;
  /** Frames it dissolves with the previous iteration (0 = cut). */
  transitionFrames: number;
  /** Its stages up to and including the retime (stabilize, reverse, retime). */
  stages: VideoStage[];
}

/** The head of a looped clip's chain: iterations made and joined; later stages run once. */
export interface LoopVideoStage {
  kind: 'loop';
  rate: Rational;
  iterations: LoopIterationVideo[];
}

export type TimingVideoStage = ReverseStage | RetimeStage | LoopVideoStage;

export interface TempoStage {
  kind: 'tempo';
  sampleRate: number;
  /** Unique prefix for the pad names inside the stage. */
  label: string;
  segments: TempoSegment[];
}

export interface LoopIterationAudio {
  input: number;
  samples: number;
  transitionSamples: number;
  stages: AudioStage[];
}

export interface LoopAudioStage {
  kind: 'loop';
  iterations: LoopIterationAudio[];
}

export type TimingAudioStage = ReverseStage | TempoStage | LoopAudioStage;
