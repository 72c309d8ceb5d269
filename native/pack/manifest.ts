/**
 * The model pack manifest (manifest.json), as native/training/export_onnx.py writes it.
 * Every field the runner depends on is checked here; a value the runner does not implement
 * (another scheduler, prediction type, noise generator, tokenizer) is refused with a message
 * that names the field, rather than producing wrong pictures.
 */
import { z } from 'zod';

export const PACK_FORMAT = 'shotline-model-pack';
export const PACK_FORMAT_VERSION = 1;

const dim = z.union([z.number().int().nonnegative(), z.string().min(1)]);
export const tensorSpecSchema = z.object({
  name: z.string().min(1),
  dtype: z.enum(['float32', 'int64', 'float16']),
  shape: z.array(dim),
});
export type TensorSpec = z.infer<typeof tensorSpecSchema>;

export const graphSpecSchema = z.object({
  file: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9._-]+\.onnx$/, 'must be a plain .onnx file name inside the pack'),
  inputs: z.array(tensorSpecSchema).min(1),
  outputs: z.array(tensorSpecSchema).min(1),
  sha256: z.string().regex(/^[a-f0-9]{64}$/, 'must be 64 lower-case hex digits'),
  bytes: z.number().int().positive(),
});
export type GraphSpec = z.infer<typeof graphSpecSchema>;

const lit = <T extends string | number | boolean>(value: T, what: string) =>
  z.literal(value, { error: (iss) => `is ${JSON.stringify(iss.input)}, but this Shotline only runs ${what} ${JSON.stringify(value)}` });

export const manifestSchema = z.object({
  format: lit(PACK_FORMAT, 'packs of format'),
  format_version: lit(PACK_FORMAT_VERSION, 'pack format version'),
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'must be lower-case letters, digits, ".", "_" or "-"'),
  display_name: z.string().min(1).max(200),
  version: z.string().min(1).max(50),
  license: z.string().optional(),
  license_note: z.string().optional(),
  description: z.string().optional(),
  tasks: z.array(z.enum(['text-to-video', 'image-to-video'])).min(1),
  frames: z.number().int().positive().max(1024),
  fps: z.number().positive().max(240),
  width: z.number().int().positive().max(4096),
  height: z.number().int().positive().max(4096),
  output: z.object({ width: z.number().int().positive().max(8192), height: z.number().int().positive().max(8192) }).passthrough(),
  space: lit('pixel', 'pixel-space packs (no decoder graph), space ='),
  latent: z.object({ shape: z.array(z.number().int().positive()).length(4), scaling_factor: z.number().optional() }).passthrough(),
  scheduler: z
    .object({
      type: lit('ddim', 'the scheduler'),
      eta: lit(0, 'DDIM with eta'),
      train_timesteps: z.number().int().min(2).max(100000),
      schedule: lit('cosine', 'the noise schedule'),
      cosine_s: z.number().min(0).max(1),
      timestep_spacing: lit('trailing', 'timestep spacing'),
      prediction_type: lit('v_prediction', 'prediction type'),
      clip_sample: z.boolean(),
      clip_range: z.number().positive(),
      default_steps: z.number().int().min(1).max(1000),
    })
    .passthrough(),
  guidance: z
    .object({
      type: lit('classifier-free', 'guidance of type'),
      default: z.number().min(0),
      range: z.tuple([z.number().min(0), z.number().min(0)]),
      uncond_prompt: z.string(),
    })
    .passthrough(),
  noise: z
    .object({
      prng: lit('mulberry32', 'the noise generator'),
      normal: lit('box-muller', 'the normal transform'),
    })
    .passthrough(),
  graphs: z.object({
    text_encoder: graphSpecSchema,
    denoiser: graphSpecSchema,
    decoder: z.null({ error: 'must be null: pixel-space packs have no decoder graph' }).optional(),
  }),
  tokenizer: z
    .object({
      type: lit('word-level', 'the tokenizer'),
      vocab_file: z.string().regex(/^[A-Za-z0-9._-]+\.json$/, 'must be a plain .json file name inside the pack'),
      max_length: z.number().int().min(2).max(4096),
      pad_id: z.number().int().nonnegative(),
      unk_id: z.number().int().nonnegative(),
      bos_id: z.number().int().nonnegative().nullable(),
      eos_id: z.number().int().nonnegative().nullable(),
    })
    .passthrough(),
  golden: z.string().optional(),
  training: z.record(z.string(), z.unknown()).optional(),
  metrics: z.record(z.string(), z.unknown()).optional(),
});
export type PackManifest = z.infer<typeof manifestSchema>;

export const vocabSchema = z.object({ type: z.literal('word-level').optional(), tokens: z.array(z.string()).min(3) });
export type Vocab = z.infer<typeof vocabSchema>;

/** What the runner expects the two graphs to look like, derived from the manifest's own numbers. */
export function expectedSignatures(m: PackManifest): { text_encoder: { inputs: TensorSpec[]; outputs: TensorSpec[] }; denoiser: { inputs: TensorSpec[]; outputs: TensorSpec[] } } {
  const D = textDim(m);
  const [C, F, H, W] = m.latent.shape as [number, number, number, number];
  const B = 'batch';
  return {
    text_encoder: {
      inputs: [{ name: 'input_ids', dtype: 'int64', shape: [B, m.tokenizer.max_length] }],
      outputs: [{ name: 'text_emb', dtype: 'float32', shape: [B, D] }],
    },
    denoiser: {
      inputs: [
        { name: 'x_t', dtype: 'float32', shape: [B, C, F, H, W] },
        { name: 't', dtype: 'float32', shape: [B] },
        { name: 'text_emb', dtype: 'float32', shape: [B, D] },
        { name: 'cond_frame', dtype: 'float32', shape: [B, C, H, W] },
        { name: 'cond_mask', dtype: 'float32', shape: [B, 1] },
      ],
      outputs: [{ name: 'v', dtype: 'float32', shape: [B, C, F, H, W] }],
    },
  };
}

/** Width of the pooled text embedding (the text encoder's output dim 1). */
export function textDim(m: PackManifest): number {
  const d = m.graphs.text_encoder.outputs[0]?.shape[1];
  return typeof d === 'number' ? d : NaN;
}
