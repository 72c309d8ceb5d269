/** API inputs of the generation methods (app/api/contract.ts wires them in). */
import { z } from 'zod';
import { id, structuredPromptPatch } from '../commands/schemas.js';
import { MAX_SEED } from './request.js';

export const MAX_TAKES_PER_START = 4;

export const generationStartInput = z
  .object({
    shotId: id,
    /** One job per take. With a fixed seed, take k uses seed + k. */
    takes: z.number().int().min(1).max(MAX_TAKES_PER_START).default(1),
    /** 'local-onnx', … (default: the first ready backend). */
    backendId: z.string().min(1).max(200).optional(),
    /** Model (pack) name for backends with several. */
    model: z.string().min(1).max(200).optional(),
    /** A fixed seed, or null for a random one per take (stored on the take's provenance); default: the shot's seed. */
    seed: z.number().int().min(0).max(MAX_SEED).nullable().optional(),
    steps: z.number().int().min(1).max(1000).optional(),
    guidance: z.number().min(0).max(100).optional(),
    /** Clip length; default: the shot's duration when the backend makes it, else the backend's nearest. */
    durationSeconds: z.number().positive().max(600).optional(),
    /** Use the shot's reference image (image-to-video); default: whenever the shot has one. */
    useReference: z.boolean().optional(),
    /** Use the last frame of the previous shot's chosen take as the reference; default: the shot's continuity flag. */
    continueFromPrevious: z.boolean().optional(),
    /** Remix (video-to-video) an existing take of this shot. */
    remix: z
      .object({
        takeId: id,
        /** 0 keeps the source, 1 ignores it (see docs/generation.md for the formula). */
        strength: z.number().min(0).max(1).default(0.6),
        /** Prompt fields that replace the shot's for this remix. */
        prompt: structuredPromptPatch.optional(),
        /** On an endpoint that offers them: 'edit' (prompt-directed edit) or 'extend' ("continue this take" by `seconds`). */
        mode: z.enum(['remix', 'extend', 'edit']).optional(),
        /** Extend only: how many seconds to add (4–20). */
        seconds: z.number().int().min(4).max(20).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type GenerationStartInput = z.input<typeof generationStartInput>;
export type GenerationStartParsed = z.output<typeof generationStartInput>;

export const generationBackendsInput = z.object({}).strict();

/** What a batch of takes will cost before it is sent (null prices: a free endpoint or local). */
export interface CostEstimate {
  backendId: string;
  takes: number;
  secondsPerTake: number;
  pricePerSecond: number | null;
  totalUsd: number | null;
}

/** What the project's remote takes have cost so far, per endpoint. */
export interface ProjectSpend {
  totalUsd: number;
  takes: number;
  byEndpoint: { endpointName: string; totalUsd: number; takes: number }[];
}
