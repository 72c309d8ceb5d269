/**
 * Seeded Gaussian noise, bit-identical to native/training/reference_sampler.py
 * (manifest.noise): mulberry32 on uint32 with wrap-around, uniforms (next() + 0.5) / 2^32,
 * Box-Muller in float64 pairs (z0 = r cos 2πu2, z1 = r sin 2πu2), each rounded to float32.
 */

/** A mulberry32 generator: returns successive uint32 outputs. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t = ((t + Math.imul(t ^ (t >>> 7), t | 61)) >>> 0) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** `n` standard normals from `seed` (C order of the latent tensor). */
export function gaussianNoise(seed: number, n: number): Float32Array {
  const next = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = (next() + 0.5) / 4294967296;
    const u2 = (next() + 0.5) / 4294967296;
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}
