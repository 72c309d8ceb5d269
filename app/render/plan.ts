/**
 * The render plan: a pure compiler from the timeline to an abstract render graph.
 *
 * The graph says *what* to draw and play, never *how*: the export turns it into ffmpeg
 * arguments (ffmpeg-args.ts) and the Viewer walks the same segments and stages to draw
 * its preview, so both read one interpretation of the timeline.
 *
 * Shape:
 *  - one input per clip (the media to read and which source span of it),
 *  - the base video layer (video track 0) as back-to-back segments covering the whole
 *    duration, gaps filled with black,
 *  - each upper video track as an overlay layer of clips composited on top,
 *  - audio sources mixed over silence for the whole duration, each with its level envelope
 *    (volume × track volume, keyframes, fades, crossfades) and its track's pan.
 *
 * Every video clip carries an ordered list of per-clip stages. Today that is "force the
 * output frame rate" and "conform to the canvas"; later effects (speed curve, loop,
 * stabilize, 3D LUT) are further stage kinds inserted by `videoStagesFor`, and the
 * exhaustive switch in ffmpeg-args.ts makes the compiler fail until each is handled.
 * A clip's length on the timeline always comes from clipDuration(), so effects that
 * change it (speed, loop) are honoured here without further changes.
 */
import { EXPORT_MATRIX, sourceMatrix } from '../color/matrix.js';
import { ShotlineError } from '../errors.js';
import type { FitMode } from '../export/presets.js';
import type { Asset, Clip, ProjectState, Track } from '../model/types.js';
import { FLICKS_PER_SECOND, type Flicks, type Rational } from '../time/flicks.js';
import { clipDuration, clipsOnTrack, timelineDuration, tracksOfKind } from '../timeline/query.js';
import { stabilizeStageFor } from '../stabilize/keys.js';
import { anySolo, isAudible, trackPan, trackVolume } from '../timeline/mix.js';
import { trackCrossfades } from '../timeline/crossfades.js';
import { hasTimeEffects } from '../timing/timemap.js';
import { lut3dStageFor } from './color-stage.js';
import { frameIndex } from './frames.js';
import { generatedSpans, WATERMARK_PERIOD_SECONDS, WATERMARK_TEXT } from './watermark.js';
import { timingAudioStages, timingVideoStages, type TimingContext } from './timing-stages.js';
import type { AudioSource, AudioStage, BaseSegment, GapSegment, OverlayLayer, PlanInput, PlanResources, RenderPlan, RenderPlanOptions, VideoClipSegment, VideoStage } from './types.js';
import type { StabilizeStage } from '../model/stabilize.js';

export type * from './types.js';
export { frameIndex } from './frames.js';

/**
 * The whole plan from the project state, the output options and the resources the caller
 * prepared (see PlanResources): nothing patches it afterwards.
 */
export function compileRenderPlan(state: ProjectState, opts: RenderPlanOptions, resources: PlanResources = {}): RenderPlan {
  const { width, height, fit } = opts;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0))
    throw new ShotlineError('invalid_input', `The output size ${width}×${height} is not valid.`);
  // libx264 with yuv420p needs even dimensions.
  if (width % 2 || height % 2) throw new ShotlineError('invalid_input', `The output size ${width}×${height} must be even.`);
  const { fps, sampleRate } = state.settings;
  if (!(fps.num > 0 && fps.den > 0)) throw new ShotlineError('invalid_input', 'The project frame rate is not valid.');
  if (!(sampleRate > 0)) throw new ShotlineError('invalid_input', 'The project sample rate is not valid.');

  const durationFlicks = timelineDuration(state);
  if (durationFlicks <= 0)
    throw new ShotlineError('invalid_input', 'The timeline is empty', 'Add clips to the timeline (or assemble the storyboard) first.');

  const builder = new PlanBuilder(state, fps, width, height, fit, resources);
  const videoTracks = tracksOfKind(state, 'video');
  const [baseTrack, ...upper] = videoTracks;
  const frameCount = Math.max(1, frameIndex(durationFlicks, fps));

  const base = baseTrack ? builder.baseLayer(baseTrack, durationFlicks, frameCount) : [gap(0, durationFlicks, 0, frameCount)];
  const overlays: OverlayLayer[] = upper.map((t) => ({
    trackId: t.id,
    trackIndex: t.index,
    clips: builder.videoClips(t, 'transparent'),
  }));

  const audio = builder.audioSources([...videoTracks, ...tracksOfKind(state, 'audio')]);
  audio.sort((a, b) => a.startFlicks - b.startFlicks || a.clipId.localeCompare(b.clipId));

  const plan: RenderPlan = {
    width,
    height,
    fit,
    fps,
    sampleRate,
    channels: 2,
    durationFlicks,
    frameCount,
    inputs: builder.inputs,
    base,
    overlays,
    audio,
  };
  // The visible AI-generated mark over generated footage (watermark.ts), when asked for.
  const spans = resources.watermark ? generatedSpans(state, plan) : [];
  return spans.length ? { ...plan, watermark: { text: WATERMARK_TEXT, spans, periodSeconds: WATERMARK_PERIOD_SECONDS } } : plan;
}

function gap(startFlicks: Flicks, endFlicks: Flicks, startFrame: number, endFrame: number): GapSegment {
  return { type: 'gap', startFlicks, endFlicks, startFrame, endFrame };
}

class PlanBuilder {
  readonly inputs: PlanInput[] = [];
  private readonly byClip = new Map<string, PlanInput>();
  /** Extra inputs of looped clips: iteration k ≥ 1 reads its own copy of the span. */
  private readonly loopInputs = new Map<string, PlanInput[]>();

  constructor(
    private readonly state: ProjectState,
    private readonly fps: Rational,
    private readonly width: number,
    private readonly height: number,
    private readonly fit: FitMode,
    private readonly resources: PlanResources,
  ) {}

  asset(clip: Clip): Asset {
    const a = this.state.assets[clip.assetId];
    if (!a) throw new ShotlineError('invalid_input', `A clip on the timeline uses media that is no longer in the project (${clip.assetId}).`, 'Remove the clip or re-import the media.');
    return a;
  }

  /** One input per clip, shared by its picture and its sound. */
  input(clip: Clip, asset: Asset): PlanInput {
    const have = this.byClip.get(clip.id);
    if (have) return have;
    const inp: PlanInput = {
      index: this.inputs.length,
      clipId: clip.id,
      assetId: asset.id,
      assetName: asset.name,
      path: asset.path,
      media: asset.kind,
      // Images have no source time: the picture is held for the clip's length.
      sourceInFlicks: asset.kind === 'image' ? 0 : clip.inFlicks,
      readFlicks: asset.kind === 'image' ? clipDuration(clip) : clip.outFlicks - clip.inFlicks,
    };
    this.inputs.push(inp);
    this.byClip.set(clip.id, inp);
    return inp;
  }

  /** Input of loop iteration k of a clip (0 = the clip's own), shared by picture and sound. */
  private iterationInput(clip: Clip, asset: Asset, k: number): number {
    const first = this.input(clip, asset);
    if (k === 0) return first.index;
    const list = this.loopInputs.get(clip.id) ?? [];
    this.loopInputs.set(clip.id, list);
    while (list.length < k) {
      const inp: PlanInput = { ...first, index: this.inputs.length };
      this.inputs.push(inp);
      list.push(inp);
    }
    return list[k - 1]!.index;
  }

  private timingContext(clip: Clip, asset: Asset): TimingContext {
    return { fps: this.fps, sampleRate: this.state.settings.sampleRate, iterationInput: (k) => this.iterationInput(clip, asset, k) };
  }

  /** Clips with a picture on this track, as frame-aligned segments; sub-frame clips vanish. */
  videoClips(track: Track, padding: 'black' | 'transparent'): VideoClipSegment[] {
    const out: VideoClipSegment[] = [];
    for (const clip of clipsOnTrack(this.state, track.id)) {
      const asset = this.asset(clip);
      if (asset.kind === 'audio' || (asset.kind === 'video' && !asset.probe.hasVideo)) continue;
      const startFlicks = clip.startFlicks;
      const endFlicks = clip.startFlicks + clipDuration(clip);
      const startFrame = frameIndex(startFlicks, this.fps);
      const endFrame = frameIndex(endFlicks, this.fps);
      if (endFrame <= startFrame) continue;
      out.push({
        type: 'clip',
        clipId: clip.id,
        trackId: track.id,
        input: this.input(clip, asset).index,
        startFlicks,
        endFlicks,
        startFrame,
        endFrame,
        stages: this.videoStagesFor(clip, padding),
      });
    }
    return out;
  }

  /** The base track tiled end to end: clips in order, black wherever nothing is. */
  baseLayer(track: Track, durationFlicks: Flicks, frameCount: number): BaseSegment[] {
    const segs: BaseSegment[] = [];
    let atFlicks = 0;
    let atFrame = 0;
    for (const c of this.videoClips(track, 'black')) {
      // Clips never overlap on a track (an invariant), but rounding two boundaries to the
      // same frame can make them touch; clamp so the segments still tile.
      const startFrame = Math.max(c.startFrame, atFrame);
      if (startFrame >= c.endFrame) continue;
      if (startFrame > atFrame) segs.push(gap(atFlicks, c.startFlicks, atFrame, startFrame));
      segs.push({ ...c, startFrame });
      atFlicks = c.endFlicks;
      atFrame = c.endFrame;
    }
    if (atFrame < frameCount) segs.push(gap(atFlicks, durationFlicks, atFrame, frameCount));
    return segs;
  }

  /**
   * Every clip that is heard, with its mix: muted tracks and (when any audio track is soloed)
   * unsoloed ones are left out; pictures whose sound was detached onto an audio track are
   * silent; track volume and pan apply per clip (both are linear, so that equals applying them
   * to the track's sum, and keeps every source independent for the segmented export).
   */
  audioSources(tracks: Track[]): AudioSource[] {
    const solo = anySolo(tracks);
    const out: AudioSource[] = [];
    for (const t of tracks) {
      // Muting silences a track; it never hides pictures (video tracks may carry their clips' sound).
      if (!isAudible(t, solo)) continue;
      const clips = clipsOnTrack(this.state, t.id);
      const fades = t.kind === 'audio' ? trackCrossfades(clips) : new Map();
      for (const clip of clips) {
        const asset = this.asset(clip);
        if (asset.kind === 'image' || !asset.probe.hasAudio || (t.kind === 'video' && clip.audioDetached)) continue;
        const xf = fades.get(clip.id);
        const keyframes = hasTimeEffects(clip) ? [] : (clip.effects.gainKeyframes ?? []).map((k) => ({ atFlicks: k.sourceFlicks - clip.inFlicks, gain: k.gain }));
        const pan = t.kind === 'audio' ? trackPan(t) : 0;
        out.push({
          clipId: clip.id,
          trackId: t.id,
          input: this.input(clip, asset).index,
          startFlicks: clip.startFlicks,
          endFlicks: clip.startFlicks + clipDuration(clip),
          sourceInFlicks: clip.inFlicks,
          sourceOutFlicks: clip.outFlicks,
          stages: this.audioStagesFor(clip),
          volume: clip.effects.volume * (t.kind === 'audio' ? trackVolume(t) : 1),
          fadeInFlicks: clip.effects.fadeInFlicks,
          fadeOutFlicks: clip.effects.fadeOutFlicks,
          ...(keyframes.length ? { keyframes } : {}),
          ...(xf?.in ? { crossfadeIn: xf.in } : {}),
          ...(xf?.out ? { crossfadeOut: xf.out } : {}),
          ...(pan !== 0 ? { pan } : {}),
        });
      }
    }
    return out;
  }

  /** Where per-clip sound effects slot in (speed will add a tempo stage first). */
  audioStagesFor(clip: Clip): AudioStage[] {
    const asset = this.asset(clip);
    return timingAudioStages(clip, asset, this.timingContext(clip, asset), { kind: 'conform', sampleRate: this.state.settings.sampleRate, layout: 'stereo' });
  }

  /** The clip's stabilize stage with the transforms file and method the caller resolved. */
  private stabilizeStage(clip: Clip): StabilizeStage | null {
    const s = stabilizeStageFor(clip, this.asset(clip));
    if (!s) return null;
    const method = this.resources.stabilizeMethod ?? s.method;
    const transformsPath = this.resources.stabilizeTransforms?.[s.analysisKey] ?? s.transformsPath;
    return method === s.method && transformsPath === s.transformsPath ? s : { ...s, method, transformsPath };
  }

  /** Where per-clip picture effects slot in (see the file comment). */
  private videoStagesFor(clip: Clip, padding: 'black' | 'transparent'): VideoStage[] {
    const stabilize = this.stabilizeStage(clip);
    const lut = lut3dStageFor(clip.effects.color, this.asset(clip), (key) => this.resources.lutFiles?.[key]);
    return [
      // Speed and loop come after stabilize (its transforms follow source frames) and before fps.
      ...timingVideoStages(clip, this.asset(clip), this.timingContext(clip, this.asset(clip)), stabilize ? [stabilize] : []),
      { kind: 'fps', rate: this.fps },
      ...(lut ? [lut] : []),
      // A grade's LUT stage already hands over EXPORT_MATRIX pixels (color-stage.ts).
      { kind: 'conform', width: this.width, height: this.height, fit: this.fit, padding, matrix: lut ? EXPORT_MATRIX : sourceMatrix(this.asset(clip)) },
    ];
  }
}

/** Seconds of a frame count at `rate`, for places that want seconds (filters, UI). */
export function framesToSeconds(frames: number, rate: Rational): number {
  return (frames * rate.den) / rate.num;
}

/** Samples in `f` at `sampleRate`, rounded (exact for 44.1k/48k). */
export function flicksToSamples(f: Flicks, sampleRate: number): number {
  return Math.round((f * sampleRate) / FLICKS_PER_SECOND);
}
