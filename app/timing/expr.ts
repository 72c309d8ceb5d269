/**
 * The time map in ffmpeg's words. The retime expression evaluates, operation for
 * operation and constant for constant, what timemap.ts computes in JavaScript (both are
 * IEEE doubles; constants are printed with round-trip precision), so the exported frame
 * at every output tick is the one tickOfFrame() names. Audio follows with atempo
 * (pitch kept) on constant-rate stretches and asetrate (tape-like) or silence on ramps.
 */
import { FLICKS_PER_SECOND, type Flicks, type Rational } from '../time/flicks.js';
import { TICK_EPSILON, type DiscreteTiming, type OneShotMap } from './timemap.js';
import type { FrameSynthesis, RampAudio } from '../model/timing.js';

/** Everything the retime expression needs for one iteration of one clip. */
export interface RetimeParams {
  firstFrame: number;
  frameCount: number;
  sourceFrameFlicks: number;
  inFlicks: Flicks;
  outFlicks: Flicks;
  reverse: boolean;
  /** Knots of the one-pass map (see OneShotMap). */
  x: number[];
  t: number[];
  m: number[];
  /** Iteration start φ and its first output tick s. */
  phase: Flicks;
  startTick: number;
  outputFrameFlicks: number;
}

export function retimeParams(d: DiscreteTiming, iteration: number): RetimeParams {
  const it = d.iterations[iteration]!;
  const map: OneShotMap = d.timing.oneShot;
  return {
    firstFrame: d.firstFrame,
    frameCount: d.frameCount,
    sourceFrameFlicks: d.sourceFrameFlicks,
    inFlicks: d.inFlicks,
    outFlicks: d.outFlicks,
    reverse: map.reverse,
    x: map.x,
    t: map.t,
    m: map.m,
    phase: it.phase,
    startTick: it.startTick,
    outputFrameFlicks: d.outputFrameFlicks,
  };
}

/** A number as ffmpeg's expression parser reads it back to the same double. */
export function num(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
  const s = String(v);
  return v < 0 ? `(${s})` : s;
}

/** T(x) over the knots, as a cascade of if(lt(x, x_{i+1}), t_i + (x - x_i)·m_i, …) with x in ld(0). */
function cascade(p: RetimeParams): string {
  const last = p.m.length - 1;
  const piece = (i: number) => `${num(p.t[i]!)}+(ld(0)-${num(p.x[i]!)})*${num(p.m[i]!)}`;
  let expr = piece(last);
  for (let i = last - 1; i >= 0; i--) expr = `if(lt(ld(0),${num(p.x[i + 1]!)}),${piece(i)},${expr})`;
  return expr;
}

function positionExpr(p: RetimeParams): string {
  return p.reverse
    ? `${num(p.outFlicks)}-(${num(p.firstFrame)}+${num(p.frameCount)}-N)*${num(p.sourceFrameFlicks)}`
    : `(${num(p.firstFrame)}+N)*${num(p.sourceFrameFlicks)}-${num(p.inFlicks)}`;
}

/**
 * setpts expression giving each input frame N its output tick (nearest) or its exact
 * output time in flicks (blend, motion: the synthesiser samples between frames).
 */
export function retimeExpr(p: RetimeParams, unit: 'tick' | 'flicks'): string {
  const head = `st(0,${positionExpr(p)});st(1,${cascade(p)});`;
  if (unit === 'tick')
    return `${head}if(eq(N,0),0,max(0,ceil((${num(p.phase)}+ld(1))/${num(p.outputFrameFlicks)}-${num(TICK_EPSILON)})-${num(p.startTick)}))`;
  return `${head}if(eq(N,0),0,max(0,${num(p.phase)}+ld(1)-${num(p.startTick * p.outputFrameFlicks)}))`;
}

/** The picture filters of one retime: frames land on output ticks (or times) and are synthesised. */
export function retimeFilter(p: RetimeParams, frames: FrameSynthesis, rate: Rational): string {
  const r = `${rate.num}/${rate.den}`;
  if (frames === 'nearest') return `settb=expr=${rate.den}/${rate.num},setpts='${retimeExpr(p, 'tick')}'`;
  const timed = `settb=expr=1/${FLICKS_PER_SECOND},setpts='${retimeExpr(p, 'flicks')}'`;
  if (frames === 'blend') return `${timed},framerate=fps=${r}:interp_start=0:interp_end=255:scene=100`;
  return `${timed},minterpolate=fps=${r}:mi_mode=mci`;
}

// ---------------------------------------------------------------------------------------
// Audio.

export type TempoKind = 'tempo' | 'resample' | 'mute';

/** One stretch of sound: source samples [from, to) (playback order) become `out` samples. */
export interface TempoSegment {
  from: number;
  to: number;
  out: number;
  kind: TempoKind;
}

/** atempo factors, each within 0.5..2, whose product is `rate`. */
export function atempoFactors(rate: number): number[] {
  if (!(rate > 0) || !Number.isFinite(rate)) throw new Error(`bad tempo ${rate}`);
  const out: number[] = [];
  let r = rate;
  while (r > 2) {
    out.push(2);
    r /= 2;
  }
  while (r < 0.5) {
    out.push(0.5);
    r /= 0.5;
  }
  if (Math.abs(r - 1) > 1e-9 || out.length === 0) out.push(r);
  return out;
}

const MIN_RAMP_SEGMENT_S = 0.1;

/** The sound of one pass as tempo segments at `sampleRate`, from the map's knots. */
export function tempoSegments(map: OneShotMap, sampleRate: number, rampAudio: RampAudio): TempoSegment[] {
  const toS = (f: number) => Math.round((f * sampleRate) / FLICKS_PER_SECOND);
  const segs: TempoSegment[] = [];
  const n = map.m.length;
  let i = 0;
  while (i < n) {
    const constant = map.constant[i]!;
    let j = i + 1;
    // Constant stretches are exact; ramp knots merge into pieces of at least 0.1 s of output.
    if (!constant) while (j < n && !map.constant[j] && map.t[j]! - map.t[i]! < MIN_RAMP_SEGMENT_S * FLICKS_PER_SECOND) j++;
    const from = toS(map.x[i]!);
    const to = toS(map.x[j]!);
    const out = toS(map.t[j]!) - toS(map.t[i]!);
    if (out > 0 && to > from) segs.push({ from, to, out, kind: constant ? 'tempo' : rampAudio === 'mute' ? 'mute' : 'resample' });
    i = j;
  }
  return segs;
}

function formatTo(sampleRate: number): string {
  return `aformat=sample_fmts=fltp:sample_rates=${sampleRate}:channel_layouts=stereo`;
}

function segmentBody(seg: TempoSegment, sampleRate: number): string[] {
  const rate = (seg.to - seg.from) / seg.out;
  if (seg.kind === 'resample') return [`asetrate=${Math.max(1, Math.round(sampleRate * rate))}`, `aresample=${sampleRate}`, formatTo(sampleRate)];
  if (Math.abs(rate - 1) < 1e-9) return [];
  return atempoFactors(rate).map((f) => `atempo=${num(Math.round(f * 1e9) / 1e9)}`);
}

/**
 * The audio filters of a retime: conform to the project rate in stereo, then each segment
 * trimmed, stretched and cut to its exact sample count, concatenated. `label` keeps the
 * internal pad names unique in the whole graph.
 */
export function tempoFilter(segments: TempoSegment[], sampleRate: number, label: string): string {
  const head = `aresample=${sampleRate},${formatTo(sampleRate)}`;
  const exact = (n: number) => `apad=whole_len=${n},atrim=end_sample=${n}`;
  const cut = (s: TempoSegment) => `atrim=start_sample=${s.from}:end_sample=${s.to},asetpts=PTS-STARTPTS`;
  if (segments.length === 0) return `${head},atrim=end_sample=0`;
  if (segments.length === 1 && segments[0]!.kind !== 'mute') {
    const s = segments[0]!;
    return [head, cut(s), ...segmentBody(s, sampleRate), exact(s.out)].join(',');
  }
  const audible = segments.map((s, i) => ({ s, i })).filter(({ s }) => s.kind !== 'mute');
  const chains: string[] = [];
  let open: string;
  if (audible.length > 0) {
    open = `${head},asplit=${audible.length}${audible.map(({ i }) => `[${label}s${i}]`).join('')}`;
    for (const { s, i } of audible) chains.push(`[${label}s${i}]${[cut(s), ...segmentBody(s, sampleRate), exact(s.out)].join(',')}[${label}o${i}]`);
  } else {
    // Nothing audible: the source is read and dropped, silence of the right length follows.
    open = `${head},anullsink`;
  }
  segments.forEach((s, i) => {
    if (s.kind === 'mute') chains.push(`anullsrc=r=${sampleRate}:cl=stereo,${formatTo(sampleRate)},atrim=end_sample=${s.out}[${label}o${i}]`);
  });
  const joined = segments.map((_, i) => `[${label}o${i}]`).join('');
  return `${open};${chains.join(';')};${joined}concat=n=${segments.length}:v=0:a=1`;
}
