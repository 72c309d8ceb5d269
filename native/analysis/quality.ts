/**
 * Frame cleanliness: the high-frequency energy of a clip (evaluate.hf_energy), the mean squared
 * difference between every pixel and its 3×3 box average (edges replicated), in [0, 1] pixel units.
 * Per-pixel grain raises it; flat areas and clean edges keep it at the level of rendered clips.
 */
export function hfEnergy(frames: Uint8Array, F: number, H: number, W: number): number {
  let sum = 0;
  for (let f = 0; f < F; f++)
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        for (let ch = 0; ch < 3; ch++) {
          let box = 0;
          for (let dy = -1; dy <= 1; dy++)
            for (let dx = -1; dx <= 1; dx++) {
              const yy = Math.min(H - 1, Math.max(0, y + dy));
              const xx = Math.min(W - 1, Math.max(0, x + dx));
              box += frames[((f * H + yy) * W + xx) * 3 + ch]!;
            }
          const d = (frames[((f * H + y) * W + x) * 3 + ch]! - box / 9) / 255;
          sum += d * d;
        }
  return sum / (F * H * W * 3);
}

/** PSNR in dB between two uint8 images of the same size (99 when identical). */
export function psnr(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`psnr: sizes differ (${a.length} vs ${b.length})`);
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i]! - b[i]!) ** 2;
  const mse = se / a.length / 255 ** 2;
  return mse === 0 ? 99 : 10 * Math.log10(1 / mse);
}
