/** Scopes of a frame (RGBA8 pixels, rows top first): RGB histogram and a luma waveform. */

export interface Histogram {
  r: Uint32Array;
  g: Uint32Array;
  b: Uint32Array;
  /** Largest bin over the three channels (for scaling the plot). */
  peak: number;
}

export function histogram(px: Uint8Array | Uint8ClampedArray): Histogram {
  const r = new Uint32Array(256), g = new Uint32Array(256), b = new Uint32Array(256);
  for (let i = 0; i < px.length; i += 4) {
    r[px[i]!]!++;
    g[px[i + 1]!]!++;
    b[px[i + 2]!]!++;
  }
  let peak = 0;
  for (let i = 0; i < 256; i++) peak = Math.max(peak, r[i]!, g[i]!, b[i]!);
  return { r, g, b, peak };
}

export interface Waveform {
  columns: number;
  /** columns × 256 counts: column-major (column c, level v at c·256 + v), level = Rec.709 luma. */
  counts: Uint32Array;
  peak: number;
}

/** Luma waveform: for each of `columns` vertical strips, how many pixels sit at each level. */
export function waveform(px: Uint8Array | Uint8ClampedArray, width: number, height: number, columns = Math.min(width, 256)): Waveform {
  const counts = new Uint32Array(columns * 256);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const luma = Math.round(0.2126 * px[i]! + 0.7152 * px[i + 1]! + 0.0722 * px[i + 2]!);
      const c = Math.min(columns - 1, Math.floor((x * columns) / width));
      counts[c * 256 + luma]!++;
    }
  }
  let peak = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i]! > peak) peak = counts[i]!;
  return { columns, counts, peak };
}
