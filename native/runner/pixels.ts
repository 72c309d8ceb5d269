/**
 * Pixel conversions between model space (float32 in [-1, 1], channel-first) and RGB uint8
 * (channel-last), as native/training/dataset.py does them (numpy float32 arithmetic):
 *   from_model: uint8 = floor(clip((x + 1) * 127.5 + 0.5, 0, 255))
 *   to_model:   x = uint8 / 127.5 - 1
 */
const f = Math.fround;

/** [3, F, H, W] float → [F, H, W, 3] uint8. */
export function latentToFrames(x: Float32Array, frames: number, height: number, width: number): Uint8Array {
  const hw = height * width;
  const out = new Uint8Array(frames * hw * 3);
  for (let c = 0; c < 3; c++) {
    for (let fr = 0; fr < frames; fr++) {
      const base = (c * frames + fr) * hw;
      for (let p = 0; p < hw; p++) {
        let v = f(f(f(x[base + p]! + 1) * 127.5) + 0.5);
        v = v < 0 ? 0 : v > 255 ? 255 : v;
        out[(fr * hw + p) * 3 + c] = Math.floor(v);
      }
    }
  }
  return out;
}

/** [H, W, 3] uint8 → [3, H, W] float (one frame, e.g. a reference image). */
export function frameToModel(rgb: Uint8Array, height: number, width: number): Float32Array {
  const hw = height * width;
  const out = new Float32Array(3 * hw);
  for (let p = 0; p < hw; p++) for (let c = 0; c < 3; c++) out[c * hw + p] = f(f(rgb[p * 3 + c]! / 127.5) - 1);
  return out;
}

/** [F, H, W, 3] uint8 → [3, F, H, W] float (a source clip for remix). */
export function framesToLatent(rgb: Uint8Array, frames: number, height: number, width: number): Float32Array {
  const hw = height * width;
  const out = new Float32Array(3 * frames * hw);
  for (let fr = 0; fr < frames; fr++)
    for (let p = 0; p < hw; p++) for (let c = 0; c < 3; c++) out[(c * frames + fr) * hw + p] = f(f(rgb[(fr * hw + p) * 3 + c]! / 127.5) - 1);
  return out;
}
