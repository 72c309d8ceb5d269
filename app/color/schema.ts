/** Runtime schemas for grades (command args come from the untrusted renderer). */
import { z } from 'zod';
import { GRADE_LIMITS, LUTS_DIR } from '../model/color.js';

const num = (k: keyof typeof GRADE_LIMITS) => z.number().finite().min(GRADE_LIMITS[k].min).max(GRADE_LIMITS[k].max);
const rgbm = (k: 'lift' | 'gamma' | 'gain') => z.object({ r: num(k), g: num(k), b: num(k), m: num(k) }).strict();

const sha = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex');

export const lutRefSchema = z
  .object({
    sha256: sha,
    // Only the project's own LUT store: an export must never be pointed at another file.
    path: z.string().max(200),
    name: z.string().min(1).max(255),
    title: z.string().max(200),
    size: z.number().int().min(2).max(65),
  })
  .strict()
  .refine((l) => l.path === `${LUTS_DIR}/${l.sha256}.cube`, { message: `path must be ${LUTS_DIR}/<sha256>.cube`, path: ['path'] });

export const gradeSchema = z
  .object({
    exposure: num('exposure'),
    contrast: num('contrast'),
    saturation: num('saturation'),
    temperature: num('temperature'),
    tint: num('tint'),
    lift: rgbm('lift'),
    gamma: rgbm('gamma'),
    gain: rgbm('gain'),
    lut: lutRefSchema.nullable(),
    lutStrength: num('lutStrength'),
  })
  .strict();
