/**
 * Prompt adherence of generated clips, without learned parts: a TypeScript port of the frame
 * analyzer in native/training/evaluate.py (same thresholds, same order of operations).
 *
 *   - pre-filter: a 3×3 box blur (edge-replicated) of every frame, for the mask and centroids
 *     only: the small model's samples are grainy; colour is measured on the raw pixels;
 *   - background: per frame, a plane a + b·x + c·y per channel fitted by least squares, refitted
 *     on the pixels it explains (residual < 0.12), three times;
 *   - object: pixels whose RGB distance to the plane is > 0.2 (> 0.3 for colour);
 *   - colour: mean RGB of the core pixels of all frames → nearest named colour;
 *   - motion: centroid per frame, straight-line fit over frames; the dominant axis of the
 *     displacement (≥ 3 px) gives left/right/up/down ("static" below that);
 *   - size: slope of log(area) over the clip: grow / shrink / same;
 *   - shape: per frame, a soft object mask (each raw pixel projected on the background → object
 *     colour direction) is compared with every dataset shape drawn at the mask's centroid and area
 *     at a few tilts (template matching, `shapeOfFrame`); majority vote over frames.
 */

/** dataset.COLORS: name → RGB in [0, 1]. */
export const PALETTE: Record<string, [number, number, number]> = {
  red: [0.92, 0.12, 0.1],
  green: [0.1, 0.78, 0.2],
  blue: [0.15, 0.3, 0.98],
  yellow: [0.96, 0.9, 0.12],
  white: [0.96, 0.96, 0.96],
  orange: [1.0, 0.52, 0.05],
  purple: [0.62, 0.2, 0.88],
  cyan: [0.1, 0.85, 0.9],
};

/** dataset.SCREEN_DIRECTION: a camera pan moves the object the other way on screen. */
export const SCREEN_DIRECTION: Record<string, 'left' | 'right' | 'up' | 'down'> = {
  left: 'left',
  right: 'right',
  up: 'up',
  down: 'down',
  pan_left: 'right',
  pan_right: 'left',
};

const MOTION_FIRST_TEMPLATE: Record<string, string> = {
  left: '{o} moves to the left',
  right: '{o} moves to the right',
  up: '{o} moves up',
  down: '{o} moves down',
  bounce: '{o} bounces',
  spin: '{o} spins',
  grow: '{o} grows',
  shrink: '{o} shrinks',
  pan_left: 'camera pans left past {o}',
  pan_right: 'camera pans right past {o}',
  zoom_in: 'camera zooms in on {o}',
  zoom_out: 'camera zooms out from {o}',
};
const BACKGROUND_FIRST_PHRASE: Record<string, string> = { dark: 'on a dark background', gray: 'on a gray background', gradient: 'on a gradient background' };
export const BACKGROUNDS = ['dark', 'gray', 'gradient'] as const;

/** dataset.canonical_caption: the first template of everything (the evaluation prompts). */
export function canonicalCaption(color: string, shape: string, motion: string, background: string = 'dark'): string {
  const tpl = MOTION_FIRST_TEMPLATE[motion];
  const bg = BACKGROUND_FIRST_PHRASE[background];
  if (!tpl || !bg) throw new Error(`unknown motion "${motion}" or background "${background}"`);
  return `${tpl.replace('{o}', `a ${color} ${shape}`)} ${bg}`;
}

/** Area of dataset.shape_sdf(shape, r = 1) in world units². */
const SHAPE_AREA: Record<string, number> = {
  circle: Math.PI,
  square: 1.64 ** 2,
  diamond: 2 * 1.2 ** 2,
  triangle: ((3 * Math.sqrt(3)) / 4) * 1.25 ** 2,
  cross: 2 * 2 * 0.72 - 0.72 ** 2,
};
export const SHAPES = Object.keys(SHAPE_AREA);
/** The dataset tilts shapes by at most 0.25 rad (spinning clips aside). */
const SHAPE_ANGLES = [-0.3, -0.15, 0, 0.15, 0.3];

function boxSdf(px: number, py: number, bx: number, by: number): number {
  const dx = Math.abs(px) - bx;
  const dy = Math.abs(py) - by;
  return Math.hypot(Math.max(dx, 0), Math.max(dy, 0)) + Math.min(Math.max(dx, dy), 0);
}

/** dataset.shape_sdf: signed distance of a shape of "radius" r centred at 0 (y down). */
export function shapeSdf(shape: string, px: number, py: number, r: number): number {
  switch (shape) {
    case 'circle':
      return Math.hypot(px, py) - r;
    case 'square':
      return boxSdf(px, py, 0.82 * r, 0.82 * r);
    case 'diamond':
      return (Math.abs(px) + Math.abs(py) - 1.2 * r) / Math.SQRT2;
    case 'triangle': {
      const R = 1.25 * r;
      let d = -Infinity;
      for (let k = 0; k < 3; k++) {
        const a = -Math.PI / 2 + Math.PI + (2 * Math.PI * k) / 3;
        d = Math.max(d, px * Math.cos(a) + py * Math.sin(a) - R / 2);
      }
      return d;
    }
    case 'cross':
      return Math.min(boxSdf(px, py, r, 0.36 * r), boxSdf(px, py, 0.36 * r, r));
    default:
      throw new Error(`unknown shape "${shape}"`);
  }
}

/**
 * evaluate.shape_of_frame: the dataset shape (anti-aliased like the renderer) at the soft mask's
 * centroid, with the radius that gives the mask's area, that differs least from the mask over a
 * few tilts; null when the object is small or touches the border (clipped by the frame).
 */
export function shapeOfFrame(alpha: Float64Array, H: number, W: number): string | null {
  let m = 0;
  let sx = 0;
  let sy = 0;
  let border = 0;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const a = alpha[y * W + x]!;
      m += a;
      sx += a * x;
      sy += a * y;
      if (y === 0 || y === H - 1 || x === 0 || x === W - 1) border = Math.max(border, a);
    }
  if (m < 8 || border > 0.5) return null;
  const ppu = W / 2;
  const g = (v: number) => ((v + 0.5) / W) * 2 - 1;
  const cx = g(sx / m);
  const cy = g(sy / m);
  let best: string | null = null;
  let bestErr = Infinity;
  for (const [shape, area1] of Object.entries(SHAPE_AREA)) {
    const r = Math.sqrt(m / (ppu * ppu) / area1);
    for (const ang of SHAPE_ANGLES) {
      const ca = Math.cos(ang);
      const sa = Math.sin(ang);
      let err = 0;
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) {
          const lx = g(x) - cx;
          const ly = g(y) - cy;
          const tpl = Math.min(1, Math.max(0, 0.5 - shapeSdf(shape, ca * lx + sa * ly, -sa * lx + ca * ly, r) * ppu));
          err += (tpl - alpha[y * W + x]!) ** 2;
        }
      if (err < bestErr) [best, bestErr] = [shape, err];
    }
  }
  return best;
}

export interface Analysis {
  shape: string;
  color: string;
  meanRgb?: [number, number, number];
  direction: 'left' | 'right' | 'up' | 'down' | 'static' | 'none';
  displacementPx?: [number, number];
  size: 'grow' | 'shrink' | 'same' | 'none';
  logAreaChange?: number;
  areas: number[];
  centroids: [number, number, number][];
}

/** Least squares for 3 unknowns via the normal equations (the design here is well conditioned). */
function solve3(ata: number[], atb: number[]): number[] | null {
  const m = [
    [ata[0]!, ata[1]!, ata[2]!, atb[0]!],
    [ata[3]!, ata[4]!, ata[5]!, atb[1]!],
    [ata[6]!, ata[7]!, ata[8]!, atb[2]!],
  ];
  for (let c = 0; c < 3; c++) {
    let p = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (Math.abs(m[p]![c]!) < 1e-12) return null;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < 3; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k < 4; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return [m[0]![3]! / m[0]![0]!, m[1]![3]! / m[1]![1]!, m[2]![3]! / m[2]![2]!];
}

function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

function median(v: Float64Array): number {
  const s = Float64Array.from(v).sort();
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** 3×3 box filter of one RGB frame in [0, 1], edges replicated (numpy's pad mode "edge"). */
function boxBlur3(src: Float64Array, H: number, W: number): Float64Array {
  const out = new Float64Array(src.length);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      for (let ch = 0; ch < 3; ch++) {
        let s = 0;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const yy = Math.min(H - 1, Math.max(0, y + dy));
            const xx = Math.min(W - 1, Math.max(0, x + dx));
            s += src[(yy * W + xx) * 3 + ch]!;
          }
        out[(y * W + x) * 3 + ch] = s / 9;
      }
  return out;
}

/** Analyse uint8 RGB frames [F, H, W, 3]; `smooth: false` is evaluate.py's --no-smooth. */
export function analyzeClip(frames: Uint8Array, F: number, H: number, W: number, opts: { smooth?: boolean } = {}): Analysis {
  const smooth = opts.smooth ?? true;
  const N = H * W;
  const ax = new Float64Array(N);
  const ay = new Float64Array(N);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      ax[y * W + x] = (x - W / 2) / W;
      ay[y * W + x] = (y - H / 2) / H;
    }
  const areas: number[] = [];
  const cents: [number, number, number][] = [];
  const coreSum = [0, 0, 0];
  let coreCount = 0;
  const res = new Float64Array(N);
  const raw = new Float64Array(N * 3);
  const planes: number[][][] = []; // per frame, the background plane coefficients per channel
  for (let f = 0; f < F; f++) {
    for (let i = 0; i < N * 3; i++) raw[i] = frames[f * N * 3 + i]! / 255;
    const P = smooth ? boxBlur3(raw, H, W) : raw;
    let keep = new Uint8Array(N).fill(1);
    let coef: number[][] = [];
    for (let it = 0; it < 3; it++) {
      const ata = new Array<number>(9).fill(0);
      const atb = [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ];
      for (let p = 0; p < N; p++) {
        if (!keep[p]) continue;
        const a = [1, ax[p]!, ay[p]!];
        for (let r = 0; r < 3; r++) {
          for (let c = 0; c < 3; c++) ata[r * 3 + c]! += a[r]! * a[c]!;
          for (let ch = 0; ch < 3; ch++) atb[ch]![r]! += a[r]! * P[p * 3 + ch]!;
        }
      }
      coef = [0, 1, 2].map((ch) => solve3(ata, atb[ch]!) ?? [0, 0, 0]);
      for (let p = 0; p < N; p++) {
        let s = 0;
        for (let ch = 0; ch < 3; ch++) {
          const c = coef[ch]!;
          const d = P[p * 3 + ch]! - (c[0]! + c[1]! * ax[p]! + c[2]! * ay[p]!);
          s += d * d;
        }
        res[p] = Math.sqrt(s);
      }
      let next = new Uint8Array(N);
      let count = 0;
      for (let p = 0; p < N; p++) if (res[p]! < 0.12) (next[p] = 1), count++;
      if (count < 0.3 * N) {
        // The object covers most of the frame: keep the best half.
        const med = median(res);
        next = new Uint8Array(N);
        for (let p = 0; p < N; p++) if (res[p]! <= med) next[p] = 1;
      }
      keep = next;
    }
    let n = 0;
    let sx = 0;
    let sy = 0;
    for (let p = 0; p < N; p++) {
      if (res[p]! > 0.2) {
        n++;
        sx += p % W;
        sy += Math.floor(p / W);
      }
      if (res[p]! > 0.3) {
        for (let ch = 0; ch < 3; ch++) coreSum[ch]! += raw[p * 3 + ch]!; // colour from the unfiltered pixels
        coreCount++;
      }
    }
    areas.push(n);
    planes.push(coef);
    if (n >= 3) cents.push([sx / n, sy / n, f]);
  }
  const out: Analysis = { shape: 'none', color: 'none', direction: 'none', size: 'none', areas, centroids: cents };
  if (coreCount > 0) {
    const mean = coreSum.map((v) => v / coreCount) as [number, number, number];
    let best = 'none';
    let bestD = Infinity;
    for (const [name, rgb] of Object.entries(PALETTE)) {
      const d = Math.hypot(rgb[0] - mean[0], rgb[1] - mean[1], rgb[2] - mean[2]);
      if (d < bestD) [best, bestD] = [name, d];
    }
    out.color = best;
    out.meanRgb = mean;
    out.shape = shapeVote(frames, F, H, W, planes, mean, ax, ay);
  }
  if (cents.length >= Math.floor(F / 3) && cents.length >= 2) {
    const fs = cents.map((c) => c[2]);
    const fx = slope(fs, cents.map((c) => c[0])) * (F - 1);
    const fy = slope(fs, cents.map((c) => c[1])) * (F - 1);
    out.displacementPx = [fx, fy];
    if (Math.max(Math.abs(fx), Math.abs(fy)) < 3) out.direction = 'static';
    else if (Math.abs(fx) >= Math.abs(fy)) out.direction = fx > 0 ? 'right' : 'left';
    else out.direction = fy > 0 ? 'down' : 'up';
  }
  const okF: number[] = [];
  const logA: number[] = [];
  areas.forEach((a, f) => {
    if (a >= 3) {
      okF.push(f);
      logA.push(Math.log(a));
    }
  });
  if (okF.length >= Math.floor(F / 3) && okF.length >= 2) {
    const s = slope(okF, logA) * (F - 1);
    out.logAreaChange = s;
    out.size = s > 0.3 ? 'grow' : s < -0.3 ? 'shrink' : 'same';
  }
  return out;
}

/** evaluate.shape_vote over the soft masks of all frames (raw pixels projected on bg → object colour). */
function shapeVote(frames: Uint8Array, F: number, H: number, W: number, planes: number[][][], mean: number[], ax: Float64Array, ay: Float64Array): string {
  const N = H * W;
  const votes = new Map<string, number>();
  const alpha = new Float64Array(N);
  for (let f = 0; f < F; f++) {
    const coef = planes[f]!;
    for (let p = 0; p < N; p++) {
      let num = 0;
      let den = 0;
      for (let ch = 0; ch < 3; ch++) {
        const c = coef[ch]!;
        const bg = c[0]! + c[1]! * ax[p]! + c[2]! * ay[p]!;
        const d = mean[ch]! - bg;
        num += (frames[(f * N + p) * 3 + ch]! / 255 - bg) * d;
        den += d * d;
      }
      alpha[p] = den > 0.04 ? Math.min(1, Math.max(0, num / den)) : 0;
    }
    const s = shapeOfFrame(alpha, H, W);
    if (s) votes.set(s, (votes.get(s) ?? 0) + 1);
  }
  let best = 'none';
  let bestN = 0;
  for (const k of [...votes.keys()].sort()) if (votes.get(k)! > bestN) [best, bestN] = [k, votes.get(k)!];
  return best;
}

export interface AdherenceRecord {
  shape?: string;
  color: string;
  motion: string;
  analysis: { color: string; direction: string; size: string; shape?: string };
}

/** evaluate.score: per-attribute accuracy. */
export function scoreAdherence(records: AdherenceRecord[]) {
  const acc = (v: boolean[]) => (v.length ? v.filter(Boolean).length / v.length : null);
  const col = records.map((r) => r.analysis.color === r.color);
  const dirs = records.filter((r) => r.motion in SCREEN_DIRECTION);
  const mot = dirs.map((r) => r.analysis.direction === SCREEN_DIRECTION[r.motion]);
  const both = dirs.map((r) => r.analysis.direction === SCREEN_DIRECTION[r.motion] && r.analysis.color === r.color);
  const size = records.filter((r) => r.motion === 'grow' || r.motion === 'shrink');
  const sz = size.map((r) => r.analysis.size === r.motion);
  const shp = records.filter((r) => r.shape !== undefined).map((r) => r.analysis.shape === r.shape);
  return { color_acc: acc(col), n_color: col.length, motion_acc: acc(mot), n_motion: mot.length, both_acc: acc(both), size_acc: acc(sz), n_size: sz.length, shape_acc: acc(shp), n_shape: shp.length };
}
