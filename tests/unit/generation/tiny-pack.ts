/**
 * A complete, valid model pack with hand-built graphs whose maths is known exactly, so the
 * runner (tokenizer → text encoder → CFG batch → DDIM) can be checked against an independent
 * float64 reimplementation, and so pack validation can be tested on a pack the test controls.
 *
 *   text_encoder: text_emb = float(input_ids) @ W            (W: [L, D])
 *   denoiser:     v = K1·x_t + mean(text_emb) + K2·t + K3·cond_mask·cond_frame (broadcast over frames)
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildModel, FLOAT, INT64 } from './onnx-builder.js';

export const TINY = { F: 2, H: 4, W: 4, L: 6, D: 4, K1: 0.5, K2: 0.001, K3: 0.25 };
export const TINY_VOCAB = ['<pad>', '<unk>', '<bos>', 'a', 'red', 'circle', 'moves', 'left'];
export const TINY_W = Array.from({ length: TINY.L * TINY.D }, (_, i) => ((i * 7) % 11) / 10 - 0.5);

export function tinyTextEncoder(): Uint8Array {
  const { L, D } = TINY;
  return buildModel({
    name: 'tiny_text',
    inputs: [{ name: 'input_ids', type: INT64, shape: ['batch', L] }],
    outputs: [{ name: 'text_emb', type: FLOAT, shape: ['batch', D] }],
    initializers: [{ name: 'W', type: FLOAT, dims: [L, D], values: TINY_W }],
    nodes: [
      { op: 'Cast', inputs: ['input_ids'], outputs: ['ids_f'], attrs: { to: { i: FLOAT } } },
      { op: 'MatMul', inputs: ['ids_f', 'W'], outputs: ['text_emb'] },
    ],
  });
}

export function tinyDenoiser(opts: { xName?: string } = {}): Uint8Array {
  const { F, H, W, D, K1, K2, K3 } = TINY;
  const x = opts.xName ?? 'x_t';
  return buildModel({
    name: 'tiny_denoiser',
    inputs: [
      { name: x, type: FLOAT, shape: ['batch', 3, F, H, W] },
      { name: 't', type: FLOAT, shape: ['batch'] },
      { name: 'text_emb', type: FLOAT, shape: ['batch', D] },
      { name: 'cond_frame', type: FLOAT, shape: ['batch', 3, H, W] },
      { name: 'cond_mask', type: FLOAT, shape: ['batch', 1] },
    ],
    outputs: [{ name: 'v', type: FLOAT, shape: ['batch', 3, F, H, W] }],
    initializers: [
      { name: 'k1', type: FLOAT, dims: [], values: [K1] },
      { name: 'k2', type: FLOAT, dims: [], values: [K2] },
      { name: 'k3', type: FLOAT, dims: [], values: [K3] },
      { name: 'shape5', type: INT64, dims: [5], values: [-1, 1, 1, 1, 1] },
      { name: 'shape_cf', type: INT64, dims: [5], values: [-1, 3, 1, H, W] },
    ],
    nodes: [
      { op: 'Mul', inputs: [x, 'k1'], outputs: ['a'] },
      { op: 'ReduceMean', inputs: ['text_emb'], outputs: ['m'], attrs: { axes: { ints: [1] }, keepdims: { i: 1 } } },
      { op: 'Reshape', inputs: ['m', 'shape5'], outputs: ['m5'] },
      { op: 'Mul', inputs: ['t', 'k2'], outputs: ['tt'] },
      { op: 'Reshape', inputs: ['tt', 'shape5'], outputs: ['tt5'] },
      { op: 'Reshape', inputs: ['cond_frame', 'shape_cf'], outputs: ['cf5'] },
      { op: 'Reshape', inputs: ['cond_mask', 'shape5'], outputs: ['cm5'] },
      { op: 'Mul', inputs: ['cf5', 'cm5'], outputs: ['c0'] },
      { op: 'Mul', inputs: ['c0', 'k3'], outputs: ['c'] },
      { op: 'Add', inputs: ['a', 'm5'], outputs: ['s1'] },
      { op: 'Add', inputs: ['s1', 'tt5'], outputs: ['s2'] },
      { op: 'Add', inputs: ['s2', 'c'], outputs: ['v'] },
    ],
  });
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export function tinyManifest(te: Uint8Array, dn: Uint8Array): Record<string, unknown> {
  const { F, H, W, L, D } = TINY;
  return {
    format: 'shotline-model-pack',
    format_version: 1,
    name: 'tiny-test-pack',
    display_name: 'Tiny test pack',
    version: '0.0.1',
    tasks: ['text-to-video', 'image-to-video'],
    frames: F,
    fps: 4,
    width: W,
    height: H,
    output: { width: 16, height: 16 },
    space: 'pixel',
    latent: { shape: [3, F, H, W], scaling_factor: 1 },
    scheduler: {
      type: 'ddim',
      eta: 0,
      train_timesteps: 1000,
      schedule: 'cosine',
      cosine_s: 0.008,
      timestep_spacing: 'trailing',
      prediction_type: 'v_prediction',
      clip_sample: true,
      clip_range: 1,
      default_steps: 5,
    },
    guidance: { type: 'classifier-free', default: 3, range: [1, 8], uncond_prompt: '' },
    noise: { prng: 'mulberry32', normal: 'box-muller' },
    graphs: {
      text_encoder: {
        file: 'text_encoder.onnx',
        inputs: [{ name: 'input_ids', dtype: 'int64', shape: ['batch', L] }],
        outputs: [{ name: 'text_emb', dtype: 'float32', shape: ['batch', D] }],
        sha256: sha(te),
        bytes: te.length,
      },
      denoiser: {
        file: 'denoiser.onnx',
        inputs: [
          { name: 'x_t', dtype: 'float32', shape: ['batch', 3, F, H, W] },
          { name: 't', dtype: 'float32', shape: ['batch'] },
          { name: 'text_emb', dtype: 'float32', shape: ['batch', D] },
          { name: 'cond_frame', dtype: 'float32', shape: ['batch', 3, H, W] },
          { name: 'cond_mask', dtype: 'float32', shape: ['batch', 1] },
        ],
        outputs: [{ name: 'v', dtype: 'float32', shape: ['batch', 3, F, H, W] }],
        sha256: sha(dn),
        bytes: dn.length,
      },
      decoder: null,
    },
    tokenizer: { type: 'word-level', vocab_file: 'vocab.json', max_length: L, pad_id: 0, unk_id: 1, bos_id: 2, eos_id: null },
  };
}

/** Write the tiny pack into `dir` (created); `mutate` edits the manifest before it is written. */
export function writeTinyPack(dir: string, mutate?: (m: Record<string, any>) => void, graphs?: { te?: Uint8Array; dn?: Uint8Array }): string {
  fs.mkdirSync(dir, { recursive: true });
  const te = graphs?.te ?? tinyTextEncoder();
  const dn = graphs?.dn ?? tinyDenoiser();
  fs.writeFileSync(path.join(dir, 'text_encoder.onnx'), te);
  fs.writeFileSync(path.join(dir, 'denoiser.onnx'), dn);
  fs.writeFileSync(path.join(dir, 'vocab.json'), JSON.stringify({ type: 'word-level', tokens: TINY_VOCAB }));
  const m = tinyManifest(te, dn) as Record<string, any>;
  mutate?.(m);
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m, null, 1));
  return dir;
}
