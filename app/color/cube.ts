/**
 * The .cube 3D LUT format (Adobe/IRIDAS Cube LUT 1.0): parse with errors that name the
 * line, and write. Rules (see docs/color.md):
 *  - `#` starts a comment line; blank lines are ignored; CRLF and a UTF-8 BOM are fine.
 *  - Keywords come before the data: TITLE "text", LUT_3D_SIZE N (2..65), DOMAIN_MIN r g b,
 *    DOMAIN_MAX r g b (min < max per channel), LUT_3D_INPUT_RANGE min max (Resolve's form of
 *    a domain). LUT_1D_SIZE / LUT_1D_INPUT_RANGE are refused: 1D LUTs are not supported.
 *  - Then exactly N³ data lines of three numbers, red changing fastest, then green, then blue.
 */
import type { Lut3D } from '../model/color.js';

export const MAX_LUT_SIZE = 65;
export const MIN_LUT_SIZE = 2;

export class CubeParseError extends Error {
  constructor(
    /** 1-based line number the problem is on. */
    readonly line: number,
    readonly detail: string,
  ) {
    super(`line ${line}: ${detail}`);
    this.name = 'CubeParseError';
  }
}

/** Keywords other tools write that carry nothing a 3D LUT needs. */
const IGNORED_KEYWORDS = new Set(['LUT_IN_VIDEO_RANGE', 'LUT_OUT_VIDEO_RANGE']);
const KEYWORDS = new Set(['TITLE', 'LUT_1D_SIZE', 'LUT_1D_INPUT_RANGE', 'LUT_3D_SIZE', 'DOMAIN_MIN', 'DOMAIN_MAX', 'LUT_3D_INPUT_RANGE']);

function parseNumber(token: string, line: number): number {
  // Number('') is 0 and Number('0x1') is 1: insist on a decimal literal.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(token)) throw new CubeParseError(line, `"${token}" is not a number.`);
  const v = Number(token);
  if (!Number.isFinite(v)) throw new CubeParseError(line, `"${token}" is not a finite number.`);
  return v;
}

function triple(tokens: string[], line: number, what: string): [number, number, number] {
  if (tokens.length !== 3) throw new CubeParseError(line, `${what} needs 3 numbers, found ${tokens.length}.`);
  return [parseNumber(tokens[0]!, line), parseNumber(tokens[1]!, line), parseNumber(tokens[2]!, line)];
}

/** Parse .cube text. Throws CubeParseError naming the line of the first problem. */
export function parseCube(text: string): Lut3D {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let title = '';
  let size = 0;
  let sizeLine = 0;
  let domainMin: [number, number, number] = [0, 0, 0];
  let domainMax: [number, number, number] = [1, 1, 1];
  let domainLine = 0;
  let data: Float32Array | null = null;
  let count = 0;
  let expected = 0;
  let lastLine = 0;

  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    lastLine = n;
    const first = raw.charCodeAt(0);
    const isData = (first >= 48 && first <= 57) || first === 45 || first === 43 || first === 46; // digit - + .
    if (isData) {
      if (!data) throw new CubeParseError(n, 'data before LUT_3D_SIZE: the size must come first.');
      if (count >= expected) throw new CubeParseError(n, `too many data lines: LUT_3D_SIZE ${size} needs ${expected}.`);
      const tokens = raw.split(/\s+/);
      if (tokens.length !== 3) throw new CubeParseError(n, `expected 3 numbers (R G B), found ${tokens.length}.`);
      const o = count * 3;
      data[o] = parseNumber(tokens[0]!, n);
      data[o + 1] = parseNumber(tokens[1]!, n);
      data[o + 2] = parseNumber(tokens[2]!, n);
      count++;
      continue;
    }
    const space = raw.search(/\s/);
    const keyword = space < 0 ? raw : raw.slice(0, space);
    const rest = space < 0 ? '' : raw.slice(space + 1).trim();
    const args = rest === '' ? [] : rest.split(/\s+/);
    if (!KEYWORDS.has(keyword) && !IGNORED_KEYWORDS.has(keyword)) {
      if (/^[A-Z][A-Z0-9_]*$/.test(keyword)) throw new CubeParseError(n, `unknown keyword "${keyword}".`);
      throw new CubeParseError(n, `"${keyword}" is not a number or a .cube keyword.`);
    }
    if (data && count > 0) throw new CubeParseError(n, `"${keyword}" after the data: keywords must come before the first data line.`);
    switch (keyword) {
      case 'TITLE': {
        const m = /^"(.*)"$/.exec(rest);
        title = (m ? m[1]! : rest).slice(0, 200);
        break;
      }
      case 'LUT_1D_SIZE':
      case 'LUT_1D_INPUT_RANGE':
        throw new CubeParseError(n, `${keyword}: 1D LUTs are not supported; use a 3D LUT (LUT_3D_SIZE).`);
      case 'LUT_3D_SIZE': {
        if (data) throw new CubeParseError(n, `LUT_3D_SIZE given twice (first on line ${sizeLine}).`);
        if (args.length !== 1 || !/^\d+$/.test(args[0]!)) throw new CubeParseError(n, `LUT_3D_SIZE needs one whole number, found "${rest}".`);
        size = Number(args[0]);
        if (size < MIN_LUT_SIZE || size > MAX_LUT_SIZE)
          throw new CubeParseError(n, `LUT_3D_SIZE ${size} is out of range: supported sizes are ${MIN_LUT_SIZE} to ${MAX_LUT_SIZE}.`);
        sizeLine = n;
        expected = size * size * size;
        data = new Float32Array(expected * 3);
        break;
      }
      case 'DOMAIN_MIN':
        domainMin = triple(args, n, 'DOMAIN_MIN');
        domainLine = n;
        break;
      case 'DOMAIN_MAX':
        domainMax = triple(args, n, 'DOMAIN_MAX');
        domainLine = n;
        break;
      case 'LUT_3D_INPUT_RANGE': {
        if (args.length !== 2) throw new CubeParseError(n, `LUT_3D_INPUT_RANGE needs 2 numbers, found ${args.length}.`);
        const lo = parseNumber(args[0]!, n);
        const hi = parseNumber(args[1]!, n);
        domainMin = [lo, lo, lo];
        domainMax = [hi, hi, hi];
        domainLine = n;
        break;
      }
      default:
        break; // an ignored keyword
    }
  }
  if (!data) throw new CubeParseError(Math.max(1, lastLine), 'no LUT_3D_SIZE line: this is not a 3D .cube LUT.');
  for (let c = 0; c < 3; c++) {
    if (!(domainMin[c]! < domainMax[c]!))
      throw new CubeParseError(domainLine, `the domain is out of range: DOMAIN_MIN (${domainMin.join(' ')}) must be below DOMAIN_MAX (${domainMax.join(' ')}) in every channel.`);
  }
  if (count < expected)
    throw new CubeParseError(Math.max(1, lastLine), `missing values: LUT_3D_SIZE ${size} needs ${expected} data lines, found ${count}.`);
  return { size, data, domainMin, domainMax, title };
}

export interface WriteCubeOptions {
  /** Comment lines written at the top (without the leading #). */
  comments?: string[];
  /** Decimal places per value (default 6). */
  decimals?: number;
}

/** .cube text for a LUT; parseCube(writeCube(l)) gives back l (to `decimals` places). */
export function writeCube(lut: Lut3D, opts: WriteCubeOptions = {}): string {
  const dp = opts.decimals ?? 6;
  const out: string[] = [];
  for (const c of opts.comments ?? []) out.push(`# ${c.replace(/[\r\n]+/g, ' ')}`);
  if (lut.title) out.push(`TITLE "${lut.title.replace(/["\r\n]/g, "'")}"`);
  out.push(`LUT_3D_SIZE ${lut.size}`);
  const d = (v: readonly number[]) => v.map((x) => x.toFixed(dp)).join(' ');
  out.push(`DOMAIN_MIN ${d(lut.domainMin)}`);
  out.push(`DOMAIN_MAX ${d(lut.domainMax)}`);
  const n = lut.size ** 3;
  const data = lut.data;
  for (let i = 0; i < n; i++) {
    const o = i * 3;
    out.push(`${fmt(data[o]!, dp)} ${fmt(data[o + 1]!, dp)} ${fmt(data[o + 2]!, dp)}`);
  }
  return `${out.join('\n')}\n`;
}

function fmt(v: number, dp: number): string {
  const s = v.toFixed(dp);
  // "-0.000000" parses fine but reads oddly.
  return s.startsWith('-') && Number(s) === 0 ? s.slice(1) : s;
}

/** The identity LUT of a size: every lattice point maps to itself. */
export function identityLut(size: number): Lut3D {
  const data = new Float32Array(size ** 3 * 3);
  const k = 1 / (size - 1);
  let o = 0;
  for (let b = 0; b < size; b++)
    for (let g = 0; g < size; g++)
      for (let r = 0; r < size; r++) {
        data[o++] = r * k;
        data[o++] = g * k;
        data[o++] = b * k;
      }
  return { size, data, domainMin: [0, 0, 0], domainMax: [1, 1, 1], title: '' };
}
