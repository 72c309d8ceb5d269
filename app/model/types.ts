/**
 * The project model. Plain, JSON-serialisable, immutable values: the main process
 * persists them relationally (main/store) and the renderer mirrors them from patches.
 */
import type { Flicks, Rational } from '../time/flicks.js';
import type { ColorGrade, GradePreset } from './color.js';
import type { StabilizeAnalysisRecord, StabilizeSettings } from './stabilize.js';
import type { LoopEffect, LoopPointResult, SpeedEffect } from './timing.js';

export type Aspect = '16:9' | '9:16' | '1:1';
export const ASPECTS: readonly Aspect[] = ['16:9', '9:16', '1:1'];

export interface ProjectSettings {
  name: string;
  fps: Rational;
  width: number;
  height: number;
  sampleRate: number;
  /** Named color grades saved in the project (app/color). */
  gradePresets?: GradePreset[];
}

export type AssetKind = 'video' | 'audio' | 'image';

export interface ProbeInfo {
  durationFlicks: Flicks;
  hasVideo: boolean;
  hasAudio: boolean;
  width?: number;
  height?: number;
  fps?: Rational;
  videoCodec?: string;
  audioCodec?: string;
  sampleRate?: number;
  channels?: number;
  /** Number of video frames when the container states it. */
  frameCount?: number;
  /**
   * The video stream's colour tags, as ffprobe names them (null: untagged). Absent when the
   * file was never probed for them (imports from before they were recorded, or no ffprobe):
   * the export backfills them through main/media/probe.ts before compiling its plan.
   */
  color?: ColorTags;
}

/** ffprobe's color_space / color_primaries / color_transfer / color_range of a video stream. */
export interface ColorTags {
  matrix: string | null;
  primaries: string | null;
  transfer: string | null;
  range: string | null;
}

/** A C2PA manifest found in an imported file (main/provenance/detect.ts): the media bin shows a badge. */
export interface ImportedCredentials {
  /** Valid: intact, signer not on a trust list Shotline knows; Trusted; Invalid: tampered or broken. */
  state: 'Valid' | 'Trusted' | 'Invalid';
  title: string | null;
  claimGenerator: string | null;
  signer: string | null;
}

/** Where an asset came from. Generated media keeps everything needed to reproduce it. */
export type Provenance =
  | { source: 'import'; originalName: string; importedAt: string; contentCredentials?: ImportedCredentials }
  | {
      source: 'generated';
      backend: string;
      model: string;
      prompt: string;
      seed: number;
      parameters: Record<string, unknown>;
      inputAssetIds: string[];
      createdAt: string;
    }
  | { source: 'sample'; description: string; createdAt: string };

/** Derived media computed by background jobs, stored beside the asset in media/. */
export interface AssetDerivatives {
  /** Horizontal strip of `frames` thumbnails, each tileWidth x tileHeight, evenly spaced over the asset. */
  filmstrip?: { path: string; frames: number; tileWidth: number; tileHeight: number };
  /** A still the generating server made for the clip (remote `variant=thumbnail`): the take's poster. */
  poster?: { path: string };
  /** JSON file of min/max peak pairs, `peaksPerSecond` per second, channels mixed down. */
  peaks?: { path: string; peaksPerSecond: number; length: number };
  /** Stabilize analyses of this asset by analysis key (app/stabilize/keys.ts). */
  stabilize?: Record<string, StabilizeAnalysisRecord>;
  /** Seamless-loop searches of this asset by settings key (app/timing/loop-detect.ts loopPointKey). */
  loopPoints?: Record<string, LoopPointResult>;
}

export interface Asset {
  id: string;
  kind: AssetKind;
  sha256: string;
  /** Path relative to the project folder: media/<sha256>.<ext>. */
  path: string;
  name: string;
  bytes: number;
  probe: ProbeInfo;
  derivatives: AssetDerivatives;
  provenance: Provenance;
}

export interface DialogueLine {
  speaker: string;
  line: string;
  /** Where the voiced line starts within its shot; absent: right after the line before (app/dialogue/placement.ts). */
  offsetFlicks?: Flicks;
}

export interface StructuredPrompt {
  subject: string;
  action: string;
  setting: string;
  camera: string;
  lighting: string;
  audio: string;
  style: string;
  dialogue: DialogueLine[];
}

export interface Shot {
  id: string;
  /** Sort key; shots are ordered by it (fractional so a move touches one row). */
  position: number;
  title: string;
  prompt: StructuredPrompt;
  durationFlicks: Flicks;
  aspect: Aspect;
  chosenTakeId: string | null;
  seed: number | null;
  referenceAssetId: string | null;
  /** Continue from the previous shot's last frame when generating. */
  continuity: boolean;
  cameoIds: string[];
  notes: string;
}

export interface Take {
  id: string;
  shotId: string;
  assetId: string;
  position: number;
  label: string;
  /** Take this one was remixed from, if any. */
  remixOf: string | null;
  /** Cameos in this take that have since been revoked (app/cameos/marks.ts): "uses a revoked cameo". */
  revokedCameos?: string[];
}

export type TrackKind = 'video' | 'audio';

export interface Track {
  id: string;
  kind: TrackKind;
  /** Order within its kind: video 0 is the bottom (base) layer, audio 0 the first lane. */
  index: number;
  name: string;
  muted: boolean;
  /**
   * Audio-track controls (app/timeline/mix.ts reads them with their defaults): linear fader
   * gain (1 = 0 dB), pan in [-1, 1] (Web Audio StereoPanner's law, which export copies),
   * solo (when any track is soloed only soloed tracks sound) and lock (edits refuse its clips).
   * Optional so tracks from before these existed read as 1 / 0 / off / off.
   */
  volume?: number;
  pan?: number;
  solo?: boolean;
  locked?: boolean;
}

/**
 * A clip's effect stack. The spine uses volume and fades; the editing-tools work adds
 * speed, loop, stabilize and color as further optional members.
 */
export interface ClipEffects {
  /** Linear gain applied to the clip's audio (1 = unchanged, 0 = silent). */
  volume: number;
  fadeInFlicks: Flicks;
  fadeOutFlicks: Flicks;
  /** Stabilization (app/stabilize); absent = none. */
  stabilize?: StabilizeSettings;
  /** Color grade (app/color); absent = ungraded. */
  color?: ColorGrade;
  /** Speed: constant rate or keyframed curve, reverse (app/timing); absent = real time. */
  speed?: SpeedEffect;
  /** Repeat the clip (app/timing); absent = plays once. */
  loop?: LoopEffect;
  /**
   * Volume keyframes (the rubber band), in the clip's SOURCE time so trims, splits and slips
   * keep them on the sound they were drawn on. Linear gain, linearly interpolated between
   * points, held before the first and after the last; multiplies `volume` and the fades.
   */
  gainKeyframes?: GainKeyframe[];
  /**
   * A crossfade with the clip before it on the same audio track: this clip starts that many
   * flicks before the other ends (the one overlap a track allows), the earlier clip fades out
   * and this one fades in over the overlap (app/timeline/crossfades.ts).
   */
  crossfadeInFlicks?: Flicks;
  /** The crossfade's curve; 'auto' picks equal-gain for correlated material (see crossfades.ts). */
  crossfadeCurve?: CrossfadeCurve;
}

export interface GainKeyframe {
  /** Source time (the asset's own time, like inFlicks). */
  sourceFlicks: Flicks;
  /** Linear gain, 0 … 4 (+12 dB). */
  gain: number;
}

export type CrossfadeCurve = 'auto' | 'equal-power' | 'equal-gain';

export const DEFAULT_EFFECTS: ClipEffects = { volume: 1, fadeInFlicks: 0, fadeOutFlicks: 0 };

export interface Clip {
  id: string;
  trackId: string;
  assetId: string;
  /** Where the clip starts on the timeline. */
  startFlicks: Flicks;
  /** Source in and out points (out exclusive), in the asset's own time. */
  inFlicks: Flicks;
  outFlicks: Flicks;
  /** Shot this clip was assembled from, so picking another take can replace it. */
  shotId: string | null;
  effects: ClipEffects;
  /**
   * Clips sharing a link id are one linked picture + sound pair (or group): moves, trims,
   * splits, deletes and ripples apply to all of them unless the edit asks for one side only
   * (app/timeline/links.ts). Absent = not linked (never null, so a clip stores and reads back alike).
   */
  linkId?: string;
  /**
   * On a video track: this clip's own sound has been placed on an audio track (linked or
   * once linked), so the picture clip itself is silent. Absent = it plays its sound.
   */
  audioDetached?: boolean;
}

export interface ProjectState {
  settings: ProjectSettings;
  assets: Record<string, Asset>;
  shots: Record<string, Shot>;
  takes: Record<string, Take>;
  tracks: Record<string, Track>;
  clips: Record<string, Clip>;
}

/** The entity collections: what patches address. */
export const COLLECTIONS = ['assets', 'shots', 'takes', 'tracks', 'clips'] as const;
export type CollectionName = (typeof COLLECTIONS)[number];
export type EntityOf<C extends CollectionName> = ProjectState[C][string];

export const EMPTY_PROMPT: StructuredPrompt = {
  subject: '',
  action: '',
  setting: '',
  camera: '',
  lighting: '',
  audio: '',
  style: '',
  dialogue: [],
};
