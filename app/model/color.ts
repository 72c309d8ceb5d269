/**
 * The color grade model: plain JSON values stored in a clip's effects (`effects.color`).
 * Every grade compiles to ONE 3D LUT (compile.ts); the Viewer samples that LUT on the GPU
 * and the export hands the same LUT to ffmpeg's lut3d, so preview and export match by
 * construction. See docs/color.md.
 */

/** Per-channel values plus a master that applies to all three. */
export interface Rgbm {
  r: number;
  g: number;
  b: number;
  /** Master: combined with each channel (added for lift, multiplied for gamma and gain). */
  m: number;
}

/** An imported .cube file, stored content-addressed in the project (media/luts/<sha256>.cube). */
export interface LutRef {
  sha256: string;
  /** Project-relative: media/luts/<sha256>.cube. */
  path: string;
  /** The file name the user imported. */
  name: string;
  /** The file's TITLE, or '' when it has none. */
  title: string;
  /** LUT_3D_SIZE. */
  size: number;
}

export interface ColorGrade {
  /** Stops: each +1 doubles linear light. */
  exposure: number;
  /** -1..1; 0 is neutral. Slope (1 + contrast) around mid grey in display space. */
  contrast: number;
  /** 0..2; 1 is neutral, 0 is monochrome. */
  saturation: number;
  /** -1..1; positive warms (more red, less blue), white-balance style in linear light. */
  temperature: number;
  /** -1..1; positive adds magenta, negative green. */
  tint: number;
  /** Offsets of the blacks, -0.5..0.5 (0 neutral); effective per channel: m + channel. */
  lift: Rgbm;
  /** Midtone power, 0.25..4 (1 neutral; above 1 brightens); effective: m × channel. */
  gamma: Rgbm;
  /** Multiplier of the whites, 0..4 (1 neutral); effective: m × channel. */
  gain: Rgbm;
  /** A creative LUT applied after the primaries, or null. */
  lut: LutRef | null;
  /** 0..1: how much of the LUT's result is mixed in. */
  lutStrength: number;
}

/** A named grade saved in the project (ProjectSettings.gradePresets). */
export interface GradePreset {
  id: string;
  name: string;
  grade: ColorGrade;
}

export type LutInterp = 'tetrahedral' | 'trilinear';

/**
 * A parsed or compiled 3D LUT. `data` holds size³ RGB triples in .cube order: red varies
 * fastest, then green, then blue (index = (b·size + g)·size + r).
 */
export interface Lut3D {
  size: number;
  data: Float32Array;
  domainMin: [number, number, number];
  domainMax: [number, number, number];
  title: string;
}

const rgbm = (v: number): Rgbm => ({ r: v, g: v, b: v, m: v });

export const NEUTRAL_GRADE: ColorGrade = {
  exposure: 0,
  contrast: 0,
  saturation: 1,
  temperature: 0,
  tint: 0,
  lift: rgbm(0),
  gamma: rgbm(1),
  gain: rgbm(1),
  lut: null,
  lutStrength: 1,
};

/** Limits of every numeric control (the command schema and the Inspector use these). */
export const GRADE_LIMITS = {
  exposure: { min: -5, max: 5, step: 0.01 },
  contrast: { min: -1, max: 1, step: 0.01 },
  saturation: { min: 0, max: 2, step: 0.01 },
  temperature: { min: -1, max: 1, step: 0.01 },
  tint: { min: -1, max: 1, step: 0.01 },
  lift: { min: -0.5, max: 0.5, step: 0.005 },
  gamma: { min: 0.25, max: 4, step: 0.01 },
  gain: { min: 0, max: 4, step: 0.01 },
  lutStrength: { min: 0, max: 1, step: 0.01 },
} as const;

export type ScalarControl = 'exposure' | 'contrast' | 'saturation' | 'temperature' | 'tint' | 'lutStrength';
export type WheelControl = 'lift' | 'gamma' | 'gain';

const sameRgbm = (a: Rgbm, b: Rgbm) => a.r === b.r && a.g === b.g && a.b === b.b && a.m === b.m;

/** The primaries (everything but the LUT) leave every color unchanged. */
export function primariesAreNeutral(g: ColorGrade): boolean {
  const n = NEUTRAL_GRADE;
  return (
    g.exposure === n.exposure &&
    g.contrast === n.contrast &&
    g.saturation === n.saturation &&
    g.temperature === n.temperature &&
    g.tint === n.tint &&
    sameRgbm(g.lift, n.lift) &&
    sameRgbm(g.gamma, n.gamma) &&
    sameRgbm(g.gain, n.gain)
  );
}

/** The grade changes nothing: no stage is needed in the render plan or the preview. */
export function isNeutralGrade(g: ColorGrade | null | undefined): boolean {
  if (!g) return true;
  return primariesAreNeutral(g) && (g.lut === null || g.lutStrength === 0);
}

export const LUTS_DIR = 'media/luts';
export const DERIVED_LUTS_DIR = 'media/derived/luts';

export function lutPathFor(sha256: string): string {
  return `${LUTS_DIR}/${sha256}.cube`;
}
