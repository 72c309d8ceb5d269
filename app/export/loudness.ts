/**
 * Loudness targets of export presets and the pure half of two-pass normalisation (EBU R128
 * measurement through ffmpeg's `loudnorm` / `ebur128`): the filter texts and the parsers of
 * what ffmpeg prints. The export measures the FINAL mix (not each clip) and applies `loudnorm`
 * with the measured values, linearly where the target allows it (main/export/loudness.ts).
 */
import { ShotlineError } from '../errors.js';

export type LoudnessTargetId = 'web' | 'broadcast' | 'off';
export const LOUDNESS_TARGET_IDS: readonly LoudnessTargetId[] = ['web', 'broadcast', 'off'];

export interface LoudnessTarget {
  id: Exclude<LoudnessTargetId, 'off'>;
  label: string;
  /** Integrated loudness, LUFS. */
  integrated: number;
  /** Maximum true peak, dBTP. */
  truePeak: number;
}

export const LOUDNESS_TARGETS: Record<Exclude<LoudnessTargetId, 'off'>, LoudnessTarget> = {
  web: { id: 'web', label: 'Web and social: −14 LUFS, −1 dBTP', integrated: -14, truePeak: -1 },
  broadcast: { id: 'broadcast', label: 'Broadcast (EBU R128): −23 LUFS, −1 dBTP', integrated: -23, truePeak: -1 },
};

export function loudnessTarget(id: LoudnessTargetId | undefined): LoudnessTarget | null {
  return id && id !== 'off' ? LOUDNESS_TARGETS[id] : null;
}

/**
 * Headroom kept below the true-peak target inside loudnorm: AAC encoding adds overshoot
 * (measured here up to ≈ 0.4 dB on clipped material, and 0.7 dB on a −64 LUFS room tone raised
 * 50 dB through loudnorm's limiter), and the target is for the delivered file.
 */
export const TRUE_PEAK_HEADROOM_DB = 1;
/**
 * loudnorm's loudness-range target. Linear mode (one gain for the whole mix: the dynamics
 * the editor made stay as they are) is only taken when the measured range is within it, so
 * it is set to loudnorm's maximum: the range is the editor's choice, not the export's.
 */
const LRA_TARGET = 50;

/** What loudnorm's first pass measures (its JSON `input_*` fields). */
export interface LoudnormMeasurement {
  integrated: number;
  truePeak: number;
  lra: number;
  threshold: number;
  /** loudnorm's suggested `offset` for the second pass. */
  targetOffset: number;
}

function num(v: number): string {
  return (Math.round(v * 100) / 100).toFixed(2);
}

/** Pass 1: measure (prints JSON at the end of the run). */
export function loudnormMeasureFilter(t: LoudnessTarget): string {
  return `loudnorm=I=${t.integrated}:TP=${num(t.truePeak - TRUE_PEAK_HEADROOM_DB)}:LRA=${LRA_TARGET}:print_format=json`;
}

/**
 * Pass 2: normalise with the measured values, back at `sampleRate` (loudnorm always outputs
 * 192 kHz). loudnorm reads measured_LRA 0 and measured_thresh −70 as "not given" and would
 * fall back to its dynamic mode, so a truly flat mix is passed as 0.01 LU.
 */
export function loudnormApplyFilter(t: LoudnessTarget, m: LoudnormMeasurement, sampleRate: number): string {
  return (
    `loudnorm=I=${t.integrated}:TP=${num(t.truePeak - TRUE_PEAK_HEADROOM_DB)}:LRA=${LRA_TARGET}` +
    `:measured_I=${num(m.integrated)}:measured_TP=${num(m.truePeak)}:measured_LRA=${num(Math.max(0.01, m.lra))}` +
    `:measured_thresh=${num(Math.max(-69.99, m.threshold))}:offset=${num(m.targetOffset)}:linear=true:print_format=json,` +
    `aresample=${sampleRate}`
  );
}

/** The JSON block loudnorm prints last; null when the log has none. */
export function parseLoudnormJson(log: string): (LoudnormMeasurement & { normalizationType: string | null; output: { integrated: number; truePeak: number } }) | null {
  const start = log.lastIndexOf('{');
  const end = log.lastIndexOf('}');
  if (start < 0 || end < start) return null;
  let o: Record<string, string>;
  try {
    o = JSON.parse(log.slice(start, end + 1)) as Record<string, string>;
  } catch {
    return null;
  }
  const f = (k: string) => (o[k] === undefined ? NaN : Number(o[k]));
  if (o.input_i === undefined) return null;
  return {
    integrated: f('input_i'),
    truePeak: f('input_tp'),
    lra: f('input_lra'),
    threshold: f('input_thresh'),
    targetOffset: f('target_offset'),
    normalizationType: o.normalization_type ?? null,
    output: { integrated: f('output_i'), truePeak: f('output_tp') },
  };
}

/** A mix's loudness as the meter shows it (ffmpeg's `ebur128` with true peak). */
export interface LoudnessReport {
  /** Integrated loudness, LUFS (−70 or below: silence). */
  integrated: number;
  /** Loudest 3-second (short-term) window, LUFS. */
  shortTermMax: number;
  /** True peak, dBTP. */
  truePeak: number;
  /** Loudness range, LU. */
  lra: number;
  durationSeconds: number;
}

/** One of ebur128's 100 ms log lines: time and short-term loudness. */
export function parseEbur128Frame(line: string): { t: number; shortTerm: number } | null {
  const m = /\bt:\s*([\d.]+)\s+.*\bS:\s*(-?[\d.]+|-inf|nan)/.exec(line);
  if (!m) return null;
  const s = Number(m[2]);
  return { t: Number(m[1]), shortTerm: Number.isFinite(s) ? s : -Infinity };
}

/** ebur128's summary (I, LRA, true peak) from the whole log. */
export function parseEbur128Summary(log: string): { integrated: number; lra: number; truePeak: number } {
  const tail = log.slice(log.lastIndexOf('Summary:'));
  const grab = (re: RegExp) => {
    const m = re.exec(tail);
    return m ? (m[1] === '-inf' ? -Infinity : Number(m[1])) : NaN;
  };
  const r = { integrated: grab(/\bI:\s*(-?[\d.]+|-inf)\s*LUFS/), lra: grab(/\bLRA:\s*(-?[\d.]+)\s*LU\b/), truePeak: grab(/True peak:\s*\n?\s*Peak:\s*(-?[\d.]+|-inf)/) };
  if (Number.isNaN(r.integrated) || Number.isNaN(r.lra)) throw new ShotlineError('ffmpeg_failed', 'ffmpeg did not report the loudness of the mix.');
  return r;
}
