/**
 * MLT XML (MLT 7: the engine of Kdenlive and Shotcut), written the way Shotcut lays it out:
 * a black background track, one playlist per Shotline track, and a tractor that composites
 * every video track onto the background (qtblend) and sums every track's sound (mix).
 *
 * Speed goes through MLT's `timewarp` producer ("<speed>:<file>", negative = reverse), whose
 * in/out points count frames of the warped stream: forward, warped frame i shows source frame
 * i × speed; reversed, warped frame i shows (Lw − 1 − i) × speed where Lw is the warped length.
 * Color grades, stabilization, fades and speed curves stay Shotline's: they are named in
 * `shotline:*` properties and reported, not approximated.
 */
import type { ProjectState } from '../model/types.js';
import { MADE_WITH_SHOTLINE } from '../render/metadata.js';
import { dedupe, type WriterResult } from './formats.js';
import { buildInterchangeTimeline, xmlEscape, type InterchangeClip, type InterchangeOptions, type InterchangeTimeline } from './timeline.js';

export function writeMlt(state: ProjectState, opts: InterchangeOptions): WriterResult {
  return serializeMlt(buildInterchangeTimeline(state, opts));
}

const SPEED_DIGITS = 6;

function speedOf(c: InterchangeClip): number {
  if (!c.speed) return 1;
  const s = Number(c.speed.rate.toFixed(SPEED_DIGITS));
  return c.speed.reverse ? -s : s;
}

export function serializeMlt(tl: InterchangeTimeline): WriterResult {
  const warnings = [...tl.warnings];
  const last = Math.max(0, tl.duration - 1);
  const out: string[] = [];
  const prop = (name: string, value: string | number) => `    <property name="${name}">${xmlEscape(String(value))}</property>`;
  out.push('<?xml version="1.0" encoding="utf-8"?>', `<!-- ${MADE_WITH_SHOTLINE} -->`);
  out.push(`<mlt LC_NUMERIC="C" version="7.0.0" title="${xmlEscape(tl.name)}" producer="main_bin">`);
  const g = gcd(tl.width, tl.height);
  out.push(
    `  <profile description="${xmlEscape(tl.name)}" width="${tl.width}" height="${tl.height}" progressive="1" sample_aspect_num="1" sample_aspect_den="1" display_aspect_num="${tl.width / g}" display_aspect_den="${tl.height / g}" frame_rate_num="${tl.rate.num}" frame_rate_den="${tl.rate.den}" colorspace="709"/>`,
  );
  out.push(`  <producer id="black" in="0" out="${last}">`, prop('length', tl.duration), prop('eof', 'pause'), prop('resource', 'black'), prop('aspect_ratio', 1), prop('mlt_service', 'color'), prop('mlt_image_format', 'rgba'), prop('set.test_audio', 0), '  </producer>');
  out.push('  <playlist id="background">', `    <entry producer="black" in="0" out="${last}"/>`, '  </playlist>');

  // One producer per (file, speed): entries of the same media at the same speed share it.
  const producers = new Map<string, string>();
  const playlists: string[] = [];
  tl.tracks.forEach((track, ti) => {
    const entries: string[] = [];
    for (const item of track.items) {
      if (item.kind === 'gap') {
        entries.push(`    <blank length="${item.duration}"/>`);
        continue;
      }
      const speed = speedOf(item);
      const key = `${item.mediaPath}\u0000${speed}`;
      let id = producers.get(key);
      if (!id) {
        id = `producer${producers.size}`;
        producers.set(key, id);
        const warpedLength = Math.max(1, Math.floor(item.mediaFrames / Math.abs(speed) + 1e-6));
        const length = Number.isFinite(warpedLength) && warpedLength < 1e9 ? warpedLength : 15000;
        const isImage = item.asset.kind === 'image';
        out.push(`  <producer id="${id}" in="0" out="${length - 1}">`, prop('length', length), prop('eof', 'pause'));
        if (speed === 1) out.push(prop('resource', item.mediaPath), prop('mlt_service', isImage ? 'qimage' : 'avformat'));
        else out.push(prop('resource', `${speed}:${item.mediaPath}`), prop('mlt_service', 'timewarp'), prop('warp_speed', speed), prop('warp_resource', item.mediaPath), prop('warp_pitch', 1));
        out.push(prop('shotcut:caption', item.asset.name), prop('shotline:asset', item.asset.id), '  </producer>');
      }
      const [inPoint, outPoint] = entryRange(item, speed);
      const filters = clipFilters(item, prop);
      if (filters.length) entries.push(`    <entry producer="${id}" in="${inPoint}" out="${outPoint}">`, ...filters, '    </entry>');
      else entries.push(`    <entry producer="${id}" in="${inPoint}" out="${outPoint}"/>`);
      noteUnsupported(item, warnings);
    }
    const kindProp = track.kind === 'video' ? prop('shotcut:video', 1) : prop('shotcut:audio', 1);
    playlists.push(`  <playlist id="playlist${ti}">`, prop('shotcut:name', track.name), kindProp, ...entries, '  </playlist>');
  });
  out.push(...playlists);

  out.push(`  <tractor id="tractor0" title="${xmlEscape(tl.name)}" in="0" out="${last}">`, prop('shotcut', 1));
  out.push('    <track producer="background"/>');
  tl.tracks.forEach((track, ti) => {
    // A muted video track loses its sound, not its picture (as in Shotline's export).
    const hide = track.kind === 'audio' ? (track.muted ? 'both' : 'video') : track.muted ? 'audio' : '';
    out.push(`    <track producer="playlist${ti}"${hide ? ` hide="${hide}"` : ''}/>`);
  });
  tl.tracks.forEach((track, ti) => {
    const b = ti + 1;
    out.push(`    <transition id="mix${b}">`, prop('a_track', 0), prop('b_track', b), prop('mlt_service', 'mix'), prop('always_active', 1), prop('sum', 1), '    </transition>');
    if (track.kind === 'video' && b > 1)
      out.push(`    <transition id="blend${b}">`, prop('a_track', 0), prop('b_track', b), prop('mlt_service', 'qtblend'), prop('compositing', 0), prop('distort', 0), '    </transition>');
  });
  out.push('  </tractor>', '</mlt>', '');
  return { text: out.join('\n'), warnings: dedupe(warnings) };
}

/** Entry in/out (inclusive) in the producer's warped frames. */
function entryRange(c: InterchangeClip, speed: number): [number, number] {
  const s = Math.abs(speed);
  let first: number;
  if (speed >= 0) first = Math.round(c.sourceIn / s);
  else {
    const warpedLength = Math.floor(c.mediaFrames / s + 1e-6);
    // Shotline plays a reversed span from its last frame (end − 1 at speed 1, end − s at speed s).
    first = Math.max(0, Math.round(warpedLength - (c.sourceIn + c.sourceDuration) / s));
  }
  return [first, first + c.duration - 1];
}

function clipFilters(c: InterchangeClip, prop: (n: string, v: string | number) => string): string[] {
  // MLT plays a video track's sound: a picture whose sound is its linked audio clip is silenced.
  const gain = c.audioDetached ? 0 : c.effects.volume;
  if (gain === 1) return [];
  return ['      <filter mlt_service="volume">', `  ${prop('gain', Number(gain.toFixed(4)))}`, '      </filter>'];
}

function noteUnsupported(c: InterchangeClip, warnings: string[]): void {
  const name = `${c.asset.name} (${c.clipId})`;
  if (c.effects.color) warnings.push(`${name}: the color grade is not carried into MLT.`);
  if (c.effects.stabilize) warnings.push(`${name}: stabilization is not carried into MLT.`);
  if (c.effects.fadeInFlicks > 0 || c.effects.fadeOutFlicks > 0) warnings.push(`${name}: audio fades are not carried into MLT.`);
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a || 1;
}
