/**
 * Independent motion measurement for the stabilize tests and bench: phase correlation of
 * consecutive gray frames (decoded by plain ffmpeg, not by the code under test).
 *
 * For each pair of consecutive frames, the centre window (Hann-weighted) of both is
 * transformed, the normalised cross-power spectrum inverted, and the peak located with
 * sub-pixel parabolic refinement: the result is the global translation between the frames.
 */
import { execFile } from 'node:child_process';
import { FFMPEG } from '../../helpers/media-fixtures.js';

/** In-place radix-2 complex FFT over `n` values with stride; `inverse` conjugates the twiddles. */
function fft1(re: Float64Array, im: Float64Array, off: number, stride: number, n: number, inverse: boolean): void {
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const a = off + i * stride;
      const b = off + j * stride;
      let t = re[a]!;
      re[a] = re[b]!;
      re[b] = t;
      t = im[a]!;
      im[a] = im[b]!;
      im[b] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = ((inverse ? 2 : -2) * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = off + (i + k) * stride;
        const b = off + (i + k + len / 2) * stride;
        const xr = re[b]! * cr - im[b]! * ci;
        const xi = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
        const ncr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = ncr;
      }
    }
  }
}

function fft2(re: Float64Array, im: Float64Array, n: number, inverse: boolean): void {
  for (let y = 0; y < n; y++) fft1(re, im, y * n, 1, n, inverse);
  for (let x = 0; x < n; x++) fft1(re, im, x, n, n, inverse);
}

/** The centre n×n window of a gray frame, Hann-weighted, mean removed, as a spectrum. */
function spectrum(frame: Uint8Array, width: number, height: number, n: number): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  const x0 = Math.floor((width - n) / 2);
  const y0 = Math.floor((height - n) / 2);
  let mean = 0;
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) mean += frame[(y0 + y) * width + x0 + x]!;
  mean /= n * n;
  for (let y = 0; y < n; y++) {
    const wy = 0.5 - 0.5 * Math.cos((2 * Math.PI * y) / (n - 1));
    for (let x = 0; x < n; x++) {
      const wx = 0.5 - 0.5 * Math.cos((2 * Math.PI * x) / (n - 1));
      re[y * n + x] = (frame[(y0 + y) * width + x0 + x]! - mean) * wx * wy;
    }
  }
  fft2(re, im, n, false);
  return { re, im };
}

/** Translation (dx, dy) in pixels that takes frame a onto frame b. */
export function phaseShift(a: Uint8Array, b: Uint8Array, width: number, height: number, n = 128): { dx: number; dy: number } {
  const A = spectrum(a, width, height, n);
  const B = spectrum(b, width, height, n);
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    // B · conj(A), normalised to unit magnitude.
    const r = B.re[i]! * A.re[i]! + B.im[i]! * A.im[i]!;
    const m = B.im[i]! * A.re[i]! - B.re[i]! * A.im[i]!;
    const mag = Math.hypot(r, m) || 1;
    re[i] = r / mag;
    im[i] = m / mag;
  }
  fft2(re, im, n, true);
  let best = -Infinity;
  let bx = 0;
  let by = 0;
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      const v = re[y * n + x]!;
      if (v > best) {
        best = v;
        bx = x;
        by = y;
      }
    }
  const at = (x: number, y: number) => re[((y + n) % n) * n + ((x + n) % n)]!;
  const refine = (l: number, c: number, r: number) => {
    const d = l - 2 * c + r;
    return d === 0 ? 0 : Math.max(-0.5, Math.min(0.5, (l - r) / (2 * d)));
  };
  const fx = bx + refine(at(bx - 1, by), best, at(bx + 1, by));
  const fy = by + refine(at(bx, by - 1), best, at(bx, by + 1));
  return { dx: fx > n / 2 ? fx - n : fx, dy: fy > n / 2 ? fy - n : fy };
}

/** Every frame of `file` as 8-bit gray, optionally after a filter (e.g. a crop). */
export function grayFrames(file: string, opts: { filter?: string; maxFrames?: number } = {}): Promise<{ frames: Uint8Array[]; width: number; height: number }> {
  return new Promise((resolve, reject) => {
    const vf = [opts.filter, 'format=gray'].filter(Boolean).join(',');
    const args = ['-hide_banner', '-nostdin', '-v', 'error', '-i', file, '-vf', vf, ...(opts.maxFrames ? ['-frames:v', String(opts.maxFrames)] : []), '-f', 'rawvideo', 'pipe:1'];
    execFile(FFMPEG, [...args.slice(0, -3), '-f', 'image2pipe', '-vcodec', 'pgm', 'pipe:1'], { encoding: 'buffer', maxBuffer: 1 << 30 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`ffmpeg failed: ${String(stderr).slice(-800)}`));
      resolve(parsePgmStream(stdout));
    });
  });
}

/** A stream of binary PGM (P5) images, as ffmpeg's image2pipe writes them. */
function parsePgmStream(buf: Buffer): { frames: Uint8Array[]; width: number; height: number } {
  const frames: Uint8Array[] = [];
  let width = 0;
  let height = 0;
  let pos = 0;
  const token = () => {
    while (pos < buf.length && /\s/.test(String.fromCharCode(buf[pos]!))) pos++;
    const start = pos;
    while (pos < buf.length && !/\s/.test(String.fromCharCode(buf[pos]!))) pos++;
    return buf.toString('latin1', start, pos);
  };
  while (pos < buf.length) {
    if (token() !== 'P5') break;
    width = Number(token());
    height = Number(token());
    token(); // maxval
    pos++; // one whitespace byte
    frames.push(new Uint8Array(buf.subarray(pos, pos + width * height)));
    pos += width * height;
  }
  return { frames, width, height };
}

export interface MotionReport {
  /** Mean magnitude of the frame-to-frame translation, in pixels. */
  mean: number;
  /** Root mean square of the same. */
  rms: number;
  shifts: { dx: number; dy: number }[];
}

/** Frame-to-frame global motion of a clip, measured over its centre window. */
export async function measureMotion(file: string, opts: { filter?: string; window?: number } = {}): Promise<MotionReport> {
  const { frames, width, height } = await grayFrames(file, { filter: opts.filter });
  const n = opts.window ?? 128;
  const shifts: { dx: number; dy: number }[] = [];
  for (let i = 1; i < frames.length; i++) shifts.push(phaseShift(frames[i - 1]!, frames[i]!, width, height, n));
  const mags = shifts.map((s) => Math.hypot(s.dx, s.dy));
  const mean = mags.reduce((a, b) => a + b, 0) / Math.max(1, mags.length);
  const rms = Math.sqrt(mags.reduce((a, b) => a + b * b, 0) / Math.max(1, mags.length));
  return { mean, rms, shifts };
}
