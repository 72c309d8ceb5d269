/**
 * FCPXML 1.10 (Final Cut Pro 10.6+, DaVinci Resolve): resources (one format, one asset per
 * file with its media-rep), then library → event → project → sequence → spine.
 *
 * V1 is the primary storyline (asset-clips and gaps); every other track becomes connected
 * clips on a lane (video tracks above: lane 1, 2, …; audio tracks below: −1, −2, …) anchored
 * to the spine item under their start, with `offset` in that parent's local time, as the DTD
 * defines it. Times are rational seconds on the project's frame grid ("1001/30000s").
 * Constant speed and reverse are a timeMap (local time → media time); Shotline's other
 * effects are not carried and are reported.
 *
 * Apple's DTD is not shipped (its licence does not allow redistribution); the structure this
 * writer relies on is checked by tests/unit/interchange.
 */
import type { ProjectState } from '../model/types.js';
import type { Rational } from '../time/flicks.js';
import { MADE_WITH_SHOTLINE } from '../render/metadata.js';
import { dedupe, type WriterResult } from './formats.js';
import { buildInterchangeTimeline, fileUrl, xmlEscape, type InterchangeClip, type InterchangeItem, type InterchangeOptions, type InterchangeTimeline } from './timeline.js';

export function writeFcpxml(state: ProjectState, opts: InterchangeOptions): WriterResult {
  return serializeFcpxml(buildInterchangeTimeline(state, opts));
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a || 1;
}

/** Frames at `rate` as FCPXML rational seconds: "0s", "2s", "1001/30000s". */
export function fcpTime(frames: number, rate: Rational): string {
  const f = Math.round(frames);
  const num = f * rate.den;
  const den = rate.num;
  if (num === 0) return '0s';
  const g = gcd(num, den);
  return den / g === 1 ? `${num / g}s` : `${num / g}/${den / g}s`;
}

interface SpineEntry {
  item: InterchangeItem;
  /** Local start of the element (its `start` attribute, in frames). */
  localStart: number;
  xml: string[];
}

export function serializeFcpxml(tl: InterchangeTimeline): WriterResult {
  const warnings = [...tl.warnings];
  const rate = tl.rate;
  const t = (f: number) => fcpTime(f, rate);
  const a = (s: string) => xmlEscape(s);

  // Resources: r1 is the sequence format; one asset per file.
  const assets = new Map<string, string>();
  const resources: string[] = [];
  const fpsName = (rate.num / rate.den).toFixed(2).replace(/\.00$/, '').replace('.', '');
  resources.push(`    <format id="r1" name="FFVideoFormat${tl.height}p${fpsName}" frameDuration="${fcpTime(1, rate)}" width="${tl.width}" height="${tl.height}" colorSpace="1-1-1 (Rec. 709)"/>`);
  for (const track of tl.tracks) {
    for (const item of track.items) {
      if (item.kind !== 'clip' || assets.has(item.mediaPath)) continue;
      const id = `r${assets.size + 2}`;
      assets.set(item.mediaPath, id);
      const p = item.asset.probe;
      const duration = Number.isFinite(item.mediaFrames) && item.mediaFrames < 1e12 ? t(Math.floor(item.mediaFrames)) : '0s';
      const attrs = [`id="${id}"`, `name="${a(item.asset.name)}"`, `uid="${item.asset.sha256.toUpperCase()}"`, 'start="0s"', `duration="${duration}"`, `hasVideo="${p.hasVideo ? 1 : 0}"`];
      if (p.hasVideo) attrs.push('format="r1"', 'videoSources="1"');
      attrs.push(`hasAudio="${p.hasAudio ? 1 : 0}"`);
      if (p.hasAudio) attrs.push('audioSources="1"', `audioChannels="${p.channels ?? 2}"`, `audioRate="${p.sampleRate ?? 48000}"`);
      resources.push(`    <asset ${attrs.join(' ')}>`, `      <media-rep kind="original-media" src="${a(fileUrl(item.mediaPath))}"/>`, '    </asset>');
    }
  }

  const clipXml = (c: InterchangeClip, offset: number, lane: number | null, indent: string, children: string[] = []): string[] => {
    const ref = assets.get(c.mediaPath)!;
    const s = c.speed ? (c.speed.reverse ? -1 : 1) * c.speed.rate : 1;
    // With a timeMap, `start` is in the clip's retimed local time.
    const localStart = c.speed ? localStartOf(c) : Math.round(c.sourceIn);
    const laneAttr = lane === null ? '' : ` lane="${lane}"`;
    const open = `${indent}<asset-clip ref="${ref}"${laneAttr} offset="${t(offset)}" name="${a(c.asset.name)}" start="${t(localStart)}" duration="${t(c.duration)}" tcFormat="NDF"${c.asset.probe.hasVideo ? ' format="r1"' : ''}>`;
    const inner: string[] = [];
    if (c.speed) {
      const media = Math.floor(c.mediaFrames);
      const local = Math.round(media / Math.abs(s));
      inner.push(`${indent}  <timeMap>`);
      if (s > 0) inner.push(`${indent}    <timept time="0s" value="0s" interp="linear"/>`, `${indent}    <timept time="${t(local)}" value="${t(media)}" interp="linear"/>`);
      else inner.push(`${indent}    <timept time="0s" value="${t(media)}" interp="linear"/>`, `${indent}    <timept time="${t(local)}" value="0s" interp="linear"/>`);
      inner.push(`${indent}  </timeMap>`);
      if (c.speed.curve) warnings.push(`${c.asset.name} (${c.clipId}): the speed curve is written as its average speed.`);
    }
    if (c.effects.volume !== 1) inner.push(`${indent}  <adjust-volume amount="${(20 * Math.log10(Math.max(1e-6, c.effects.volume))).toFixed(2)}dB"/>`);
    inner.push(...children);
    if (c.effects.color) warnings.push(`${c.asset.name} (${c.clipId}): the color grade is not carried into FCPXML.`);
    if (c.effects.stabilize) warnings.push(`${c.asset.name} (${c.clipId}): stabilization is not carried into FCPXML.`);
    return inner.length ? [open, ...inner, `${indent}</asset-clip>`] : [open.replace(/>$/, '/>')];
  };

  // The primary storyline: V1's items, padded with a gap to the timeline's end.
  const video = tl.tracks.filter((x) => x.kind === 'video');
  const base = video[0];
  const spineItems: InterchangeItem[] = [...(base?.items ?? [])];
  const baseEnd = spineItems.reduce((m, i) => Math.max(m, i.start + i.duration), 0);
  if (baseEnd < tl.duration) spineItems.push({ kind: 'gap', start: baseEnd, duration: tl.duration - baseEnd });
  const spine: SpineEntry[] = spineItems.map((item) => ({ item, localStart: item.kind === 'clip' ? (item.speed ? localStartOf(item) : Math.round(item.sourceIn)) : 0, xml: [] }));

  // Connected clips: lanes above for video, below for audio.
  const lanes: { lane: number; items: InterchangeClip[] }[] = [];
  video.slice(1).forEach((track, i) => lanes.push({ lane: i + 1, items: track.items.filter((x): x is InterchangeClip => x.kind === 'clip') }));
  tl.tracks.filter((x) => x.kind === 'audio').forEach((track, i) => lanes.push({ lane: -(i + 1), items: track.items.filter((x): x is InterchangeClip => x.kind === 'clip') }));
  const anchored = new Map<SpineEntry, string[]>();
  for (const { lane, items } of lanes) {
    for (const c of items) {
      const parent = spine.find((e) => c.start >= e.item.start && c.start < e.item.start + e.item.duration) ?? spine[spine.length - 1]!;
      const offset = parent.localStart + (c.start - parent.item.start);
      const list = anchored.get(parent) ?? [];
      list.push(...clipXml(c, offset, lane, '            '));
      anchored.set(parent, list);
    }
  }
  const spineXml: string[] = [];
  for (const e of spine) {
    const children = anchored.get(e) ?? [];
    if (e.item.kind === 'clip') spineXml.push(...clipXml(e.item, e.item.start, null, '          ', children));
    else {
      const open = `          <gap name="Gap" offset="${t(e.item.start)}" start="0s" duration="${t(e.item.duration)}"`;
      spineXml.push(...(children.length ? [`${open}>`, ...children, '          </gap>'] : [`${open}/>`]));
    }
  }

  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE fcpxml>',
    `<!-- ${MADE_WITH_SHOTLINE} -->`,
    '<fcpxml version="1.10">',
    '  <resources>',
    ...resources,
    '  </resources>',
    '  <library>',
    '    <event name="Shotline">',
    `      <project name="${a(tl.name)}">`,
    `        <sequence format="r1" duration="${t(tl.duration)}" tcStart="0s" tcFormat="NDF" audioLayout="stereo" audioRate="${tl.sampleRate === 44100 ? '44.1k' : '48k'}">`,
    '        <spine>',
    ...spineXml,
    '        </spine>',
    '        </sequence>',
    '      </project>',
    '    </event>',
    '  </library>',
    '</fcpxml>',
    '',
  ];
  return { text: out.join('\n'), warnings: dedupe(warnings) };
}

/** Local (retimed) start of a clip with a timeMap: media time mapped back through the speed. */
function localStartOf(c: InterchangeClip): number {
  const s = c.speed!.rate;
  if (!c.speed!.reverse) return Math.round(c.sourceIn / s);
  const media = Math.floor(c.mediaFrames);
  return Math.round((media - (c.sourceIn + c.sourceDuration)) / s);
}
