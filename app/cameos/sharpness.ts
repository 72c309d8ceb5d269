/**
 * Which frames of a capture are sharpest: the variance of the Laplacian of the luma (a blurred
 * or moving frame has weak edges, so a low variance). Pure, on 8-bit grey pixels, so main
 * (frames decoded by ffmpeg) and the renderer (a canvas of the recording) score frames alike.
 */
export function laplacianVariance(gray: Uint8Array, width: number, height: number): number {
  if (width < 3 || height < 3) return 0;
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const i = row + x;
      const v = gray[i - width]! + gray[i + width]! + gray[i - 1]! + gray[i + 1]! - 4 * gray[i]!;
      sum += v;
      sumSq += v * v;
      n++;
    }
  }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

/** RGBA (canvas ImageData) to grey with the BT.601 luma weights. */
export function rgbaToGray(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let i = 0, j = 0; j < out.length; i += 4, j++) out[j] = (rgba[i]! * 299 + rgba[i + 1]! * 587 + rgba[i + 2]! * 114) / 1000;
  return out;
}

/**
 * The `count` sharpest frames, at least `minGap` apart in time so the suggestions are not
 * three copies of one moment; returned in time order.
 */
export function suggestSharpest<T extends { t: number; sharpness: number }>(frames: readonly T[], count: number, minGap: number): T[] {
  const picked: T[] = [];
  for (const f of [...frames].sort((a, b) => b.sharpness - a.sharpness)) {
    if (picked.length >= count) break;
    if (picked.every((p) => Math.abs(p.t - f.t) >= minGap)) picked.push(f);
  }
  return picked.sort((a, b) => a.t - b.t);
}
