/** Shared zod pieces for command and API arguments. */
import { z } from 'zod';

/**
 * An entity id. Names that every plain object already answers to (`__proto__`, `constructor`,
 * `toString`, …) are refused here, at the boundary: state maps are plain objects, and
 * `state.shots['constructor']` is a function, not "no such shot".
 */
export const id = z
  .string()
  .min(1)
  .max(64)
  .refine((v) => !(v in Object.prototype), { error: (iss) => `"${String(iss.input)}" is not a valid id (ids are the names Shotline gave its shots, clips, media and jobs)` });
export const flicks = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const signedFlicks = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
export const aspect = z.enum(['16:9', '9:16', '1:1']);
export const rational = z.object({ num: z.number().int().positive().max(1_000_000), den: z.number().int().positive().max(1_000_000) });

const text = (max: number) => z.string().max(max);

export const structuredPromptPatch = z
  .object({
    subject: text(2000),
    action: text(2000),
    setting: text(2000),
    camera: text(1000),
    lighting: text(1000),
    audio: text(1000),
    style: text(1000),
    dialogue: z.array(z.object({ speaker: text(200), line: text(2000), offsetFlicks: flicks.optional() })).max(50),
  })
  .partial();

export const shotFields = z
  .object({
    title: text(200),
    prompt: structuredPromptPatch,
    durationFlicks: z.number().int().positive().max(705_600_000 * 600),
    aspect,
    seed: z.number().int().min(0).max(2 ** 32 - 1).nullable(),
    referenceAssetId: id.nullable(),
    continuity: z.boolean(),
    /** Cameos from the library in this shot (checked against their consent when a take is queued). */
    cameoIds: z.array(z.string().min(1).max(64)).max(8),
    notes: text(10_000),
  })
  .partial();

export const effectsPatch = z
  .object({
    volume: z.number().min(0).max(4),
    fadeInFlicks: flicks,
    fadeOutFlicks: flicks,
  })
  .partial();
