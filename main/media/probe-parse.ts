/**
 * Pure interpretation of what ffprobe (JSON) or `ffmpeg -i` (log text) says about a file:
 * both are reduced to the same stream summary, then classified into video, audio or a
 * still image and turned into ProbeInfo. No I/O here; probe.ts runs the tools.
 */
import type { AssetKind, ColorTags, ProbeInfo } from '../../app/model/types.js';
import { parseRational, secondsToFlicks, SUPPORTED_FRAME_RATES, type Rational } from '../../app/time/flicks.js';

export interface StreamSummary {
  type: 'video' | 'audio';
  codec: string;
  width?: number;
  height?: number;
  fps?: Rational;
  /** Cover art in audio files: a video stream that is not video. */
  attachedPic: boolean;
  frameCount?: number;
  sampleRate?: number;
  channels?: number;
  durationSeconds?: number;
  /** Video colour tags (ffprobe only; the `ffmpeg -i` log fallback leaves them unknown). */
  color?: ColorTags;
}

export interface MediaSummary {
  formatName: string;
  durationSeconds: number | null;
  streams: StreamSummary[];
}

export interface Classified {
  kind: AssetKind;
  probe: ProbeInfo;
}

/** Codecs whose single frame is a still picture. */
const IMAGE_CODECS = new Set(['png', 'mjpeg', 'jpeg2000', 'jpegls', 'webp', 'bmp', 'tiff', 'gif', 'qoi', 'targa', 'ppm', 'pgm', 'pbm', 'pam', 'sgi', 'dpx', 'exr', 'pcx', 'xbm', 'xwd']);

/** Demuxers that only ever hold images (image2 and the *_pipe family: png_pipe, jpeg_pipe, ...). */
function isImageFormat(formatName: string): boolean {
  return formatName.split(',').some((f) => f === 'image2' || f.endsWith('_pipe'));
}

/** Returns null when nothing in the file is media Shotline can use. */
export function classify(summary: MediaSummary): Classified | null {
  // `tty` renders text files as video: never what a user importing media means.
  if (summary.formatName === 'tty') return null;
  const video = summary.streams.filter((s) => s.type === 'video' && !s.attachedPic && s.codec !== 'ansi');
  const audio = summary.streams.filter((s) => s.type === 'audio');
  const v = video[0];
  const a = audio[0];
  if (!v && !a) return null;

  if (v && !a && video.length === 1 && isStill(summary, v)) {
    return {
      kind: 'image',
      probe: { durationFlicks: 0, hasVideo: true, hasAudio: false, width: v.width, height: v.height, videoCodec: v.codec, frameCount: 1 },
    };
  }

  const durations = summary.streams.map((s) => s.durationSeconds ?? 0);
  const seconds = summary.durationSeconds ?? Math.max(0, ...durations);
  const probe: ProbeInfo = { durationFlicks: secondsToFlicks(seconds), hasVideo: !!v, hasAudio: !!a };
  if (v) {
    probe.width = v.width;
    probe.height = v.height;
    probe.fps = v.fps;
    probe.videoCodec = v.codec;
    if (v.frameCount !== undefined) probe.frameCount = v.frameCount;
    if (v.color) probe.color = v.color;
  }
  if (a) {
    probe.audioCodec = a.codec;
    probe.sampleRate = a.sampleRate;
    probe.channels = a.channels;
  }
  for (const key of Object.keys(probe) as (keyof ProbeInfo)[]) if (probe[key] === undefined) delete probe[key];
  return { kind: v ? 'video' : 'audio', probe };
}

function isStill(summary: MediaSummary, v: StreamSummary): boolean {
  if (isImageFormat(summary.formatName)) return true;
  if (!IMAGE_CODECS.has(v.codec)) return false;
  // An image codec in a movie container (motion JPEG, animated GIF) is a still only with one frame.
  if (v.frameCount !== undefined) return v.frameCount <= 1;
  return summary.durationSeconds === null || summary.durationSeconds < 0.1;
}

/** Picks the frame rate: the nominal r_frame_rate when it is a standard rate, else the average. */
export function chooseFrameRate(rFrameRate: string | undefined, avgFrameRate: string | undefined): Rational | undefined {
  const r = parseRational(rFrameRate);
  const avg = parseRational(avgFrameRate);
  const standard = (x: Rational | null) => !!x && Object.values(SUPPORTED_FRAME_RATES).some((s) => s.num === x.num && s.den === x.den);
  if (standard(r)) return r ?? undefined;
  if (standard(avg)) return avg ?? undefined;
  return avg ?? r ?? undefined;
}

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** A video stream's colour tags; ffprobe says 'unknown' (or nothing) for an untagged one. */
export function colorTagsOf(stream: Record<string, unknown>): ColorTags {
  const tag = (v: unknown) => (typeof v === 'string' && v !== '' && v !== 'unknown' ? v : null);
  return { matrix: tag(stream.color_space), primaries: tag(stream.color_primaries), transfer: tag(stream.color_transfer), range: tag(stream.color_range) };
}

/** ffprobe `-show_format -show_streams -of json` output → summary; null when it lists no format. */
export function summaryFromFfprobe(json: unknown): MediaSummary | null {
  if (!json || typeof json !== 'object') return null;
  const { format, streams } = json as { format?: Record<string, unknown>; streams?: Record<string, unknown>[] };
  if (!format || !Array.isArray(streams)) return null;
  const out: StreamSummary[] = [];
  for (const s of streams) {
    const type = s.codec_type;
    if (type !== 'video' && type !== 'audio') continue;
    const disposition = (s.disposition ?? {}) as Record<string, unknown>;
    const frameCount = num(s.nb_frames);
    const stream: StreamSummary = {
      type,
      codec: String(s.codec_name ?? 'unknown'),
      attachedPic: disposition.attached_pic === 1,
      durationSeconds: num(s.duration),
    };
    if (type === 'video') {
      stream.width = num(s.width);
      stream.height = num(s.height);
      stream.fps = chooseFrameRate(s.r_frame_rate as string | undefined, s.avg_frame_rate as string | undefined);
      if (frameCount !== undefined) stream.frameCount = frameCount;
      stream.color = colorTagsOf(s);
    } else {
      stream.sampleRate = num(s.sample_rate);
      stream.channels = num(s.channels);
    }
    out.push(stream);
  }
  return { formatName: String(format.format_name ?? ''), durationSeconds: num(format.duration) ?? null, streams: out };
}

/** ffmpeg prints rates rounded ("29.97", "23.98", "59.94"); map those back to the exact NTSC ratios. */
export function rateFromLog(text: string): Rational | undefined {
  const value = text.endsWith('k') ? Number(text.slice(0, -1)) * 1000 : Number(text);
  if (!Number.isFinite(value) || value <= 0) return undefined;
  for (const base of [24, 30, 48, 60, 120]) {
    const ntsc = (base * 1000) / 1001;
    if (Math.abs(value - ntsc) < 0.006) return { num: base * 1000, den: 1001 };
  }
  // Anything else is printed with up to two decimals: 12.5 → 25/2.
  return parseRational(`${Math.round(value * 100)}/100`) ?? undefined;
}

function channelsFromLayout(text: string): number | undefined {
  const named: Record<string, number> = { mono: 1, stereo: 2, '2.1': 3, '3.0': 3, quad: 4, '4.0': 4, '5.0': 5, '5.1': 6, '6.1': 7, '7.1': 8 };
  const m = /^(\d+) channels$/.exec(text);
  if (m) return Number(m[1]);
  return named[text.replace(/\(.*\)$/, '')];
}

/** "HH:MM:SS.cc" → seconds. */
function clockSeconds(text: string): number | null {
  const m = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : null;
}

/**
 * The "Input #0" section of ffmpeg's log → summary; null when there is none (ffmpeg could
 * not open the file). Used where no ffprobe exists (the wasm engine, a bare native ffmpeg).
 */
export function summaryFromFfmpegLog(lines: readonly string[]): MediaSummary | null {
  const start = lines.findIndex((l) => /^Input #0, /.test(l));
  if (start < 0) return null;
  const formatName = /^Input #0, (.*), from '/.exec(lines[start] as string)?.[1] ?? '';
  let durationSeconds: number | null = null;
  const streams: StreamSummary[] = [];
  for (const raw of lines.slice(start + 1)) {
    // The input section ends where the next input, the mapping or an output begins.
    if (/^(Input #|Output #|Stream mapping:|Press \[q\])/.test(raw)) break;
    const line = raw.trim();
    const d = /^Duration: ([^,]+),/.exec(line);
    if (d) {
      durationSeconds = clockSeconds(d[1] as string);
      continue;
    }
    const s = /^Stream #0:\d+\S*: (Video|Audio): (.*)$/.exec(line);
    if (!s) continue;
    const body = s[2] as string;
    const codec = /^([A-Za-z0-9_]+)/.exec(body)?.[1] ?? 'unknown';
    const parts = splitTopLevel(body);
    if (s[1] === 'Video') {
      const size = parts.map((p) => /^(\d+)x(\d+)(?:\s|$)/.exec(p)).find((m) => m);
      const fps = parts.map((p) => /^([\d.]+k?) fps$/.exec(p)).find((m) => m)?.[1] ?? parts.map((p) => /^([\d.]+k?) tbr$/.exec(p)).find((m) => m)?.[1];
      streams.push({
        type: 'video',
        codec,
        width: size ? Number(size[1]) : undefined,
        height: size ? Number(size[2]) : undefined,
        fps: fps ? rateFromLog(fps) : undefined,
        attachedPic: /\(attached pic\)/.test(body),
      });
    } else {
      const rate = parts.map((p) => /^(\d+) Hz$/.exec(p)).find((m) => m)?.[1];
      const hzAt = parts.findIndex((p) => / Hz$/.test(p));
      streams.push({
        type: 'audio',
        codec,
        sampleRate: rate ? Number(rate) : undefined,
        channels: hzAt >= 0 && parts[hzAt + 1] ? channelsFromLayout(parts[hzAt + 1] as string) : undefined,
        attachedPic: false,
      });
    }
  }
  return { formatName, durationSeconds, streams };
}

/** Splits "h264 (High) (avc1 / 0x31), yuv420p(tv, bt709), 320x240 [SAR 1:1], 30 fps" on commas outside brackets. */
function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of body) {
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

/** The extension to store the file under: its own when sane, else one implied by the format. */
export function extensionFor(fileName: string, formatName: string, videoCodec?: string): string {
  const own = /\.([A-Za-z0-9]{1,5})$/.exec(fileName)?.[1]?.toLowerCase();
  if (own) return own;
  const f = formatName.split(',');
  if (f.includes('mp4') || f.includes('mov')) return 'mp4';
  if (f.includes('webm')) return 'webm';
  if (f.includes('matroska')) return 'mkv';
  if (formatName === 'image2' && videoCodec === 'mjpeg') return 'jpg';
  const pipe = /^([a-z0-9]+)_pipe$/.exec(formatName)?.[1];
  if (pipe) return pipe === 'jpeg' ? 'jpg' : pipe;
  return /^[a-z0-9]{1,5}$/.test(f[0] ?? '') ? (f[0] as string) : 'bin';
}
