import { z } from 'zod';
import { defineCommand } from './define.js';
import { PatchBuilder } from './patch.js';
import { rational } from './schemas.js';

export const settingsUpdate = defineCommand({
  label: 'Change project settings',
  args: z
    .object({
      name: z.string().min(1).max(200),
      fps: rational,
      width: z.number().int().min(16).max(8192).multipleOf(2),
      height: z.number().int().min(16).max(8192).multipleOf(2),
      sampleRate: z.union([z.literal(44100), z.literal(48000)]),
    })
    .partial(),
  run(state, args) {
    return new PatchBuilder().settings({ ...state.settings, ...args }).patch;
  },
});
