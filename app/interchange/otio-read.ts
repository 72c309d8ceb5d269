/**
 * Reading an OpenTimelineIO file (.otio JSON) into a plan for a new Shotline timeline. Pure:
 * main resolves the media (relink by path, then by file name) and makes the project.
 *
 * OTIO composes: a Stack holds tracks (bottom first); a Track holds items one after another;
 * an item may itself be a Stack or Track (a nested composition), shown through its
 * source_range window. Nested compositions are flattened onto lanes: a clip keeps its place in
 * time and goes to the lowest lane of its kind that is free there. Transitions take no time in
 * OTIO (they overlap their neighbours), so dropping them leaves hard cuts at the same frames.
 * Each time value carries its own rate; positions are converted to flicks, then snapped to the
 * project's frame grid. Nothing unknown is fatal: unknown schemas keep their time as a gap
 * and are reported.
 */
import { FLICKS_PER_SECOND, SUPPORTED_FRAME_RATES, snapToFrame, type Flicks, type Rational } from '../time/flicks.js';
import { SPEED_MAX, SPEED_MIN } from '../model/timing.js';

type Json = Record<string, unknown>;

export interface OtioPlannedClip {
  kind: 'video' | 'audio';
  /** Requested lane (0 = the track the clip sits on at the top level). */
  lane: number;
  name: string;
  /** The media's own name (the reference's name, else the clip's): what the imported asset is called. */
  mediaName: string;
  /** The media reference's target_url as written, or null for a MissingReference. */
  targetUrl: string | null;
  startFlicks: Flicks;
  /** Timeline length (frame-aligned); with speed the clip's own length is at most this. */
  durationFlicks: Flicks;
  /** Source span in the media's own time. */
  inFlicks: Flicks;
  outFlicks: Flicks;
  /** Constant speed from a LinearTimeWarp (rate ≠ 1 or reverse). */
  speed: { rate: number; reverse: boolean } | null;
  /** Shotline's own effects, when the file was written by Shotline (metadata.shotline). */
  volume: number | null;
}

export interface OtioMarker {
  name: string;
  atFlicks: Flicks;
  comment: string;
}

export interface OtioImportReport {
  clips: number;
  gaps: number;
  /** Transitions, each imported as a hard cut. */
  transitionsAsCuts: number;
  markers: OtioMarker[];
  /** Schema types Shotline does not know, with how many were skipped. */
  unknownSchemas: { schema: string; count: number }[];
  /** What was left out or changed, in words. */
  dropped: string[];
}

export interface OtioImportPlan {
  name: string;
  fps: Rational;
  tracks: { kind: 'video' | 'audio'; name: string; clips: OtioPlannedClip[] }[];
  report: OtioImportReport;
}

const schemaName = (o: Json): string => String(o.OTIO_SCHEMA ?? '').split('.')[0]!;

function isObj(v: unknown): v is Json {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

export class OtioFormatError extends Error {}

/** RationalTime → flicks (each value carries its own rate). */
function timeOf(v: unknown): Flicks | null {
  if (!isObj(v)) return null;
  const rate = Number(v.rate);
  const value = Number(v.value);
  if (!Number.isFinite(rate) || rate <= 0 || !Number.isFinite(value)) return null;
  return Math.round((value / rate) * FLICKS_PER_SECOND);
}

function rangeOf(v: unknown): { start: Flicks; duration: Flicks } | null {
  if (!isObj(v)) return null;
  const start = timeOf(v.start_time);
  const duration = timeOf(v.duration);
  return start === null || duration === null ? null : { start, duration };
}

/** The project rate: the first time value's rate, matched to a supported rate (30 if none fits). */
function findRate(root: unknown): Rational {
  let found: number | null = null;
  const visit = (v: unknown): void => {
    if (found !== null) return;
    if (Array.isArray(v)) v.forEach(visit);
    else if (isObj(v)) {
      if (schemaName(v) === 'RationalTime' && Number(v.rate) > 0) found = Number(v.rate);
      else Object.values(v).forEach(visit);
    }
  };
  visit(root);
  const r = found ?? 30;
  const best = Object.values(SUPPORTED_FRAME_RATES).find((x) => Math.abs(x.num / x.den - r) < 0.01);
  return best ?? { num: 30, den: 1 };
}

interface Ctx {
  fps: Rational;
  report: OtioImportReport;
  unknown: Map<string, number>;
  placed: OtioPlannedClip[];
}

export function parseOtio(text: string): OtioImportPlan {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    throw new OtioFormatError(`The file is not JSON: ${(e as Error).message}`);
  }
  if (!isObj(root) || schemaName(root) !== 'Timeline') throw new OtioFormatError(`The file is not an OTIO timeline (top-level OTIO_SCHEMA is "${isObj(root) ? String(root.OTIO_SCHEMA) : typeof root}", expected "Timeline.1").`);
  const stack = root.tracks;
  if (!isObj(stack) || schemaName(stack) !== 'Stack' || !Array.isArray(stack.children)) throw new OtioFormatError('The timeline has no track stack ("tracks" must be a Stack.1 with children).');
  const fps = findRate(stack);
  const report: OtioImportReport = { clips: 0, gaps: 0, transitionsAsCuts: 0, markers: [], unknownSchemas: [], dropped: [] };
  const ctx: Ctx = { fps, report, unknown: new Map(), placed: [] };
  const lanes = { video: 0, audio: 0 };
  for (const child of stack.children) {
    if (!isObj(child)) continue;
    if (schemaName(child) !== 'Track') {
      // A stack directly in the stack: lay it out as a composition starting at 0.
      if (schemaName(child) === 'Stack') layoutStack(child, ctx, 0, 'video', lanes.video++, 0);
      else noteUnknown(ctx, child);
      continue;
    }
    const kind = trackKind(child, ctx);
    layoutTrack(child, ctx, 0, kind, lanes[kind]++, 0);
  }
  for (const m of markersOf(stack, ctx, 0, 0)) report.markers.push(m);
  report.unknownSchemas = [...ctx.unknown].map(([schema, count]) => ({ schema, count }));
  for (const u of report.unknownSchemas) report.dropped.push(`${u.count} × ${u.schema}: not a type Shotline knows; kept as empty time.`);
  if (report.transitionsAsCuts) report.dropped.push(`${report.transitionsAsCuts} transition${report.transitionsAsCuts === 1 ? '' : 's'} imported as hard cuts.`);
  if (report.markers.length) report.dropped.push(`${report.markers.length} marker${report.markers.length === 1 ? '' : 's'} listed in this report (Shotline's timeline has no markers).`);
  // Editors export a clip's sound as a second clip on an audio track with the same media and
  // range: it is kept, and the importer links it to its picture (app/timeline/links.ts inferLinks).
  const tracks = allocateLanes(ctx.placed);
  return { name: typeof root.name === 'string' && root.name.trim() ? root.name.trim() : 'Imported timeline', fps, tracks, report };
}

function trackKind(track: Json, ctx: Ctx): 'video' | 'audio' {
  const k = String(track.kind ?? 'Video');
  if (k === 'Audio') return 'audio';
  if (k !== 'Video') ctx.report.dropped.push(`Track "${String(track.name ?? '')}" has kind "${k}"; imported as video.`);
  return 'video';
}

function noteUnknown(ctx: Ctx, o: Json): void {
  const s = String(o.OTIO_SCHEMA ?? '(no OTIO_SCHEMA)');
  ctx.unknown.set(s, (ctx.unknown.get(s) ?? 0) + 1);
}

/** The item's length in its parent: source_range duration, else its content's. */
function itemDuration(o: Json): Flicks {
  const r = rangeOf(o.source_range);
  if (r) return r.duration;
  const s = schemaName(o);
  if (s === 'Clip') {
    const ref = activeReference(o);
    return rangeOf(ref?.available_range)?.duration ?? 0;
  }
  if (s === 'Track' && Array.isArray(o.children)) return o.children.filter(isObj).reduce((sum: number, c) => sum + (schemaName(c) === 'Transition' ? 0 : itemDuration(c)), 0);
  if (s === 'Stack' && Array.isArray(o.children)) return Math.max(0, ...o.children.filter(isObj).map(itemDuration));
  return 0;
}

function activeReference(clip: Json): Json | null {
  if (isObj(clip.media_references)) {
    const key = typeof clip.active_media_reference_key === 'string' ? clip.active_media_reference_key : 'DEFAULT_MEDIA';
    const ref = clip.media_references[key];
    return isObj(ref) ? ref : null;
  }
  return isObj(clip.media_reference) ? clip.media_reference : null; // Clip.1
}

/**
 * Lays a track's items out one after another. `at` is where the track's time `windowStart`
 * lands on the output timeline; items outside [windowStart, windowStart + windowLength) are cut.
 */
function layoutTrack(track: Json, ctx: Ctx, at: Flicks, kind: 'video' | 'audio', lane: number, windowStart: Flicks, windowLength = Infinity): void {
  if (track.enabled === false) {
    ctx.report.dropped.push(`Track "${String(track.name ?? '')}" is disabled; left out.`);
    return;
  }
  let cursor = 0;
  const children = Array.isArray(track.children) ? track.children.filter(isObj) : [];
  for (const item of children) {
    const s = schemaName(item);
    if (s === 'Transition') {
      ctx.report.transitionsAsCuts++;
      continue;
    }
    const d = itemDuration(item);
    const itemStart = cursor;
    cursor += d;
    const visibleStart = Math.max(itemStart, windowStart);
    const visibleEnd = Math.min(itemStart + d, windowStart + windowLength);
    if (visibleEnd <= visibleStart) continue;
    const outStart = at + (visibleStart - windowStart);
    const cutIn = visibleStart - itemStart;
    const cutLength = visibleEnd - visibleStart;
    if (s === 'Gap') ctx.report.gaps++;
    else if (s === 'Clip') placeClip(item, ctx, kind, lane, outStart, cutIn, cutLength);
    else if (s === 'Stack') layoutStack(item, ctx, outStart, kind, lane, (rangeOf(item.source_range)?.start ?? 0) + cutIn, cutLength);
    else if (s === 'Track') layoutTrack(item, ctx, outStart, kind, lane, (rangeOf(item.source_range)?.start ?? 0) + cutIn, cutLength);
    else noteUnknown(ctx, item);
  }
  ctx.report.markers.push(...markersOf(track, ctx, at, windowStart));
}

function layoutStack(stack: Json, ctx: Ctx, at: Flicks, kind: 'video' | 'audio', lane: number, windowStart: Flicks, windowLength = Infinity): void {
  const counts = { video: 0, audio: 0 };
  for (const child of Array.isArray(stack.children) ? stack.children.filter(isObj) : []) {
    if (schemaName(child) === 'Track') {
      const k = child.kind === 'Audio' ? 'audio' : child.kind === 'Video' ? 'video' : kind;
      layoutTrack(child, ctx, at, k, (k === kind ? lane : 0) + counts[k]++, windowStart, windowLength);
    } else if (schemaName(child) === 'Stack') layoutStack(child, ctx, at, kind, lane + counts[kind]++, windowStart, windowLength);
    else noteUnknown(ctx, child);
  }
  ctx.report.markers.push(...markersOf(stack, ctx, at, windowStart));
}

function placeClip(item: Json, ctx: Ctx, kind: 'video' | 'audio', lane: number, outStart: Flicks, cutIn: Flicks, length: Flicks): void {
  const name = typeof item.name === 'string' && item.name ? item.name : 'clip';
  if (item.enabled === false) {
    ctx.report.dropped.push(`Clip "${name}" is disabled; left out.`);
    return;
  }
  const ref = activeReference(item);
  let targetUrl: string | null = null;
  if (ref && schemaName(ref) === 'ExternalReference' && typeof ref.target_url === 'string') targetUrl = ref.target_url;
  else if (ref && schemaName(ref) !== 'MissingReference') {
    noteUnknown(ctx, ref);
    ctx.report.dropped.push(`Clip "${name}" uses a ${String(ref.OTIO_SCHEMA)} (not a file); left out.`);
    return;
  }
  const range = rangeOf(item.source_range) ?? rangeOf(ref?.available_range) ?? { start: 0, duration: length };
  let rate = 1;
  let reverse = false;
  for (const fx of Array.isArray(item.effects) ? item.effects.filter(isObj) : []) {
    const s = schemaName(fx);
    if (s === 'LinearTimeWarp') {
      const scalar = Number(fx.time_scalar);
      if (!Number.isFinite(scalar) || scalar === 0) continue;
      rate *= Math.abs(scalar);
      reverse = reverse !== scalar < 0;
    } else if (s === 'FreezeFrame') ctx.report.dropped.push(`Clip "${name}": freeze frame is not supported; imported at normal speed.`);
    else ctx.report.dropped.push(`Clip "${name}": effect ${String(fx.effect_name ?? fx.OTIO_SCHEMA)} left out.`);
  }
  if (rate < SPEED_MIN || rate > SPEED_MAX) {
    ctx.report.dropped.push(`Clip "${name}": speed ${rate}× is outside ${SPEED_MIN}–${SPEED_MAX}×; clamped.`);
    rate = Math.min(SPEED_MAX, Math.max(SPEED_MIN, rate));
  }
  // The visible part of the clip: `cutIn` into it on the track, `length` long; the media
  // consumed is that times the speed. Reversed clips consume from the end of their range.
  // Both ends snap to the project's frame grid (so clips from other rates never overlap), and
  // the media consumed is rounded down so the clip is never longer than its slot.
  const start = snapToFrame(outStart, ctx.fps);
  const slot = snapToFrame(outStart + length, ctx.fps) - start;
  if (slot <= 0) {
    ctx.report.dropped.push(`Clip "${name}" is shorter than one frame at ${(ctx.fps.num / ctx.fps.den).toFixed(3)} fps; left out.`);
    return;
  }
  const consumed = Math.floor(slot * rate);
  const fullConsumed = Math.round(range.duration * rate);
  const offset = Math.round(cutIn * rate);
  const inFlicks = Math.max(0, reverse ? range.start + fullConsumed - offset - consumed : range.start + offset);
  const shotline = isObj(item.metadata) && isObj(item.metadata.shotline) ? item.metadata.shotline : null;
  const volume = shotline && typeof shotline.volume === 'number' ? shotline.volume : null;
  const mediaName = ref && typeof ref.name === 'string' && ref.name.trim() ? ref.name.trim() : name;
  ctx.placed.push({ kind, lane, name, mediaName, targetUrl, startFlicks: start, durationFlicks: slot, inFlicks, outFlicks: inFlicks + consumed, speed: rate !== 1 || reverse ? { rate, reverse } : null, volume });
  ctx.report.clips++;
  ctx.report.markers.push(...markersOf(item, ctx, outStart - cutIn, range.start));
}

/** Markers of an item, placed on the output timeline (marked_range is in the item's own time). */
function markersOf(item: Json, ctx: Ctx, itemAt: Flicks, itemTimeStart: Flicks): OtioMarker[] {
  const out: OtioMarker[] = [];
  for (const m of Array.isArray(item.markers) ? item.markers.filter(isObj) : []) {
    if (schemaName(m) !== 'Marker') {
      noteUnknown(ctx, m);
      continue;
    }
    const r = rangeOf(m.marked_range);
    out.push({ name: typeof m.name === 'string' ? m.name : '', atFlicks: snapToFrame(itemAt + ((r?.start ?? itemTimeStart) - itemTimeStart), ctx.fps), comment: typeof m.comment === 'string' ? m.comment : '' });
  }
  return out;
}

/** Tracks from lanes: each clip goes to the lowest free track of its kind at or above its lane. */
function allocateLanes(placed: OtioPlannedClip[]): OtioImportPlan['tracks'] {
  const out: Record<'video' | 'audio', { clips: OtioPlannedClip[] }[]> = { video: [], audio: [] };
  const sorted = [...placed].sort((a, b) => a.lane - b.lane || a.startFlicks - b.startFlicks);
  for (const c of sorted) {
    const end = c.startFlicks + c.durationFlicks;
    const lanes = out[c.kind];
    let i = Math.min(c.lane, lanes.length);
    while (i < lanes.length && lanes[i]!.clips.some((o) => o.startFlicks < end && c.startFlicks < o.startFlicks + o.durationFlicks)) i++;
    if (i === lanes.length) lanes.push({ clips: [] });
    lanes[i]!.clips.push(c);
  }
  const named = (kind: 'video' | 'audio') => out[kind].map((t, i) => ({ kind, name: `${kind === 'video' ? 'V' : 'A'}${i + 1}`, clips: t.clips.sort((a, b) => a.startFlicks - b.startFlicks) }));
  return [...named('video'), ...named('audio')];
}
