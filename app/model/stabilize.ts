/**
 * Stabilize: the clip effect, its analysis record and its render stage. Pure vocabulary,
 * shared by the command, the render plan, main's analysis job and the Inspector.
 */
import type { Flicks } from '../time/flicks.js';

/**
 * How the moving frame meets the canvas edge:
 *  - black-borders: no zoom; the uncovered edge is black (nothing of the picture is lost);
 *  - fixed-zoom: a constant zoom of `zoomPercent` hides most borders;
 *  - adaptive-zoom: vid.stab zooms in just enough, frame by frame, to hide the borders.
 */
export type StabilizeZoomMode = 'black-borders' | 'fixed-zoom' | 'adaptive-zoom';
export const STABILIZE_ZOOM_MODES: readonly StabilizeZoomMode[] = ['black-borders', 'fixed-zoom', 'adaptive-zoom'];

/** The effect on a clip (ClipEffects.stabilize). */
export interface StabilizeSettings {
  enabled: boolean;
  /** Camera-path smoothing: frames on each side of the low-pass window (vid.stab `smoothing`). */
  smoothing: number;
  zoomMode: StabilizeZoomMode;
  /** Zoom for 'fixed-zoom', in percent. */
  zoomPercent?: number;
  /** Analysis: how shaky the footage is, 1..10 (vid.stab `shakiness`). */
  shakiness?: number;
  /** Analysis: accuracy of the motion search, 1..15 (vid.stab `accuracy`). */
  accuracy?: number;
}

export const STABILIZE_DEFAULTS: Required<StabilizeSettings> = {
  enabled: true,
  smoothing: 15,
  zoomMode: 'black-borders',
  zoomPercent: 5,
  shakiness: 5,
  accuracy: 15,
};

export const STABILIZE_LIMITS = {
  smoothing: { min: 0, max: 200 },
  zoomPercent: { min: 0, max: 50 },
  shakiness: { min: 1, max: 10 },
  accuracy: { min: 1, max: 15 },
} as const;

/** Settings with every optional member filled in. */
export function resolveStabilize(s: StabilizeSettings): Required<StabilizeSettings> {
  return {
    enabled: s.enabled,
    smoothing: s.smoothing,
    zoomMode: s.zoomMode,
    zoomPercent: s.zoomPercent ?? STABILIZE_DEFAULTS.zoomPercent,
    shakiness: s.shakiness ?? STABILIZE_DEFAULTS.shakiness,
    accuracy: s.accuracy ?? STABILIZE_DEFAULTS.accuracy,
  };
}

/**
 * vid.stab two-pass where the engine has it; `deshake` (one pass, no analysis, weaker)
 * where it does not (the wasm ffmpeg).
 */
export type StabilizeMethod = 'vidstab' | 'deshake';

/** What an analysis is of: one asset's source span with the detect settings. */
export interface StabilizeAnalysisSpec {
  method: StabilizeMethod;
  assetSha256: string;
  inFlicks: Flicks;
  outFlicks: Flicks;
  shakiness: number;
  accuracy: number;
}

/**
 * One finished analysis, recorded on the asset (AssetDerivatives.stabilize, keyed by
 * analysis key) so every view can tell "analysed" from "stale" without asking main.
 */
export interface StabilizeAnalysisRecord {
  method: StabilizeMethod;
  /** media/derived/stab/<key>.trf (vid.stab only). */
  transformsPath: string | null;
  inFlicks: Flicks;
  outFlicks: Flicks;
  shakiness: number;
  accuracy: number;
  /** Clips that asked for this analysis: a clip listed here whose key moved on is "stale". */
  clipIds: string[];
  /** Stabilized preview proxies by preview key: project-relative MP4 paths. */
  previews: Record<string, string>;
  analysedAt: string;
}

/**
 * The render stage (app/render/plan.ts VideoStage). It runs first among a clip's stages:
 * the transforms are indexed by source frame, so nothing may drop, repeat or retime
 * frames before it (speed, loop and fps come after).
 */
export interface StabilizeStage {
  kind: 'stabilize';
  method: StabilizeMethod;
  /** Key of the analysis the stage needs (content address of the .trf). */
  analysisKey: string;
  /**
   * The transforms file: project-relative as compiled; planToFfmpegArgs resolves it with
   * the same resolver as media paths.
   */
  transformsPath: string;
  /** What the analysis reads, so an export can run it when it is missing. */
  assetId: string;
  sourceInFlicks: Flicks;
  sourceOutFlicks: Flicks;
  shakiness: number;
  accuracy: number;
  smoothing: number;
  zoomMode: StabilizeZoomMode;
  zoomPercent: number;
}

/** `stabilize.engine`: which stabilizer this session's ffmpeg runs. */
export interface StabilizeEngineInfo {
  method: StabilizeMethod;
  /** Set when falling back to deshake: what the user loses and how to get vid.stab. */
  warning: string | null;
}
