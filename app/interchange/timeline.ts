/**
 * The one view every interchange writer serializes: the project's tracks as frame-exact
 * runs of clips and gaps at the project's frame rate, computed from the model and the time
 * map (clipDuration), so an OTIO, EDL, FCPXML or MLT file places each cut on the same frame
 * as Shotline's own export does.
 *
 * Loops are unrolled into one item per repeat (every format can say "the same range again");
 * their crossfades become cuts and are reported. A keyframed speed curve is not expressible in
 * most formats: its items carry the average rate and `curve: true`, and writers that cannot
 * say more report it.
 */
import type { Asset, ClipEffects, ProjectState, TrackKind } from '../model/types.js';
import { flicksPerFrame, type Flicks, type Rational } from '../time/flicks.js';
import { clipDuration, clipsOnTrack, tracksOfKind } from '../timeline/query.js';
import { clipTiming } from '../timing/timemap.js';

export interface InterchangeSpeed {
  /** Source frames per timeline frame, > 0 (average rate for a curve). */
  rate: number;
  reverse: boolean;
  /** A keyframed curve was flattened to its average rate. */
  curve: boolean;
}

export interface InterchangeClip {
  kind: 'clip';
  clipId: string;
  asset: Asset;
  /** Where the file is, as the writer should name it (absolute path or relative to the output). */
  mediaPath: string;
  /** Timeline frames [start, start + duration). */
  start: number;
  duration: number;
  /** Source range at the project rate: frames counted from the asset's start (may be fractional). */
  sourceIn: number;
  /** Source frames consumed: duration × rate for a constant speed. */
  sourceDuration: number;
  speed: InterchangeSpeed | null;
  /** Repeat number inside an unrolled loop (0 for the first or a clip without a loop). */
  loopIteration: number;
  effects: ClipEffects;
  /** A picture whose sound sits on an audio track (linked): writers that mix a video track's sound must silence it. */
  audioDetached?: boolean;
  /** Source media's length at the project rate (frames), for media available ranges. */
  mediaFrames: number;
}

export interface InterchangeGap {
  kind: 'gap';
  start: number;
  duration: number;
}

export type InterchangeItem = InterchangeClip | InterchangeGap;

export interface InterchangeTrack {
  id: string;
  kind: TrackKind;
  name: string;
  muted: boolean;
  /** Clips and gaps tiling [0, end of its last clip) without overlap. */
  items: InterchangeItem[];
}

export interface InterchangeTimeline {
  name: string;
  rate: Rational;
  width: number;
  height: number;
  sampleRate: number;
  /** Whole timeline length, frames. */
  duration: number;
  /** Video tracks bottom (V1) first, then audio tracks. */
  tracks: InterchangeTrack[];
  /** What the conversion could not keep exactly, in words for the user. */
  warnings: string[];
}

export interface InterchangeOptions {
  /** How a file is named in the output (absolute path by default: `asset.path` resolved by the caller). */
  mediaPath(asset: Asset): string;
}

/** Frame boundary nearest to f, as the render plan rounds. */
function frameOf(f: Flicks, rate: Rational): number {
  return Math.round(f / flicksPerFrame(rate));
}

export function buildInterchangeTimeline(state: ProjectState, opts: InterchangeOptions): InterchangeTimeline {
  const rate = state.settings.fps;
  const fpf = flicksPerFrame(rate);
  const warnings: string[] = [];
  const tracks: InterchangeTrack[] = [];
  let duration = 0;
  for (const track of [...tracksOfKind(state, 'video'), ...tracksOfKind(state, 'audio')]) {
    const items: InterchangeItem[] = [];
    let cursor = 0;
    for (const clip of clipsOnTrack(state, track.id)) {
      const asset = state.assets[clip.assetId];
      if (!asset) {
        warnings.push(`Clip ${clip.id} refers to a missing asset and was left out.`);
        continue;
      }
      const start = frameOf(clip.startFlicks, rate);
      const end = frameOf(clip.startFlicks + clipDuration(clip), rate);
      if (end <= start) continue;
      if (start > cursor) items.push({ kind: 'gap', start: cursor, duration: start - cursor });
      for (const piece of unroll(clip, asset, start, end, fpf, warnings)) items.push({ ...piece, mediaPath: opts.mediaPath(asset) });
      cursor = Math.max(cursor, end);
    }
    duration = Math.max(duration, cursor);
    tracks.push({ id: track.id, kind: track.kind, name: track.name, muted: track.muted, items });
  }
  return { name: state.settings.name, rate, width: state.settings.width, height: state.settings.height, sampleRate: state.settings.sampleRate, duration, tracks, warnings };
}

type Piece = Omit<InterchangeClip, 'mediaPath'>;

/** One clip as items: one per loop repeat, each with its source range and speed. */
function unroll(clip: ProjectState['clips'][string], asset: Asset, start: number, end: number, fpf: number, warnings: string[]): Piece[] {
  const timing = clipTiming(clip);
  const span = clip.outFlicks - clip.inFlicks;
  const speedFx = clip.effects.speed;
  const curve = !!speedFx && speedFx.keyframes.length >= 2;
  // Average rate over one pass: exact for constant speed, the mean for a curve.
  const rateValue = span / timing.oneShot.length;
  const speed: InterchangeSpeed | null =
    speedFx && (curve || speedFx.rate !== 1 || speedFx.reverse) ? { rate: rateValue, reverse: speedFx.reverse, curve } : null;
  if (curve) warnings.push(`Clip ${clip.id} (${asset.name}) has a speed curve; interchange files carry its average speed ${rateValue.toFixed(3)}×.`);
  const base = {
    kind: 'clip' as const,
    clipId: clip.id,
    asset,
    speed,
    effects: clip.effects,
    ...(clip.audioDetached ? { audioDetached: true } : {}),
    mediaFrames: asset.kind === 'image' ? Number.MAX_SAFE_INTEGER : asset.probe.durationFlicks / fpf,
  };
  const sourceIn = clip.inFlicks / fpf;
  if (!timing.loop) return [{ ...base, start, duration: end - start, sourceIn, sourceDuration: span / fpf, loopIteration: 0 }];
  if (timing.loop.crossfade > 0) warnings.push(`Clip ${clip.id} (${asset.name}) loops with a crossfade; interchange files cut between repeats instead.`);
  const pieces: Piece[] = [];
  const clipStart = clip.startFlicks;
  for (let k = 0; k < timing.loop.iterations; k++) {
    const a = Math.max(start, Math.round((clipStart + k * timing.loop.period) / fpf));
    const b = k === timing.loop.iterations - 1 ? end : Math.min(end, Math.round((clipStart + (k + 1) * timing.loop.period) / fpf));
    if (b <= a) continue;
    const consumed = Math.min(span / fpf, (b - a) * rateValue);
    // A reversed partial repeat plays from the out point, so it uses the end of the span.
    const pieceIn = speedFx?.reverse ? sourceIn + span / fpf - consumed : sourceIn;
    pieces.push({ ...base, start: a, duration: b - a, sourceIn: pieceIn, sourceDuration: consumed, loopIteration: k });
  }
  return pieces;
}

/** Timecode "HH:MM:SS:FF" (non-drop) of a frame count at a nominal integer rate. */
export function timecode(frames: number, rate: Rational): string {
  const fps = Math.round(rate.num / rate.den);
  const f = Math.max(0, Math.round(frames));
  const pad = (n: number) => String(n).padStart(2, '0');
  const secs = Math.floor(f / fps);
  return `${pad(Math.floor(secs / 3600))}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}:${pad(f % fps)}`;
}

/** Escapes text for XML attributes and content. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * A path as a URL: absolute paths (POSIX or Windows drive) become file:// URLs; relative paths
 * (media copied next to the file) stay relative, percent-encoded, resolved against the file.
 */
export function fileUrl(p: string): string {
  const norm = p.replace(/\\/g, '/');
  const absolute = norm.startsWith('/') || /^[A-Za-z]:\//.test(norm);
  const encoded = norm.split('/').map((seg) => encodeURIComponent(seg).replace(/%3A/g, ':')).join('/');
  if (!absolute) return encoded;
  return `file://${norm.startsWith('/') ? '' : '/'}${encoded}`;
}
