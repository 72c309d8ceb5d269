/** Runtime schemas of the time effects, for command arguments (the renderer is untrusted). */
import { z } from 'zod';
import { LOOP_MAX_ITERATIONS, SPEED_MAX, SPEED_MIN } from '../model/timing.js';

const rate = z.number().min(SPEED_MIN).max(SPEED_MAX);
const flicks = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const speedKeyframeSchema = z.object({ at: z.number().min(0).max(1), speed: rate, ease: z.enum(['linear', 'ease']) }).strict();

export const speedSchema = z
  .object({
    rate,
    keyframes: z.array(speedKeyframeSchema).max(64),
    reverse: z.boolean(),
    frames: z.enum(['nearest', 'blend', 'motion']),
    rampAudio: z.enum(['resample', 'mute']),
  })
  .strict();

export const loopSchema = z
  .object({
    mode: z.enum(['count', 'fill']),
    count: z.number().int().min(1).max(LOOP_MAX_ITERATIONS),
    fillFlicks: flicks,
    crossfadeFlicks: flicks,
  })
  .strict();
