import { describe, expect, it } from 'vitest';
import { CubeParseError, identityLut, parseCube, writeCube } from '../../../app/color/cube.js';

function cube(size: number, opts: { header?: string[]; rows?: string[]; drop?: number } = {}): string {
  const lut = identityLut(size);
  const rows = opts.rows ?? writeCube(lut).split('\n').filter((l) => /^[\d.-]/.test(l));
  return [...(opts.header ?? [`LUT_3D_SIZE ${size}`]), ...rows.slice(0, rows.length - (opts.drop ?? 0))].join('\n');
}

function parseError(text: string): CubeParseError {
  try {
    parseCube(text);
  } catch (e) {
    expect(e).toBeInstanceOf(CubeParseError);
    return e as CubeParseError;
  }
  throw new Error('parsed without error');
}

describe('.cube parse / write', () => {
  it('round-trips through write and parse (every size up to 65, title, domain)', () => {
    for (const size of [2, 17, 33, 65]) {
      const lut = identityLut(size);
      // Something non-trivial and out of [0,1] (HDR LUTs do that).
      for (let i = 0; i < lut.data.length; i++) lut.data[i] = Math.fround((lut.data[i]! * 1.3 - 0.1) * ((i % 7) / 7 + 0.5));
      lut.title = 'Teal & Orange';
      lut.domainMin = [-0.25, 0, 0.1];
      lut.domainMax = [1.5, 1, 2];
      const text = writeCube(lut, { comments: ['made by a test'] });
      const back = parseCube(text);
      expect(back.size).toBe(size);
      expect(back.title).toBe('Teal & Orange');
      expect(back.domainMin).toEqual([-0.25, 0, 0.1]);
      expect(back.domainMax).toEqual([1.5, 1, 2]);
      let maxErr = 0;
      for (let i = 0; i < lut.data.length; i++) maxErr = Math.max(maxErr, Math.abs(back.data[i]! - lut.data[i]!));
      expect(maxErr).toBeLessThanOrEqual(5e-7 + 1e-7);
      // Writing what was read gives the same text.
      expect(writeCube(back, { comments: ['made by a test'] })).toBe(text);
    }
  });

  it('accepts comments, blank lines, CRLF, a BOM, unquoted titles, LUT_3D_INPUT_RANGE and ignorable keywords', () => {
    const rows = writeCube(identityLut(2)).split('\n').filter((l) => /^[\d.-]/.test(l));
    const text = '\uFEFF# a comment\r\n\r\nTITLE plain title\r\nLUT_IN_VIDEO_RANGE\r\nLUT_3D_SIZE 2\r\nLUT_3D_INPUT_RANGE 0 2\r\n  # indented comment\r\n' + rows.join('\r\n') + '\r\n\r\n# trailing comment\r\n';
    const lut = parseCube(text);
    expect(lut.title).toBe('plain title');
    expect(lut.domainMax).toEqual([2, 2, 2]);
    expect(lut.data[3]).toBe(1); // second entry: red = 1
  });

  it('names the line of a wrong size', () => {
    expect(parseError('TITLE "x"\nLUT_3D_SIZE 66\n').line).toBe(2);
    expect(parseError('TITLE "x"\nLUT_3D_SIZE 66\n').message).toMatch(/line 2: LUT_3D_SIZE 66 is out of range/);
    expect(parseError('# c\nLUT_3D_SIZE 1\n').message).toMatch(/line 2: .*out of range/);
    expect(parseError('LUT_3D_SIZE abc\n').message).toMatch(/line 1: LUT_3D_SIZE needs one whole number/);
    expect(parseError('LUT_3D_SIZE 2\nLUT_3D_SIZE 2\n').message).toMatch(/line 2: LUT_3D_SIZE given twice \(first on line 1\)/);
  });

  it('names the line of missing values (short row, too few rows, too many rows)', () => {
    const rows = writeCube(identityLut(2)).split('\n').filter((l) => /^[\d.-]/.test(l));
    const short = [...rows];
    short[3] = '0.5 0.5';
    // Header on line 1, so row k is on line k + 2.
    expect(parseError(cube(2, { rows: short })).message).toBe('line 5: expected 3 numbers (R G B), found 2.');
    expect(parseError(cube(2, { drop: 2 })).message).toBe('line 7: missing values: LUT_3D_SIZE 2 needs 8 data lines, found 6.');
    expect(parseError(cube(2, { rows: [...rows, '0 0 0'] })).message).toBe('line 10: too many data lines: LUT_3D_SIZE 2 needs 8.');
  });

  it('names the line of a non-numeric value', () => {
    const rows = writeCube(identityLut(2)).split('\n').filter((l) => /^[\d.-]/.test(l));
    rows[5] = '0.1 0x2 0.3';
    expect(parseError(cube(2, { rows })).message).toBe('line 7: "0x2" is not a number.');
    rows[5] = '0.1 nan 0.3';
    expect(parseError(cube(2, { rows })).message).toBe('line 7: "nan" is not a number.');
    rows[5] = 'abc 1 2';
    expect(parseError(cube(2, { rows })).message).toBe('line 7: "abc" is not a number or a .cube keyword.');
  });

  it('names the line of an out-of-range domain', () => {
    const e = parseError(cube(2, { header: ['LUT_3D_SIZE 2', 'DOMAIN_MIN 0 0 0', 'DOMAIN_MAX 1 0 1'] }));
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/line 3: the domain is out of range/);
    expect(parseError('LUT_3D_SIZE 2\nDOMAIN_MIN 0 0\n').message).toBe('line 2: DOMAIN_MIN needs 3 numbers, found 2.');
  });

  it('refuses 1D LUTs, data before the size, keywords after data, unknown keywords, empty files', () => {
    expect(parseError('TITLE "1d"\nLUT_1D_SIZE 1024\n').message).toBe('line 2: LUT_1D_SIZE: 1D LUTs are not supported; use a 3D LUT (LUT_3D_SIZE).');
    expect(parseError('0 0 0\nLUT_3D_SIZE 2\n').message).toMatch(/^line 1: data before LUT_3D_SIZE/);
    const rows = writeCube(identityLut(2)).split('\n').filter((l) => /^[\d.-]/.test(l));
    expect(parseError(['LUT_3D_SIZE 2', rows[0], 'TITLE "late"', ...rows.slice(1)].join('\n')).message).toMatch(/^line 3: "TITLE" after the data/);
    expect(parseError('LUT_3D_SIZE 2\nFROBNICATE 1\n').message).toBe('line 2: unknown keyword "FROBNICATE".');
    expect(parseError('# only a comment\n').message).toMatch(/^line 1: no LUT_3D_SIZE line/);
    expect(parseError('').line).toBe(1);
  });
});
