/**
 * CMX3600 EDL: one video track (V1, Shotline's base track), cuts only, non-drop-frame
 * timecode at the project's nominal rate, record times from 01:00:00:00 (the convention
 * Resolve and Premiere expect).
 *
 * Event line columns (1-based): 1–3 event number, 6–13 reel (8 chars), 15–19 channels,
 * 21–24 transition, 26–28 transition duration, 30 source in, 42 source out, 54 record in,
 * 66 record out. Reel names are at most 8 characters of A–Z 0–9 _, unique per file, with the
 * real file named in `* FROM CLIP NAME:` and `* SOURCE FILE:` comments. Constant speed is an
 * M2 line (the source rate in frames per second, negative for reverse).
 */
import type { ProjectState } from '../model/types.js';
import { MADE_WITH_SHOTLINE } from '../render/metadata.js';
import { dedupe, type WriterResult } from './formats.js';
import { buildInterchangeTimeline, timecode, type InterchangeOptions, type InterchangeTimeline } from './timeline.js';

export const RECORD_START_FRAMES_HOURS = 1;

export function writeEdl(state: ProjectState, opts: InterchangeOptions): WriterResult {
  return serializeEdl(buildInterchangeTimeline(state, opts));
}

/** A reel name per file (key), from its display name: 8 characters of A–Z 0–9 _, unique. */
export function reelNames(files: { key: string; name: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const { key: p, name: display } of files) {
    if (out.has(p)) continue;
    const base = display.replace(/\.[^.]*$/, '');
    const clean = base.toUpperCase().replace(/[^A-Z0-9_]/g, '') || 'REEL';
    let name = clean.slice(0, 8);
    for (let n = 1; used.has(name); n++) name = clean.slice(0, 8 - String(n).length) + String(n);
    used.add(name);
    out.set(p, name);
  }
  return out;
}

export function eventLine(event: number, reel: string, channels: string, srcIn: string, srcOut: string, recIn: string, recOut: string): string {
  return `${String(event).padStart(3, '0')}  ${reel.padEnd(8)} ${channels.padEnd(5)} ${'C'.padEnd(4)} ${''.padStart(3)} ${srcIn} ${srcOut} ${recIn} ${recOut}`;
}

export function serializeEdl(tl: InterchangeTimeline): WriterResult {
  const warnings = [...tl.warnings];
  const fps = Math.round(tl.rate.num / tl.rate.den);
  const recordStart = RECORD_START_FRAMES_HOURS * 3600 * fps;
  const video = tl.tracks.filter((t) => t.kind === 'video');
  const base = video[0];
  if (video.length > 1 && video.slice(1).some((t) => t.items.some((i) => i.kind === 'clip'))) warnings.push('EDL holds one video track: only V1 is written; upper video tracks are left out.');
  if (tl.tracks.some((t) => t.kind === 'audio' && t.items.some((i) => i.kind === 'clip'))) warnings.push('EDL holds one video track: audio tracks are left out.');
  if (tl.rate.den !== 1) warnings.push(`EDL timecode is non-drop-frame at ${fps} fps for the project's ${(tl.rate.num / tl.rate.den).toFixed(3)} fps.`);
  const lines = [`TITLE: ${tl.name.replace(/[\r\n]+/g, ' ').slice(0, 70)}`, 'FCM: NON-DROP FRAME', ''];
  const clips = (base?.items ?? []).filter((i) => i.kind === 'clip');
  const reels = reelNames(clips.map((c) => ({ key: c.mediaPath, name: c.asset.name })));
  let event = 0;
  for (const c of clips) {
    event++;
    if (event > 999) {
      warnings.push('EDL event numbers stop at 999: later clips are left out.');
      break;
    }
    const reel = reels.get(c.mediaPath)!;
    const channels = c.asset.probe.hasAudio ? 'AA/V' : 'V';
    const srcIn = Math.round(c.sourceIn);
    const srcOut = srcIn + Math.round(c.speed ? c.sourceDuration : c.duration);
    lines.push(eventLine(event, reel, channels, timecode(srcIn, tl.rate), timecode(srcOut, tl.rate), timecode(recordStart + c.start, tl.rate), timecode(recordStart + c.start + c.duration, tl.rate)));
    if (c.speed) {
      const sourceFps = (c.speed.reverse ? -1 : 1) * c.speed.rate * fps;
      const value = `${sourceFps < 0 ? '-' : ''}${Math.abs(sourceFps).toFixed(1).padStart(5, '0')}`;
      lines.push(`M2   ${reel.padEnd(8)}       ${value.padEnd(6)}               ${timecode(srcIn, tl.rate)}`);
    }
    lines.push(`* FROM CLIP NAME: ${c.asset.name}`);
    lines.push(`* SOURCE FILE: ${c.mediaPath}`);
    if (c.effects.color) lines.push('* SHOTLINE: COLOR GRADE NOT CARRIED');
    lines.push('');
  }
  // A comment line at the end: readers attach it to the last event and ignore it.
  lines.push(`* ${MADE_WITH_SHOTLINE}`, '');
  return { text: lines.join('\r\n'), warnings: dedupe(warnings) };
}
