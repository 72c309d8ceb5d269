/**
 * Pure parsing of ffmpeg's progress reports, shared by both engines.
 * - Native ffmpeg runs with `-progress pipe:N`, which prints key=value blocks, each ended
 *   by `progress=continue` or `progress=end`.
 * - The wasm core is read from its log, whose stats lines carry `time=` and `speed=`.
 * Both become a `RawProgress`, and `ProgressTracker` turns those into the monotonic
 * `FfmpegProgress` that callers see.
 */
import { FLICKS_PER_SECOND, type Flicks } from '../../app/time/flicks.js';
import type { FfmpegProgress } from './engine.js';

export interface RawProgress {
  /** Output time in microseconds; null when ffmpeg reported N/A. May be negative (encoder priming). */
  outTimeUs: number | null;
  /** Speed relative to realtime; null when N/A. */
  speed: number | null;
  /** True for the final block (`progress=end`). */
  end: boolean;
}

const KEY_VALUE = /^([a-z0-9_]+)=(.*)$/;

/** True for a line that belongs to a `-progress` block rather than to ffmpeg's log. */
export function isProgressLine(line: string): boolean {
  return KEY_VALUE.test(line.trim());
}

/** Collects `-progress` key=value lines; yields one RawProgress per finished block. */
export class ProgressBlockParser {
  private fields = new Map<string, string>();

  /** Feeds one line; returns the block it completed, or null. Non key=value lines are ignored. */
  feedLine(line: string): RawProgress | null {
    const m = KEY_VALUE.exec(line.trim());
    if (!m) return null;
    const key = m[1] as string;
    const value = (m[2] as string).trim();
    if (key !== 'progress') {
      this.fields.set(key, value);
      return null;
    }
    const block: RawProgress = {
      outTimeUs: outTimeFromFields(this.fields),
      speed: parseSpeed(this.fields.get('speed')),
      end: value === 'end',
    };
    this.fields = new Map();
    return block;
  }
}

function outTimeFromFields(fields: Map<string, string>): number | null {
  // out_time_ms is, despite its name, also microseconds (a long-standing ffmpeg quirk);
  // out_time_us is the honest key. Fall back to the HH:MM:SS.micro text.
  for (const key of ['out_time_us', 'out_time_ms']) {
    const v = fields.get(key);
    if (v !== undefined && /^-?\d+$/.test(v)) return Number(v);
  }
  const text = fields.get('out_time');
  return text ? parseClockUs(text) : null;
}

/** "1.23x" / "1.33e+04x" / "N/A" → number | null. */
export function parseSpeed(text: string | undefined): number | null {
  if (!text) return null;
  const m = /^\s*([0-9.]+(?:e[+-]?\d+)?)x\s*$/i.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : null;
}

/** "HH:MM:SS.fraction" (optionally negative) → microseconds; null when unparseable. */
export function parseClockUs(text: string): number | null {
  const m = /^(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text.trim());
  if (!m) return null;
  const seconds = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  const us = Math.round(seconds * 1_000_000);
  return m[1] === '-' ? -us : us;
}

/**
 * Parses a classic stats line ("frame=  25 fps=0.0 ... time=00:00:01.00 bitrate=N/A speed=73.5x"),
 * which is what the wasm core logs. Returns null for any other line.
 */
export function parseStatsLine(line: string): RawProgress | null {
  const time = /(?:^|\s)time=\s*(-?\d+:\d{2}:\d{2}(?:\.\d+)?)/.exec(line);
  if (!time) return null;
  const speed = /(?:^|\s)speed=\s*(\S+)/.exec(line);
  // ffmpeg prints the last report with "Lsize=" (final size) instead of "size=".
  return { outTimeUs: parseClockUs(time[1] as string), speed: parseSpeed(speed?.[1]), end: /(?:^|\s)Lsize=/.test(line) };
}

/**
 * Turns raw reports into what callers see: output time never goes backwards (ffmpeg can
 * report negative or N/A times early on), fraction is clamped to 0..1 and reaches 1 on
 * `progress=end`, and ETA is the remaining media time divided by the encoding speed.
 */
export class ProgressTracker {
  private outTimeFlicks: Flicks = 0;

  constructor(private readonly expectedDurationFlicks?: Flicks) {}

  update(raw: RawProgress): FfmpegProgress {
    if (raw.outTimeUs !== null && raw.outTimeUs > 0) {
      const f = Math.round((raw.outTimeUs * FLICKS_PER_SECOND) / 1_000_000);
      this.outTimeFlicks = Math.max(this.outTimeFlicks, f);
    }
    const expected = this.expectedDurationFlicks;
    const known = expected !== undefined && expected > 0;
    let fraction: number | null = null;
    if (known) fraction = raw.end ? 1 : Math.min(1, this.outTimeFlicks / expected);
    const speed = raw.speed !== null && raw.speed > 0 ? raw.speed : null;
    let etaSeconds: number | null = null;
    if (raw.end) etaSeconds = 0;
    else if (known && speed !== null) etaSeconds = Math.max(0, (expected - this.outTimeFlicks) / FLICKS_PER_SECOND / speed);
    return { fraction, outTimeFlicks: this.outTimeFlicks, speed, etaSeconds };
  }
}
