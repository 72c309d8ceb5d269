/**
 * What an endpoint can make. The /v1/videos protocol has no capabilities call, so an
 * `openai-videos` endpoint starts from the protocol's documented values (sizes, 4/8/12 s,
 * sound, remix/extend/edit); a server that reports its own (Shotline's `serve` adds a
 * `capabilities` field to its `/v1/models` entries, which other clients ignore) replaces them.
 * A reported value is untrusted input: it is validated here before it is stored.
 */
import { z } from 'zod';
import { GENERATION_TASKS, type GenerationTask } from '../generation/types.js';
import { MAX_PROMPT_CHARS } from '../generation/request.js';
import type { EndpointCapabilities, EndpointKind } from './types.js';

export const OPENAI_VIDEO_SIZES = ['1280x720', '720x1280', '1792x1024', '1024x1792'] as const;
export const OPENAI_VIDEO_SECONDS = [4, 8, 12] as const;

export function protocolDefaults(kind: EndpointKind): EndpointCapabilities {
  if (kind === 'openai-videos')
    return {
      tasks: ['text-to-video', 'image-to-video'],
      sizes: OPENAI_VIDEO_SIZES.map(parseSize),
      durations: [...OPENAI_VIDEO_SECONDS],
      fps: [30],
      audio: true,
      maxTakes: 4,
      steps: null,
      guidance: null,
      deterministic: false,
      maxPromptChars: MAX_PROMPT_CHARS,
      operations: ['remix', 'extend', 'edit'],
      imageInput: true,
    };
  // A speech endpoint makes no video: nothing for the video pickers (its voice is app/speech).
  if (kind === 'openai-speech')
    return { tasks: [], sizes: [{ width: 16, height: 16 }], durations: [1], fps: [], audio: true, maxTakes: 1, steps: null, guidance: null, deterministic: false, maxPromptChars: 4096, operations: [], imageInput: false };
  // ComfyUI: what the workflow mapping says (filled in when the workflow is loaded).
  return {
    tasks: ['text-to-video'],
    sizes: [{ width: 832, height: 480 }],
    durations: [5],
    fps: [16],
    audio: false,
    maxTakes: 4,
    steps: null,
    guidance: null,
    deterministic: true,
    maxPromptChars: MAX_PROMPT_CHARS,
    operations: [],
    imageInput: false,
  };
}

export function parseSize(s: string): { width: number; height: number } {
  const m = /^(\d+)x(\d+)$/.exec(s);
  if (!m) throw new Error(`"${s}" is not a WIDTHxHEIGHT size`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

export function sizeString(s: { width: number; height: number }): string {
  return `${s.width}x${s.height}`;
}

const range = z.object({ min: z.number(), max: z.number(), default: z.number() }).nullable();
export const endpointCapabilitiesSchema = z.object({
  tasks: z.array(z.enum(GENERATION_TASKS as [GenerationTask, ...GenerationTask[]])).max(3),
  sizes: z.array(z.object({ width: z.number().int().min(16).max(8192), height: z.number().int().min(16).max(8192) })).min(1).max(32),
  durations: z.array(z.number().positive().max(600)).min(1).max(64),
  fps: z.array(z.number().positive().max(240)).max(16),
  audio: z.boolean(),
  maxTakes: z.number().int().min(1).max(16),
  steps: range,
  guidance: range,
  deterministic: z.boolean(),
  maxPromptChars: z.number().int().min(1).max(100_000),
  operations: z.array(z.enum(['remix', 'extend', 'edit'])).max(3),
  imageInput: z.boolean(),
  voiceInput: z.boolean().optional(),
});

/** A server's reported capabilities, or null when they are missing or malformed (the caller keeps the defaults). */
export function readReportedCapabilities(raw: unknown): EndpointCapabilities | null {
  const r = endpointCapabilitiesSchema.safeParse(raw);
  return r.success ? r.data : null;
}
