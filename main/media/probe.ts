/**
 * Probing a file before it enters a project: what it is (video, audio, still image), its
 * duration, size, rate and streams, and whether it actually decodes to the end. Nothing
 * unreadable gets imported, so every way a file can be bad ends in 'media_unreadable'.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ShotlineError } from '../../app/errors.js';
import type { AssetKind, ColorTags, ProbeInfo } from '../../app/model/types.js';
import { FLICKS_PER_SECOND } from '../../app/time/flicks.js';
import type { FfmpegEngine } from './engine.js';
import { classify, extensionFor, summaryFromFfmpegLog, summaryFromFfprobe, type MediaSummary } from './probe-parse.js';
import { selectEngine } from './select-engine.js';
import { execSupervised } from './supervised.js';

export interface ProbeResult {
  kind: AssetKind;
  probe: ProbeInfo;
  /** Lower-case extension to store the file under (no dot). */
  ext: string;
}

export interface ProbeOptions {
  signal?: AbortSignal;
  /** Decode the last half second to catch truncation (default true). */
  decodeCheck?: boolean;
  /**
   * The name the user knows the file by, when it differs from the file's own (a browser
   * upload is staged under an internal id): messages name this, never the staged path.
   */
  name?: string;
}

/** How much of the end gets decoded: enough to reach past the last keyframe gap of short clips. */
const TAIL_CHECK_SECONDS = 0.5;

/** Log lines that mean the data ran out or is damaged (from mov, matroska, wav, mp3 demuxers and decoders). */
const DAMAGE = /partial file|corrupt input packet|Packet corrupt|ended prematurely|truncat|Invalid data found|moov atom not found|Output file is empty|Read error/i;

/** `label`: the user's name for the file (ProbeOptions.name) or its own. */
function unreadable(label: string, why: string): ShotlineError {
  return new ShotlineError(
    'media_unreadable',
    `"${label}" cannot be used: ${why}.`,
    'It is not a video, audio or image file that ffmpeg can read, or it is damaged or was only partly copied. Try re-exporting or re-downloading it.',
  );
}

// Without an engine from the caller, find one once per process, not once per file.
let fallbackEngine: Promise<FfmpegEngine> | null = null;
function defaultEngine(): Promise<FfmpegEngine> {
  fallbackEngine ??= selectEngine({}).catch((e: unknown) => {
    fallbackEngine = null;
    throw e;
  });
  return fallbackEngine;
}

export async function probeMedia(file: string, engine?: FfmpegEngine, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const label = opts.name ?? path.basename(file);
  let size: number;
  try {
    const st = await fs.promises.stat(file);
    if (!st.isFile()) throw unreadable(label, 'it is a folder, not a file');
    size = st.size;
  } catch (e) {
    if (e instanceof ShotlineError) throw e;
    throw new ShotlineError('not_found', opts.name ? `"${label}" is no longer there to import.` : `"${label}" could not be found at ${file}.`, opts.name ? 'Add the file again.' : 'Check that the file still exists.');
  }
  if (size === 0) throw unreadable(label, 'the file is empty (0 bytes)');

  const eng = engine ?? (await defaultEngine());
  const summary = eng.ffprobePath ? await ffprobeSummary(eng.ffprobePath, file, opts.signal) : await ffmpegLogSummary(eng, file, opts.signal);
  const classified = summary ? classify(summary) : null;
  if (!summary || !classified) throw unreadable(label, 'ffmpeg could not read it as video, audio or an image');

  if (classified.kind !== 'image' && opts.decodeCheck !== false) await checkTailDecodes(eng, file, label, classified.probe, opts.signal);
  // A half-downloaded still probes fine (the header is intact) but never decodes; an export
  // looping it (`-loop 1`) would then wait forever. Decode it once now.
  if (classified.kind === 'image' && opts.decodeCheck !== false) await checkStillDecodes(eng, file, label, opts.signal);
  return { ...classified, ext: extensionFor(path.basename(file), summary.formatName, classified.probe.videoCodec) };
}

/**
 * The colour tags of a file's first video stream, for assets imported before tags were
 * recorded (the export backfills them). Null without ffprobe (the `ffmpeg -i` log does not
 * name them reliably) or when the file has no readable video stream.
 */
export async function probeColorTags(file: string, engine: Pick<FfmpegEngine, 'ffprobePath'>, signal?: AbortSignal): Promise<ColorTags | null> {
  if (!engine.ffprobePath) return null;
  const summary = await ffprobeSummary(engine.ffprobePath, file, signal);
  return summary?.streams.find((s) => s.type === 'video' && !s.attachedPic)?.color ?? null;
}

function ffprobeSummary(ffprobe: string, file: string, signal?: AbortSignal): Promise<MediaSummary | null> {
  const args = ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file];
  const canceled = () => new ShotlineError('canceled', `Canceled probing "${path.basename(file)}".`);
  if (signal?.aborted) return Promise.reject(canceled());
  return execSupervised(ffprobe, args, { timeoutMs: 60_000, maxBuffer: 16 << 20, signal }).then(
    (r) => {
      if (signal?.aborted) throw canceled();
      // ffprobe exits non-zero for anything it cannot open: that is an answer, not a crash.
      if (r.code !== 0 || r.killed) return null;
      try {
        return summaryFromFfprobe(JSON.parse(r.stdout));
      } catch {
        return null;
      }
    },
    () => {
      if (signal?.aborted) throw canceled();
      return null;
    },
  );
}

/** Without ffprobe: open the file with `ffmpeg -i` and read the "Input #0" report from the log. */
async function ffmpegLogSummary(engine: FfmpegEngine, file: string, signal?: AbortSignal): Promise<MediaSummary | null> {
  const lines: string[] = [];
  try {
    // `-t 0` to a null sink: ffmpeg opens and reports the input, decodes nothing, exits 0.
    await engine.run({ args: ['-i', file, '-t', '0', '-f', 'null', '-'], signal, onLog: (l) => lines.push(l) });
  } catch (e) {
    if (e instanceof ShotlineError && e.code !== 'ffmpeg_failed') throw e;
    return null;
  }
  return summaryFromFfmpegLog(lines);
}

/**
 * A file cut short after a front moov atom still probes fine (the index is intact), so
 * decode its last half second: missing data shows up as demuxer/decoder complaints, or
 * as nothing decoded at all.
 */
async function checkStillDecodes(engine: FfmpegEngine, file: string, label: string, signal?: AbortSignal): Promise<void> {
  try {
    await engine.run({ args: ['-v', 'error', '-i', file, '-frames:v', '1', '-f', 'null', '-'], signal });
  } catch (e) {
    if (e instanceof ShotlineError && e.code !== 'ffmpeg_failed') throw e;
    throw unreadable(label, 'the image does not decode (truncated or damaged, e.g. a download that did not finish)');
  }
}

async function checkTailDecodes(engine: FfmpegEngine, file: string, label: string, probe: ProbeInfo, signal?: AbortSignal): Promise<void> {
  const seconds = probe.durationFlicks / FLICKS_PER_SECOND;
  const start = Math.max(0, seconds - TAIL_CHECK_SECONDS);
  const problems: string[] = [];
  try {
    await engine.run({
      args: ['-v', 'warning', '-ss', start.toFixed(3), '-i', file, '-f', 'null', '-'],
      signal,
      onLog: (line) => {
        if (DAMAGE.test(line)) problems.push(line);
      },
    });
  } catch (e) {
    if (e instanceof ShotlineError && e.code !== 'ffmpeg_failed') throw e;
    throw unreadable(label, 'it stops decoding before its stated end (truncated or damaged)');
  }
  // "[mov,mp4,... @ 0x55d…] stream 1, offset 0x81c9: partial file" → drop the component/address prefix.
  const first = (problems[0] ?? '').replace(/^\[[^\]]*\]\s*/, '').trim().replace(/\.$/, '').split(file).join(label);
  if (problems.length) throw unreadable(label, `it is truncated or damaged near the end (ffmpeg: ${first})`);
}
