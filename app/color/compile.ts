/**
 * Grade → one 3D LUT. The same function feeds the WebGL preview (uploaded as a 3D
 * texture) and the export (written as a .cube for ffmpeg's lut3d), so what you preview is
 * what you export.
 *
 * Values are display-referred code values in [0, 1] (what the decoder hands the filter and
 * the browser hands the shader). Order per color (docs/color.md):
 *   1. sRGB decode to linear light; exposure ×2^stops; white balance (temperature, tint)
 *      as per-channel gains normalised to keep Rec.709 luminance; sRGB encode;
 *   2. contrast: slope (1 + contrast) about mid grey (0.18 linear → 0.4614 encoded);
 *   3. saturation about Rec.709 luma;
 *   4. lift / gamma / gain per channel: v = gain·(v + lift·(1 − v)), then v^(1/gamma);
 *   5. clamp to [0, 1];
 *   6. the imported LUT through its DOMAIN_MIN/MAX, mixed in by `lutStrength`; clamp.
 * Steps that are neutral are skipped, so a neutral grade compiles to the exact identity.
 */
import { sampleLut, LUT_INTERP } from './interp.js';
import { primariesAreNeutral, type ColorGrade, type Lut3D } from '../model/color.js';

/** Bump when the compile math changes: it is part of the cached LUT file's key. */
export const COMPILE_VERSION = 1;
export const DEFAULT_LUT_SIZE = 33;
/** Values are rounded to this many decimals so the float texture equals the written .cube. */
export const LUT_DECIMALS = 6;

export function srgbToLinear(v: number): number {
  const a = Math.abs(v);
  const l = a <= 0.04045 ? a / 12.92 : ((a + 0.055) / 1.055) ** 2.4;
  return v < 0 ? -l : l;
}

export function linearToSrgb(v: number): number {
  const a = Math.abs(v);
  const e = a <= 0.0031308 ? a * 12.92 : 1.055 * a ** (1 / 2.4) - 0.055;
  return v < 0 ? -e : e;
}

const LUMA = [0.2126, 0.7152, 0.0722] as const;
const PIVOT = linearToSrgb(0.18);

/** Linear-light channel gains for temperature and tint, with Rec.709 luminance kept at 1. */
export function whiteBalanceGains(temperature: number, tint: number): [number, number, number] {
  const r = 2 ** (0.5 * temperature);
  const b = 2 ** (-0.5 * temperature);
  const g = 2 ** (-0.5 * tint);
  const y = LUMA[0] * r + LUMA[1] * g + LUMA[2] * b;
  return [r / y, g / y, b / y];
}

/**
 * The primaries split for speed: `head` (linear-light steps and contrast) and, when
 * saturation is neutral, `tail` (lift/gamma/gain, clamp) act on each channel alone, so a
 * compile evaluates them once per lattice coordinate; `mix` (saturation, then the tail) is
 * the per-color remainder. Composed, they are exactly `primariesFn`.
 */
export interface PrimariesParts {
  head(channel: number, v: number): number;
  tail(channel: number, v: number): number;
  /** Saturation followed by the tail, per color; null when saturation is neutral. */
  mix: ((c: number[]) => void) | null;
}

export function primariesParts(grade: ColorGrade): PrimariesParts {
  const exposure = 2 ** grade.exposure;
  const wb = grade.temperature !== 0 || grade.tint !== 0 ? whiteBalanceGains(grade.temperature, grade.tint) : null;
  const linearStep = grade.exposure !== 0 || wb !== null;
  const slope = 1 + grade.contrast;
  const sat = grade.saturation;
  const ch = ['r', 'g', 'b'] as const;
  const lift = ch.map((k) => grade.lift.m + grade.lift[k]);
  const gain = ch.map((k) => grade.gain.m * grade.gain[k]);
  const invGamma = ch.map((k) => 1 / Math.max(1e-6, grade.gamma.m * grade.gamma[k]));
  const lgg = lift.some((x) => x !== 0) || gain.some((x) => x !== 1) || invGamma.some((x) => x !== 1);
  const head = (i: number, v: number): number => {
    if (linearStep) {
      let l = srgbToLinear(v) * exposure;
      if (wb) l *= wb[i]!;
      v = linearToSrgb(l);
    }
    return slope !== 1 ? (v - PIVOT) * slope + PIVOT : v;
  };
  const tail = (i: number, v: number): number => {
    if (lgg) {
      const x = gain[i]! * (v + lift[i]! * (1 - v));
      v = x > 0 ? x ** invGamma[i]! : 0;
    }
    return clamp01(v);
  };
  const mix =
    sat === 1
      ? null
      : (c: number[]) => {
          const y = LUMA[0] * c[0]! + LUMA[1] * c[1]! + LUMA[2] * c[2]!;
          for (let i = 0; i < 3; i++) c[i] = tail(i, y + (c[i]! - y) * sat);
        };
  return { head, tail, mix };
}

/** A function applying the grade's primaries to one color (in place): the reference. */
export function primariesFn(grade: ColorGrade): (c: number[]) => void {
  const { head, tail, mix } = primariesParts(grade);
  return (c) => {
    for (let i = 0; i < 3; i++) c[i] = head(i, c[i]!);
    if (mix) mix(c);
    else for (let i = 0; i < 3; i++) c[i] = tail(i, c[i]!);
  };
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** A function applying the whole grade to one color in [0,1]³ (in place), in float64: the reference. */
export function gradeFn(grade: ColorGrade, imported: Lut3D | null): (c: number[]) => void {
  const primaries = primariesAreNeutral(grade) ? null : primariesFn(grade);
  const lut = grade.lut && imported && grade.lutStrength > 0 ? imported : null;
  const k = grade.lutStrength;
  const tmp = [0, 0, 0];
  return (c) => {
    primaries?.(c);
    if (lut) {
      sampleLut(lut, c[0]!, c[1]!, c[2]!, tmp, LUT_INTERP);
      for (let i = 0; i < 3; i++) c[i] = clamp01(c[i]! + (tmp[i]! - c[i]!) * k);
    }
  };
}

export interface CompileOptions {
  /** Lattice points per axis (default 33, or the imported LUT's size when larger, up to 65). */
  size?: number;
}

export function compiledSize(grade: ColorGrade, imported: Lut3D | null): number {
  return grade.lut && imported ? Math.min(65, Math.max(DEFAULT_LUT_SIZE, imported.size)) : DEFAULT_LUT_SIZE;
}

/**
 * Compile a grade (and the imported LUT it references, parsed from its .cube) to one 3D
 * LUT over [0,1]³. Throws if the grade references a LUT that was not supplied.
 */
export function compileGrade(grade: ColorGrade, imported: Lut3D | null, opts: CompileOptions = {}): Lut3D {
  if (grade.lut && grade.lutStrength > 0 && !imported) throw new Error(`The LUT "${grade.lut.name}" is needed to compile this grade.`);
  const size = opts.size ?? compiledSize(grade, imported);
  const data = new Float32Array(size ** 3 * 3);
  const m = size - 1;
  const q = 10 ** LUT_DECIMALS;
  // Per-channel tables of everything that acts on one channel alone (see primariesParts).
  const parts = primariesAreNeutral(grade) ? null : primariesParts(grade);
  const table = [0, 1, 2].map((ch) => {
    const t = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      const v = k / m;
      t[k] = parts ? (parts.mix ? parts.head(ch, v) : parts.tail(ch, parts.head(ch, v))) : v;
    }
    return t;
  }) as [Float64Array, Float64Array, Float64Array];
  const lut = grade.lut && imported && grade.lutStrength > 0 ? imported : null;
  const k = grade.lutStrength;
  const c = [0, 0, 0];
  const tmp = new Float64Array(3);
  let o = 0;
  for (let b = 0; b < size; b++)
    for (let g = 0; g < size; g++)
      for (let r = 0; r < size; r++) {
        c[0] = table[0][r]!;
        c[1] = table[1][g]!;
        c[2] = table[2][b]!;
        parts?.mix?.(c);
        if (lut) {
          sampleLut(lut, c[0]!, c[1]!, c[2]!, tmp, LUT_INTERP);
          for (let i = 0; i < 3; i++) c[i] = clamp01(c[i]! + (tmp[i]! - c[i]!) * k);
        }
        data[o++] = Math.round(c[0]! * q) / q;
        data[o++] = Math.round(c[1]! * q) / q;
        data[o++] = Math.round(c[2]! * q) / q;
      }
  return { size, data, domainMin: [0, 0, 0], domainMax: [1, 1, 1], title: 'Shotline grade' };
}
