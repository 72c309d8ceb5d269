/**
 * Sampling a 3D LUT, the way ffmpeg's lut3d filter does it (libavfilter/vf_lut3d.c), so a
 * CPU application here, the WebGL preview (renderer/src/gl/lut-shader.ts) and the export
 * agree: the same lattice cell (prev = floor(s), next = min(prev + 1, size - 1)), the same
 * tetrahedron choice (strict comparisons, ties to the later branch), the same weights.
 *
 * `applyLutRgba8` reproduces ffmpeg's 8-bit path operation for operation in float32
 * (Math.fround) and truncates the result like its av_clip_uint8((int)(v * 255)).
 */
import type { Lut3D, LutInterp } from '../model/color.js';

/** The interpolation both the preview and the export use. */
export const LUT_INTERP: LutInterp = 'tetrahedral';

/**
 * Tetrahedral interpolation at lattice coordinates (sr, sg, sb) ∈ [0, size-1]³, in float64.
 * Writes R, G, B to out[0..2].
 */
export function tetrahedral(data: Float32Array, size: number, sr: number, sg: number, sb: number, out: Float64Array | number[]): void {
  const pr = Math.floor(sr), pg = Math.floor(sg), pb = Math.floor(sb);
  const nr = pr < size - 1 ? pr + 1 : size - 1, ng = pg < size - 1 ? pg + 1 : size - 1, nb = pb < size - 1 ? pb + 1 : size - 1;
  const dr = sr - pr, dg = sg - pg, db = sb - pb;
  const s2 = size * size;
  // Indices of (r, g, b) lattice points: ((b·size + g)·size + r)·3.
  const c000 = (pb * s2 + pg * size + pr) * 3;
  const c111 = (nb * s2 + ng * size + nr) * 3;
  let a: number, b: number, w0: number, w1: number, w2: number, w3: number;
  if (dr > dg) {
    if (dg > db) {
      a = (pb * s2 + pg * size + nr) * 3; b = (pb * s2 + ng * size + nr) * 3;
      w0 = 1 - dr; w1 = dr - dg; w2 = dg - db; w3 = db;
    } else if (dr > db) {
      a = (pb * s2 + pg * size + nr) * 3; b = (nb * s2 + pg * size + nr) * 3;
      w0 = 1 - dr; w1 = dr - db; w2 = db - dg; w3 = dg;
    } else {
      a = (nb * s2 + pg * size + pr) * 3; b = (nb * s2 + pg * size + nr) * 3;
      w0 = 1 - db; w1 = db - dr; w2 = dr - dg; w3 = dg;
    }
  } else if (db > dg) {
    a = (nb * s2 + pg * size + pr) * 3; b = (nb * s2 + ng * size + pr) * 3;
    w0 = 1 - db; w1 = db - dg; w2 = dg - dr; w3 = dr;
  } else if (db > dr) {
    a = (pb * s2 + ng * size + pr) * 3; b = (nb * s2 + ng * size + pr) * 3;
    w0 = 1 - dg; w1 = dg - db; w2 = db - dr; w3 = dr;
  } else {
    a = (pb * s2 + ng * size + pr) * 3; b = (pb * s2 + ng * size + nr) * 3;
    w0 = 1 - dg; w1 = dg - dr; w2 = dr - db; w3 = db;
  }
  out[0] = w0 * data[c000]! + w1 * data[a]! + w2 * data[b]! + w3 * data[c111]!;
  out[1] = w0 * data[c000 + 1]! + w1 * data[a + 1]! + w2 * data[b + 1]! + w3 * data[c111 + 1]!;
  out[2] = w0 * data[c000 + 2]! + w1 * data[a + 2]! + w2 * data[b + 2]! + w3 * data[c111 + 2]!;
}

/** Trilinear interpolation at lattice coordinates, in float64 (ffmpeg's lerp order: r, then g, then b). */
export function trilinear(data: Float32Array, size: number, sr: number, sg: number, sb: number, out: Float64Array | number[]): void {
  const pr = Math.floor(sr), pg = Math.floor(sg), pb = Math.floor(sb);
  const nr = Math.min(pr + 1, size - 1), ng = Math.min(pg + 1, size - 1), nb = Math.min(pb + 1, size - 1);
  const dr = sr - pr, dg = sg - pg, db = sb - pb;
  const at = (r: number, g: number, b: number) => ((b * size + g) * size + r) * 3;
  for (let c = 0; c < 3; c++) {
    const l = (r0: number, r1: number, f: number) => r0 + (r1 - r0) * f;
    const c00 = l(data[at(pr, pg, pb) + c]!, data[at(nr, pg, pb) + c]!, dr);
    const c10 = l(data[at(pr, ng, pb) + c]!, data[at(nr, ng, pb) + c]!, dr);
    const c01 = l(data[at(pr, pg, nb) + c]!, data[at(nr, pg, nb) + c]!, dr);
    const c11 = l(data[at(pr, ng, nb) + c]!, data[at(nr, ng, nb) + c]!, dr);
    out[c] = l(l(c00, c10, dg), l(c01, c11, dg), db);
  }
}

/**
 * Look up an RGB value given in the LUT's own domain units: it is mapped through
 * DOMAIN_MIN/DOMAIN_MAX to the lattice, clamped to it, and interpolated.
 */
export function sampleLut(lut: Lut3D, r: number, g: number, b: number, out: Float64Array | number[], interp: LutInterp = LUT_INTERP): void {
  const m = lut.size - 1;
  const lo = lut.domainMin, hi = lut.domainMax;
  let sr = ((r - lo[0]) / (hi[0] - lo[0])) * m;
  let sg = ((g - lo[1]) / (hi[1] - lo[1])) * m;
  let sb = ((b - lo[2]) / (hi[2] - lo[2])) * m;
  sr = sr < 0 ? 0 : sr > m ? m : sr;
  sg = sg < 0 ? 0 : sg > m ? m : sg;
  sb = sb < 0 ? 0 : sb > m ? m : sb;
  (interp === 'trilinear' ? trilinear : tetrahedral)(lut.data, lut.size, sr, sg, sb, out);
}

const f = Math.fround;

/**
 * Apply a LUT (domain [0,1]) to 8-bit RGBA (or RGB with channels = 3) pixels exactly as
 * ffmpeg's lut3d does for rgb24/rgba: float32 arithmetic, truncation to 8 bits. Alpha is
 * copied. `dst` may be `src`.
 */
export function applyLutRgba8(lut: Lut3D, src: Uint8Array | Uint8ClampedArray, dst: Uint8Array | Uint8ClampedArray, channels: 3 | 4 = 4, interp: LutInterp = LUT_INTERP): void {
  const size = lut.size;
  const data = lut.data;
  const lutMax = size - 1;
  // Per 8-bit input value: ffmpeg's scaled = clip((v * (1/255)) * (scale * lut_max)), in float32.
  const scaleF = f(1 / 255);
  const scale = [0, 1, 2].map((c) => f(f(Math.min(1, Math.max(0, 1 / (lut.domainMax[c]! - lut.domainMin[c]!)))) * lutMax));
  const prev = [new Int32Array(256), new Int32Array(256), new Int32Array(256)];
  const frac = [new Float32Array(256), new Float32Array(256), new Float32Array(256)];
  for (let c = 0; c < 3; c++) {
    for (let v = 0; v < 256; v++) {
      let s = f(f(v * scaleF) * scale[c]!);
      s = s < 0 ? 0 : s > lutMax ? lutMax : s;
      const p = Math.trunc(s);
      prev[c]![v] = p;
      frac[c]![v] = f(s - p);
    }
  }
  const [pR, pG, pB] = prev as [Int32Array, Int32Array, Int32Array];
  const [fR, fG, fB] = frac as [Float32Array, Float32Array, Float32Array];
  const s2 = size * size;
  const tri = interp === 'trilinear';
  const n = src.length;
  for (let i = 0; i < n; i += channels) {
    const r = src[i]!, g = src[i + 1]!, b = src[i + 2]!;
    const pr = pR[r]!, pg = pG[g]!, pb = pB[b]!;
    const dr = fR[r]!, dg = fG[g]!, db = fB[b]!;
    const nr = pr < lutMax ? pr + 1 : lutMax, ng = pg < lutMax ? pg + 1 : lutMax, nb = pb < lutMax ? pb + 1 : lutMax;
    let outR: number, outG: number, outB: number;
    if (tri) {
      const o = (rr: number, gg: number, bb: number) => (bb * s2 + gg * size + rr) * 3;
      const lerp = (a: number, b2: number, t: number) => f(a + f(f(b2 - a) * t));
      const ch = (c: number) => {
        const c00 = lerp(data[o(pr, pg, pb) + c]!, data[o(nr, pg, pb) + c]!, dr);
        const c10 = lerp(data[o(pr, ng, pb) + c]!, data[o(nr, ng, pb) + c]!, dr);
        const c01 = lerp(data[o(pr, pg, nb) + c]!, data[o(nr, pg, nb) + c]!, dr);
        const c11 = lerp(data[o(pr, ng, nb) + c]!, data[o(nr, ng, nb) + c]!, dr);
        return lerp(lerp(c00, c10, dg), lerp(c01, c11, dg), db);
      };
      outR = ch(0); outG = ch(1); outB = ch(2);
    } else {
      const c000 = (pb * s2 + pg * size + pr) * 3;
      const c111 = (nb * s2 + ng * size + nr) * 3;
      let a: number, b2: number, w0: number, w1: number, w2: number, w3: number;
      if (dr > dg) {
        if (dg > db) {
          a = (pb * s2 + pg * size + nr) * 3; b2 = (pb * s2 + ng * size + nr) * 3;
          w0 = f(1 - dr); w1 = f(dr - dg); w2 = f(dg - db); w3 = db;
        } else if (dr > db) {
          a = (pb * s2 + pg * size + nr) * 3; b2 = (nb * s2 + pg * size + nr) * 3;
          w0 = f(1 - dr); w1 = f(dr - db); w2 = f(db - dg); w3 = dg;
        } else {
          a = (nb * s2 + pg * size + pr) * 3; b2 = (nb * s2 + pg * size + nr) * 3;
          w0 = f(1 - db); w1 = f(db - dr); w2 = f(dr - dg); w3 = dg;
        }
      } else if (db > dg) {
        a = (nb * s2 + pg * size + pr) * 3; b2 = (nb * s2 + ng * size + pr) * 3;
        w0 = f(1 - db); w1 = f(db - dg); w2 = f(dg - dr); w3 = dr;
      } else if (db > dr) {
        a = (pb * s2 + ng * size + pr) * 3; b2 = (nb * s2 + ng * size + pr) * 3;
        w0 = f(1 - dg); w1 = f(dg - db); w2 = f(db - dr); w3 = dr;
      } else {
        a = (pb * s2 + ng * size + pr) * 3; b2 = (pb * s2 + ng * size + nr) * 3;
        w0 = f(1 - dg); w1 = f(dg - dr); w2 = f(dr - db); w3 = db;
      }
      // C evaluates left to right in float: ((w0·c000 + w1·a) + w2·b) + w3·c111.
      outR = f(f(f(f(w0 * data[c000]!) + f(w1 * data[a]!)) + f(w2 * data[b2]!)) + f(w3 * data[c111]!));
      outG = f(f(f(f(w0 * data[c000 + 1]!) + f(w1 * data[a + 1]!)) + f(w2 * data[b2 + 1]!)) + f(w3 * data[c111 + 1]!));
      outB = f(f(f(f(w0 * data[c000 + 2]!) + f(w1 * data[a + 2]!)) + f(w2 * data[b2 + 2]!)) + f(w3 * data[c111 + 2]!));
    }
    dst[i] = to8(outR);
    dst[i + 1] = to8(outG);
    dst[i + 2] = to8(outB);
    if (channels === 4) dst[i + 3] = src[i + 3]!;
  }
}

/** av_clip_uint8((int)(v * 255.0f)): truncate toward zero, then clamp. */
function to8(v: number): number {
  const x = Math.trunc(f(v * 255));
  return x < 0 ? 0 : x > 255 ? 255 : x;
}
