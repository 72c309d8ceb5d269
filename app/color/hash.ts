/**
 * Content keys for compiled grades, pure (no Node crypto: app/ runs in the renderer too).
 * The key names the cached .cube an export writes (media/derived/luts/<key>.cube): it
 * covers every grade value, the imported LUT's own content hash and COMPILE_VERSION.
 */
import { COMPILE_VERSION } from './compile.js';
import type { ColorGrade } from '../model/color.js';
import { sha256Hex } from '../util/sha256.js';

export { sha256Hex };

export function sha256Text(text: string): string {
  return sha256Hex(text);
}

/** JSON with object keys sorted, so equal values always give equal text. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/** The cache key of a grade's compiled LUT (first 32 hex digits of a SHA-256). */
export function gradeKey(grade: ColorGrade): string {
  // The LUT's name and title do not change the pixels: only its content hash counts.
  const { lut, ...rest } = grade;
  const basis = { v: COMPILE_VERSION, grade: rest, lut: lut && grade.lutStrength > 0 ? lut.sha256 : null };
  return sha256Text(canonicalJson(basis)).slice(0, 32);
}
