/**
 * API inputs for managing endpoints (app/endpoints/types.ts). A key may be sent in (add,
 * update) and is stored in the keychain at once; no method ever sends one back.
 */
import { z } from 'zod';
import { id as entityId } from '../commands/schemas.js';
import { ENDPOINT_KINDS, type EndpointKind } from '../endpoints/types.js';

const name = z
  .string()
  .trim()
  .min(1, { error: 'Give the endpoint a name.' })
  .max(60, { error: 'Keep the name under 60 characters.' })
  .regex(/^[\p{L}\p{N} ._-]+$/u, { error: 'Use letters, digits, spaces, dots, dashes and underscores in the name.' });

const baseUrl = z
  .string()
  .trim()
  .max(2000)
  .refine(
    (s) => {
      try {
        const u = new URL(s);
        return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password;
      } catch {
        return false;
      }
    },
    { error: 'The address must be an http:// or https:// URL without a user name or password in it (e.g. http://127.0.0.1:8188).' },
  );

/** A key is write-only: a non-empty string to store, null to remove. */
const apiKey = z.string().min(1).max(4096).nullable();

const options = z
  .object({
    deleteAfterDownload: z.boolean().optional(),
    imageFit: z.enum(['crop', 'pad']).optional(),
    /** The server offers characters (POST /v1/videos/characters): cameos go there as characters. */
    characters: z.boolean().optional(),
    workflow: z.string().min(1).max(4096).optional(),
    mapping: z.string().min(1).max(4096).optional(),
  })
  .strict();

const fields = {
  name,
  kind: z.enum(ENDPOINT_KINDS as [EndpointKind, ...EndpointKind[]]),
  baseUrl,
  model: z.string().trim().min(1).max(200).nullable().optional(),
  concurrency: z.number().int().min(1, { error: 'An endpoint runs at least 1 take at a time.' }).max(64).optional(),
  pricePerSecond: z.number().min(0).max(1000).nullable().optional(),
  pool: name.nullable().optional(),
  options: options.optional(),
};

export const endpointAddInput = z.object({ ...fields, apiKey: apiKey.optional() }).strict();
export const endpointUpdateInput = z
  .object(fields)
  .partial()
  .extend({ id: entityId, apiKey: apiKey.optional() })
  .strict();
export const endpointIdInput = z.object({ id: entityId }).strict();

export type EndpointAddInput = z.output<typeof endpointAddInput>;
export type EndpointUpdateInput = z.output<typeof endpointUpdateInput>;

export interface EndpointTestResult {
  ok: boolean;
  message: string;
  latencyMs: number | null;
}
