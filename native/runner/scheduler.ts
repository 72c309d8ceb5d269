/**
 * DDIM (eta = 0) with trailing timestep spacing, v-prediction and sample clipping, over the
 * cosine schedule with zero terminal SNR (manifest.scheduler; native/training/model.py
 * alphas_cumprod and reference_sampler.py). Scalars are float64; every tensor operation is
 * rounded to float32 exactly where numpy rounds it, so results match the reference bit for bit
 * given the same model outputs.
 */
const f = Math.fround;

export interface ScheduleSpec {
  train_timesteps: number;
  cosine_s: number;
  clip_sample: boolean;
  clip_range: number;
}

/** ᾱ(t) for t = 0..T-1; ᾱ(-1) = 1 (the step after the last). */
export function alphaBar(t: number, spec: Pick<ScheduleSpec, 'train_timesteps' | 'cosine_s'>): number {
  if (t < 0) return 1;
  const s = spec.cosine_s;
  const T = spec.train_timesteps;
  const u = (t + 1) / T;
  const g = Math.cos(((u + s) / (1 + s)) * Math.PI / 2) ** 2;
  const g0 = Math.cos((s / (1 + s)) * Math.PI / 2) ** 2;
  return Math.min(1, Math.max(0, g / g0));
}

/** Trailing spacing: t_i = floor((S - i) * T / S) - 1, i = 0..S-1 (S=20, T=1000: 999, 949, …, 49). */
export function ddimTimesteps(steps: number, trainTimesteps: number): number[] {
  return Array.from({ length: steps }, (_, i) => Math.floor(((steps - i) * trainTimesteps) / steps) - 1);
}

/**
 * Remix (video-to-video): how many of the S timesteps run for a given strength.
 * k = round(strength · S) (at least 1 when strength > 0); the run starts at index S - k, with
 * the source noised to t_{S-k}: x = √ᾱ · x_src + √(1-ᾱ) · ε. Strength 1 starts from pure noise
 * (ᾱ(T-1) = 0: plain text-to-video); strength 0 runs nothing and returns the source.
 */
export function remixStepCount(steps: number, strength: number): number {
  if (strength <= 0) return 0;
  return Math.min(steps, Math.max(1, Math.round(strength * steps)));
}

/** x = √ᾱ·x0 + √(1-ᾱ)·ε, in float32 (in place into `out`). */
export function noiseTo(x0: Float32Array, eps: Float32Array, abar: number, out: Float32Array): Float32Array {
  const sa = f(Math.sqrt(abar));
  const s1a = f(Math.sqrt(1 - abar));
  for (let k = 0; k < out.length; k++) out[k] = f(f(sa * x0[k]!) + f(s1a * eps[k]!));
  return out;
}

/** Classifier-free guidance: v = v_u + g (v_c − v_u); `v2` is the batch-2 output [cond rows, uncond rows]. */
export function combineGuidance(v2: Float32Array, n: number, guidance: number, out: Float32Array): Float32Array {
  const g = f(guidance);
  for (let k = 0; k < n; k++) {
    const vu = v2[n + k]!;
    out[k] = f(vu + f(g * f(v2[k]! - vu)));
  }
  return out;
}

/**
 * One DDIM step from ᾱ = a to ᾱ' = aNext with v-prediction:
 *   x0 = clip(√a·x − √(1−a)·v), ε = √(1−a)·x + √a·v, x' = √a'·x0 + √(1−a')·ε.
 * Writes x' into `x` (in place).
 */
export function ddimStep(x: Float32Array, v: Float32Array, a: number, aNext: number, spec: Pick<ScheduleSpec, 'clip_sample' | 'clip_range'>): void {
  const sa = f(Math.sqrt(a));
  const s1a = f(Math.sqrt(1 - a));
  const san = f(Math.sqrt(aNext));
  const s1an = f(Math.sqrt(1 - aNext));
  const lo = -spec.clip_range;
  const hi = spec.clip_range;
  const clip = spec.clip_sample;
  for (let k = 0; k < x.length; k++) {
    const xk = x[k]!;
    const vk = v[k]!;
    let x0 = f(f(sa * xk) - f(s1a * vk));
    if (clip) x0 = x0 < lo ? lo : x0 > hi ? hi : x0;
    const eps = f(f(s1a * xk) + f(sa * vk));
    x[k] = f(f(san * x0) + f(s1an * eps));
  }
}
