import { describe, expect, it } from 'vitest';
import { compileGrade, gradeFn, linearToSrgb, srgbToLinear, whiteBalanceGains } from '../../../app/color/compile.js';
import { identityLut, parseCube, writeCube } from '../../../app/color/cube.js';
import { canonicalJson, gradeKey, sha256Text } from '../../../app/color/hash.js';
import { applyLutRgba8, sampleLut } from '../../../app/color/interp.js';
import { histogram, waveform } from '../../../app/color/scopes.js';
import { gradeSchema } from '../../../app/color/schema.js';
import { NEUTRAL_GRADE, isNeutralGrade, type ColorGrade, type Lut3D } from '../../../app/model/color.js';

const g = (over: Partial<ColorGrade>): ColorGrade => ({ ...structuredClone(NEUTRAL_GRADE), ...over });

/** Value of a compiled LUT at lattice point (r, g, b). */
function at(lut: Lut3D, r: number, gg: number, b: number): [number, number, number] {
  const o = ((b * lut.size + gg) * lut.size + r) * 3;
  return [lut.data[o]!, lut.data[o + 1]!, lut.data[o + 2]!];
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('grade → LUT', () => {
  it('a neutral grade compiles to the identity LUT', () => {
    const lut = compileGrade(NEUTRAL_GRADE, null);
    expect(lut.size).toBe(33);
    expect(maxDiff(lut.data, identityLut(33).data)).toBeLessThanOrEqual(5e-7);
    expect(isNeutralGrade(NEUTRAL_GRADE)).toBe(true);
    expect(isNeutralGrade(g({ exposure: 0.1 }))).toBe(false);
  });

  it('the fast compile equals the per-color reference (gradeFn) at every lattice point', () => {
    const imported = identityLut(9);
    for (let i = 0; i < imported.data.length; i++) imported.data[i] = Math.sqrt(imported.data[i]!) * 0.9 + 0.05;
    imported.domainMin = [-0.1, 0, 0];
    const sha = '9'.repeat(64);
    const ref = { sha256: sha, path: `media/luts/${sha}.cube`, name: 'r.cube', title: '', size: 9 };
    const grades = [g({ exposure: 0.4, saturation: 1 }), g({ exposure: -0.3, saturation: 1.3, gamma: { r: 1.1, g: 0.9, b: 1, m: 1.2 } }), { ...g({ contrast: 0.2, tint: 0.3, lift: { r: 0.02, g: 0, b: 0, m: 0.01 } }), lut: ref, lutStrength: 0.7 }];
    for (const grade of grades) {
      const lut = compileGrade(grade, imported, { size: 17 });
      const fn = gradeFn(grade, imported);
      const c = [0, 0, 0];
      for (let b = 0; b < 17; b++)
        for (let gg = 0; gg < 17; gg++)
          for (let r = 0; r < 17; r++) {
            c[0] = r / 16; c[1] = gg / 16; c[2] = b / 16;
            fn(c);
            const got = at(lut, r, gg, b);
            for (let i = 0; i < 3; i++) expect(got[i]).toBe(Math.fround(Math.round(c[i]! * 1e6) / 1e6));
          }
    }
  });

  it('sRGB transfer functions invert each other', () => {
    for (let v = 0; v <= 1; v += 0.01) expect(linearToSrgb(srgbToLinear(v))).toBeCloseTo(v, 12);
  });

  it('exposure +1 doubles linear light (clipped at white); -1 halves it', () => {
    const up = compileGrade(g({ exposure: 1 }), null);
    const down = compileGrade(g({ exposure: -1 }), null);
    for (const i of [0, 3, 8, 12, 16, 20, 32]) {
      const v = i / 32;
      const [r, gg, b] = at(up, i, i, i);
      const expected = linearToSrgb(Math.min(1, 2 * srgbToLinear(v)));
      for (const c of [r, gg, b]) expect(c).toBeCloseTo(expected, 5);
      expect(srgbToLinear(at(down, i, i, i)[0])).toBeCloseTo(srgbToLinear(v) / 2, 5);
    }
  });

  it('contrast pivots on mid grey, saturation 0 gives Rec.709 luma, LGG behave', () => {
    const pivot = linearToSrgb(0.18);
    const c = [pivot, pivot, pivot];
    gradeFn(g({ contrast: 0.8 }), null)(c);
    expect(c[0]).toBeCloseTo(pivot, 12);
    const mono = compileGrade(g({ saturation: 0 }), null);
    const [r, gg, b] = at(mono, 32, 0, 0); // pure red
    expect(r).toBeCloseTo(0.2126, 5);
    expect(gg).toBeCloseTo(0.2126, 5);
    expect(b).toBeCloseTo(0.2126, 5);
    // Lift raises black, leaves white; gain scales white; gamma > 1 brightens mids, keeps ends.
    const lift = compileGrade(g({ lift: { r: 0.1, g: 0, b: 0, m: 0.1 } }), null);
    expect(at(lift, 0, 0, 0)).toEqual([expect.closeTo(0.2, 5), expect.closeTo(0.1, 5), expect.closeTo(0.1, 5)]);
    expect(at(lift, 32, 32, 32)[0]).toBeCloseTo(1, 5);
    const gain = compileGrade(g({ gain: { r: 1, g: 1, b: 0.5, m: 1 } }), null);
    expect(at(gain, 32, 32, 32)[2]).toBeCloseTo(0.5, 5);
    const gamma = compileGrade(g({ gamma: { r: 1, g: 1, b: 1, m: 2 } }), null);
    expect(at(gamma, 16, 16, 16)[0]).toBeCloseTo(Math.sqrt(0.5), 5);
    expect(at(gamma, 0, 0, 0)[0]).toBe(0);
    expect(at(gamma, 32, 32, 32)[0]).toBe(1);
  });

  it('temperature warms and tint goes magenta while grey keeps its luminance', () => {
    const [r, gg, b] = whiteBalanceGains(0.5, 0);
    expect(r).toBeGreaterThan(1);
    expect(b).toBeLessThan(1);
    expect(0.2126 * r + 0.7152 * gg + 0.0722 * b).toBeCloseTo(1, 12);
    const [, tg] = whiteBalanceGains(0, 0.5);
    expect(tg).toBeLessThan(1);
  });

  it('an imported LUT is applied through its domain and mixed by strength', () => {
    // An "invert" LUT over the domain [0, 2]: f(x) = 1 - x/2 per channel.
    const inv = identityLut(17);
    for (let i = 0; i < inv.data.length; i++) inv.data[i] = 1 - inv.data[i]!;
    inv.domainMax = [2, 2, 2];
    const ref = { sha256: 'a'.repeat(64), path: `media/luts/${'a'.repeat(64)}.cube`, name: 'inv.cube', title: '', size: 17 };
    const full = compileGrade(g({ lut: ref, lutStrength: 1 }), inv);
    const half = compileGrade(g({ lut: ref, lutStrength: 0.5 }), inv);
    const v = 16 / 32;
    expect(at(full, 16, 16, 16)[0]).toBeCloseTo(1 - v / 2, 5);
    expect(at(half, 16, 16, 16)[0]).toBeCloseTo(v + (1 - v / 2 - v) * 0.5, 5);
    expect(() => compileGrade(g({ lut: ref }), null)).toThrow(/needed/);
    // A 65-point LUT keeps its resolution.
    expect(compileGrade(g({ lut: { ...ref, size: 65 } }), { ...identityLut(65) }).size).toBe(65);
  });

  it('tetrahedral sampling reproduces any LUT at its lattice points and is exact for linear LUTs', () => {
    const lut = compileGrade(g({ exposure: 0.7, saturation: 1.4, lift: { r: 0.02, g: -0.01, b: 0.03, m: 0 } }), null, { size: 17 });
    const out = [0, 0, 0];
    sampleLut(lut, 5 / 16, 9 / 16, 13 / 16, out);
    expect(out).toEqual(at(lut, 5, 9, 13).map((x) => expect.closeTo(x, 6)));
    // Identity: interpolation anywhere gives the input back (tetrahedral is exact on linear maps).
    const id = identityLut(9);
    for (const [r, gg, b] of [[0.13, 0.77, 0.5], [0.9, 0.2, 0.21], [0.5, 0.5, 0.5]] as const) {
      sampleLut(id, r, gg, b, out);
      expect(out.map((x) => Math.round(x * 1e6) / 1e6)).toEqual([r, gg, b]);
      sampleLut(id, r, gg, b, out, 'trilinear');
      expect(out.map((x) => Math.round(x * 1e6) / 1e6)).toEqual([r, gg, b]);
    }
  });

  it('applyLutRgba8 with an identity LUT returns the input (both interpolations)', () => {
    const px = new Uint8Array(256 * 4);
    for (let i = 0; i < 256; i++) px.set([i, 255 - i, (i * 7) % 256, 200], i * 4);
    for (const interp of ['tetrahedral', 'trilinear'] as const) {
      const out = new Uint8Array(px.length);
      applyLutRgba8(parseCube(writeCube(identityLut(33))), px, out, 4, interp);
      // ffmpeg truncates: v/255·32 through the identity and back ·255 may land a hair below v.
      let worst = 0;
      for (let i = 0; i < px.length; i++) worst = Math.max(worst, Math.abs(out[i]! - px[i]!));
      expect(worst).toBeLessThanOrEqual(1);
      expect(out[3]).toBe(200);
    }
  });

  it('keys: equal grades give equal keys; the LUT name does not count, its content does', () => {
    const ref = { sha256: 'b'.repeat(64), path: `media/luts/${'b'.repeat(64)}.cube`, name: 'x.cube', title: 'X', size: 33 };
    const a = g({ exposure: 0.5, lut: ref });
    expect(gradeKey(a)).toBe(gradeKey(structuredClone(a)));
    expect(gradeKey(a)).toBe(gradeKey({ ...a, lut: { ...ref, name: 'renamed.cube' } }));
    expect(gradeKey(a)).not.toBe(gradeKey({ ...a, lut: { ...ref, sha256: 'c'.repeat(64), path: `media/luts/${'c'.repeat(64)}.cube` } }));
    expect(gradeKey(a)).not.toBe(gradeKey({ ...a, exposure: 0.51 }));
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe('{"a":[1,{"c":3,"d":2}],"b":1}');
    expect(sha256Text('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Text('a'.repeat(1000))).toBe('41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3');
  });

  it('the schema accepts a full grade and refuses out-of-range values and foreign LUT paths', () => {
    expect(gradeSchema.safeParse(NEUTRAL_GRADE).success).toBe(true);
    expect(gradeSchema.safeParse(g({ exposure: 9 })).success).toBe(false);
    expect(gradeSchema.safeParse(g({ gain: { r: 1, g: 1, b: 1, m: -1 } })).success).toBe(false);
    const sha = 'd'.repeat(64);
    const ok = { sha256: sha, path: `media/luts/${sha}.cube`, name: 'l.cube', title: '', size: 33 };
    expect(gradeSchema.safeParse(g({ lut: ok })).success).toBe(true);
    expect(gradeSchema.safeParse(g({ lut: { ...ok, path: '../../etc/passwd' } })).success).toBe(false);
    expect(gradeSchema.safeParse(g({ lut: { ...ok, path: `media/luts/${'e'.repeat(64)}.cube` } })).success).toBe(false);
  });
});

describe('scopes', () => {
  it('histogram counts each channel; waveform bins luma per column', () => {
    const px = new Uint8Array([255, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 255]);
    const h = histogram(px);
    expect(h.r[255]).toBe(2);
    expect(h.r[0]).toBe(2);
    expect(h.peak).toBe(3); // blue: 0 three times
    const w = waveform(px, 2, 2, 2);
    expect(w.counts[0 * 256 + 54]).toBe(1); // red → luma 54
    expect(w.counts[0 * 256 + 255]).toBe(1);
    expect(w.counts[1 * 256 + 0]).toBe(2);
  });
});
