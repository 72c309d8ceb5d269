/**
 * OpenTimelineIO JSON (.otio), as OTIO 0.17/0.18 serializes it: Timeline.1 → Stack.1 →
 * Track.1 (bottom track first) → Clip.2 with an ExternalReference.1 under DEFAULT_MEDIA, Gap.1
 * between clips, RationalTime.1/TimeRange.1 at the project's rate.
 *
 * A clip's source_range is where it starts in its media and how long it lasts on the track
 * (OTIO's convention: effects do not change the track layout). Constant speed and reverse are a
 * LinearTimeWarp.1 (negative scalar = backwards); what OTIO has no schema for (color grade,
 * stabilize, fades, a speed curve, the take's provenance) goes under metadata.shotline, which
 * Shotline's own importer reads back. A clip assembled from a storyboard shot carries a marker
 * with the shot's title.
 */
import type { Asset, ProjectState } from '../model/types.js';
import type { Rational } from '../time/flicks.js';
import { MADE_WITH_SHOTLINE } from '../render/metadata.js';
import { dedupe, type WriterResult } from './formats.js';
import { buildInterchangeTimeline, fileUrl, type InterchangeClip, type InterchangeOptions, type InterchangeTimeline } from './timeline.js';

type Json = Record<string, unknown>;

export function rationalTime(value: number, rate: Rational): Json {
  return { OTIO_SCHEMA: 'RationalTime.1', rate: rate.num / rate.den, value };
}

export function timeRange(start: number, duration: number, rate: Rational): Json {
  return { OTIO_SCHEMA: 'TimeRange.1', duration: rationalTime(duration, rate), start_time: rationalTime(start, rate) };
}

function itemBase(name: string): Json {
  return { metadata: {}, name, source_range: null, effects: [], markers: [], enabled: true };
}

export function writeOtio(state: ProjectState, opts: InterchangeOptions): WriterResult {
  const tl = buildInterchangeTimeline(state, opts);
  return { text: `${JSON.stringify(serializeOtio(tl, state), null, 4)}\n`, warnings: dedupe(tl.warnings) };
}

export function serializeOtio(tl: InterchangeTimeline, state?: ProjectState): Json {
  const rate = tl.rate;
  const tracks = tl.tracks.map((track) => ({
    OTIO_SCHEMA: 'Track.1',
    ...itemBase(track.name),
    metadata: { shotline: { trackId: track.id, muted: track.muted } },
    enabled: !(track.muted && track.kind === 'audio'),
    kind: track.kind === 'video' ? 'Video' : 'Audio',
    children: track.items.map((item) =>
      item.kind === 'gap' ? { OTIO_SCHEMA: 'Gap.1', ...itemBase(''), source_range: timeRange(0, item.duration, rate) } : clipJson(item, rate, state),
    ),
  }));
  return {
    OTIO_SCHEMA: 'Timeline.1',
    metadata: { shotline: { generator: MADE_WITH_SHOTLINE, width: tl.width, height: tl.height, sampleRate: tl.sampleRate, fps: tl.rate } },
    name: tl.name,
    global_start_time: rationalTime(0, rate),
    tracks: { OTIO_SCHEMA: 'Stack.1', ...itemBase('tracks'), children: tracks },
  };
}

function clipJson(c: InterchangeClip, rate: Rational, state?: ProjectState): Json {
  const effects: Json[] = [];
  if (c.speed) effects.push({ OTIO_SCHEMA: 'LinearTimeWarp.1', metadata: {}, name: c.speed.curve ? 'Speed curve (average)' : 'Speed', effect_name: 'LinearTimeWarp', time_scalar: c.speed.reverse ? -c.speed.rate : c.speed.rate });
  const markers: Json[] = [];
  const shotId = state?.clips[c.clipId]?.shotId;
  const shot = shotId ? state?.shots[shotId] : undefined;
  if (shot && c.loopIteration === 0)
    markers.push({ OTIO_SCHEMA: 'Marker.2', metadata: { shotline: { shotId: shot.id } }, name: shot.title || 'Shot', color: 'RED', marked_range: timeRange(c.sourceIn, 0, rate), comment: shot.notes });
  const available = Number.isFinite(c.mediaFrames) && c.mediaFrames < 1e12 ? timeRange(0, c.mediaFrames, rate) : null;
  return {
    OTIO_SCHEMA: 'Clip.2',
    metadata: { shotline: clipMetadata(c) },
    name: c.asset.name,
    source_range: timeRange(c.sourceIn, c.duration, rate),
    effects,
    markers,
    enabled: true,
    media_references: {
      DEFAULT_MEDIA: { OTIO_SCHEMA: 'ExternalReference.1', metadata: { shotline: { sha256: c.asset.sha256 } }, name: c.asset.name, available_range: available, available_image_bounds: null, target_url: fileUrl(c.mediaPath) },
    },
    active_media_reference_key: 'DEFAULT_MEDIA',
  };
}

function clipMetadata(c: InterchangeClip): Json {
  const fx = c.effects;
  const meta: Json = { clipId: c.clipId, assetId: c.asset.id, volume: fx.volume, provenance: provenanceMeta(c.asset) };
  if (c.loopIteration) meta.loopIteration = c.loopIteration;
  if (fx.fadeInFlicks || fx.fadeOutFlicks) meta.fades = { inFlicks: fx.fadeInFlicks, outFlicks: fx.fadeOutFlicks };
  if (fx.speed) meta.speed = fx.speed;
  if (fx.loop) meta.loop = fx.loop;
  if (fx.color) meta.color = fx.color;
  if (fx.stabilize) meta.stabilize = fx.stabilize;
  return meta;
}

/** What made the media, without the prompt (a hash of it identifies it without revealing it). */
function provenanceMeta(a: Asset): Json {
  const p = a.provenance;
  if (p.source === 'generated') return { source: 'generated', backend: p.backend, model: p.model, seed: p.seed, createdAt: p.createdAt };
  if (p.source === 'import') return { source: 'import', originalName: p.originalName };
  return { source: p.source };
}
