/**
 * A generation request: its schema (shape and absolute limits), validation against a
 * backend's capabilities (with messages a user can act on), defaults, and its content hash
 * (the key of the generation cache: identical requests reuse the existing clip).
 */
import { z } from 'zod';
import { id } from '../commands/schemas.js';
import { ShotlineError } from '../errors.js';
import { sha256Hex } from '../util/sha256.js';
import { GENERATION_TASKS, TASK_LABELS, type FrameSize, type GenerationCapabilities, type GenerationTask } from './types.js';

export const MAX_PROMPT_CHARS = 4000;
export const MAX_SEED = 4294967295;

/** A media input: a project asset (app) or a file (CLI). Main resolves it to a readable file. */
export const mediaRefSchema = z.union([z.object({ assetId: id }).strict(), z.object({ path: z.string().min(1).max(4096) }).strict()]);
export type MediaRef = z.infer<typeof mediaRefSchema>;

const thousands = (n: number) => n.toLocaleString('en-US');

export const generationRequestSchema = z
  .object({
    task: z.enum(GENERATION_TASKS as [GenerationTask, ...GenerationTask[]]),
    prompt: z.string().max(MAX_PROMPT_CHARS, {
      error: (iss) =>
        `The prompt is ${thousands(typeof iss.input === 'string' ? iss.input.length : 0)} characters long; the limit is ${thousands(MAX_PROMPT_CHARS)}. Shorten it.`,
    }),
    seed: z
      .number({ error: 'The seed must be a whole number from 0 to 4294967295.' })
      .int({ error: 'The seed must be a whole number from 0 to 4294967295.' })
      .min(0, { error: 'The seed must be a whole number from 0 to 4294967295.' })
      .max(MAX_SEED, { error: 'The seed must be a whole number from 0 to 4294967295.' }),
    steps: z.number().int({ error: 'Steps must be a whole number.' }).min(1, { error: 'Use at least 1 step.' }).max(1000).optional(),
    guidance: z.number().min(0, { error: 'Guidance cannot be negative.' }).max(100).optional(),
    durationSeconds: z.number().positive({ error: 'The clip needs a length above 0 s.' }).max(600),
    size: z.object({ width: z.number().int().min(16).max(8192), height: z.number().int().min(16).max(8192) }).strict(),
    referenceImage: mediaRefSchema.optional(),
    remix: z
      .object({
        source: mediaRefSchema,
        strength: z.number().min(0, { error: 'Remix strength goes from 0 to 1.' }).max(1, { error: 'Remix strength goes from 0 to 1.' }),
        /**
         * What a remote endpoint is asked to do with the source (absent: 'remix'): its remix,
         * a prompt-directed edit, or an extension ("continue this take") by `extendSeconds`.
         */
        mode: z.enum(['remix', 'extend', 'edit']).optional(),
        extendSeconds: z.number().int({ error: 'An extension is a whole number of seconds.' }).min(4, { error: 'An extension is 4 to 20 seconds long.' }).max(20, { error: 'An extension is 4 to 20 seconds long.' }).optional(),
      })
      .strict()
      .optional(),
    /** Model (pack) name, for backends with several. */
    model: z.string().min(1).max(200).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.task === 'text-to-video' && r.prompt.trim() === '')
      ctx.addIssue({ code: 'custom', path: ['prompt'], message: 'The prompt is empty: describe the shot (subject, action, setting) before generating.' });
    if (r.task === 'image-to-video' && !r.referenceImage)
      ctx.addIssue({ code: 'custom', path: ['referenceImage'], message: 'Image-to-video needs a reference image: pick one, or generate from text only.' });
    if (r.task === 'video-to-video' && !r.remix) ctx.addIssue({ code: 'custom', path: ['remix'], message: 'A remix needs a source take to start from.' });
    if (r.task !== 'video-to-video' && r.remix) ctx.addIssue({ code: 'custom', path: ['remix'], message: 'Remix settings only apply to a remix (video-to-video) request.' });
    if (r.remix?.mode === 'extend' && r.remix.extendSeconds === undefined)
      ctx.addIssue({ code: 'custom', path: ['remix', 'extendSeconds'], message: 'Say how many seconds (4 to 20) the extension should add.' });
  });

export type GenerationRequest = z.infer<typeof generationRequestSchema>;
/** A request with steps and guidance filled in from the backend's defaults (what gets hashed and run). */
export type ResolvedRequest = GenerationRequest & { steps: number; guidance: number };

export type ValidationResult = { ok: true; request: ResolvedRequest } | { ok: false; problems: string[] };

const secondsText = (s: number) => `${Number.isInteger(s) ? s : Number(s.toFixed(3))}`;
const sizeText = (s: FrameSize) => `${s.width}×${s.height}`;

function orList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** The backend's duration closest to `seconds` (ties go to the shorter one). */
export function nearestDuration(caps: GenerationCapabilities, seconds: number): number {
  let best = caps.durations[0] ?? seconds;
  for (const d of caps.durations) if (Math.abs(d - seconds) < Math.abs(best - seconds) - 1e-9) best = d;
  return best;
}

export function supportsDuration(caps: GenerationCapabilities, seconds: number): boolean {
  return caps.durations.some((d) => Math.abs(d - seconds) < 1e-6);
}

export function supportsSize(caps: GenerationCapabilities, size: FrameSize): boolean {
  return caps.sizes.some((s) => s.width === size.width && s.height === size.height);
}

/**
 * Check a request against a backend. Returns every problem, each a sentence that says what
 * to do ("This backend makes 2-second clips; choose 2 s."), or the request with defaults.
 */
export function validateRequest(caps: GenerationCapabilities, input: unknown): ValidationResult {
  const parsed = generationRequestSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => (i.code === 'custom' || /[.!]$/.test(i.message) ? i.message : `${i.path.join('.') || 'request'}: ${i.message}`)),
    };
  }
  const r = parsed.data;
  const problems: string[] = [];
  if (!caps.tasks.includes(r.task)) {
    problems.push(`This backend cannot do ${TASK_LABELS[r.task]}; it does ${orList(caps.tasks.map((t) => TASK_LABELS[t]))}.`);
  }
  if (r.prompt.length > caps.maxPromptChars) {
    problems.push(`The prompt is ${thousands(r.prompt.length)} characters long; this backend takes at most ${thousands(caps.maxPromptChars)}. Shorten it.`);
  }
  if (!supportsDuration(caps, r.durationSeconds)) {
    const ds = caps.durations.map(secondsText);
    problems.push(
      ds.length === 1
        ? `This backend makes ${ds[0]}-second clips; choose ${ds[0]} s.`
        : `This backend makes clips of ${orList(ds.map((d) => `${d} s`))}; choose one of those (not ${secondsText(r.durationSeconds)} s).`,
    );
  }
  if (!supportsSize(caps, r.size)) {
    const ss = caps.sizes.map(sizeText);
    problems.push(
      ss.length === 1
        ? `This backend makes ${ss[0]} clips; choose ${ss[0]} (not ${sizeText(r.size)}).`
        : `This backend makes clips of ${orList(ss)}; choose one of those (not ${sizeText(r.size)}).`,
    );
  }
  if (r.steps !== undefined) {
    if (!caps.steps) problems.push('This backend does not let you choose the number of steps.');
    else if (r.steps < caps.steps.min || r.steps > caps.steps.max) problems.push(`Steps must be between ${caps.steps.min} and ${caps.steps.max} for this backend (you chose ${r.steps}).`);
  }
  if (r.guidance !== undefined) {
    if (!caps.guidance) problems.push('This backend does not let you choose the guidance scale.');
    else if (r.guidance < caps.guidance.min || r.guidance > caps.guidance.max)
      problems.push(`Guidance must be between ${caps.guidance.min} and ${caps.guidance.max} for this backend (you chose ${r.guidance}).`);
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, request: { ...r, steps: r.steps ?? caps.steps?.default ?? 0, guidance: r.guidance ?? caps.guidance?.default ?? 0 } };
}

/** validateRequest, throwing the first problem as an 'invalid_input' ShotlineError (the rest in the hint). */
export function assertValidRequest(caps: GenerationCapabilities, input: unknown): ResolvedRequest {
  const v = validateRequest(caps, input);
  if (v.ok) return v.request;
  const [first, ...rest] = v.problems;
  throw new ShotlineError('invalid_input', first ?? 'The generation request is not valid.', rest.length ? rest.join(' ') : undefined);
}

/** JSON with object keys sorted at every level, so equal values always serialize equally. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stableStringify(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(',')}}`;
}

/** Which backend and model a hash is scoped to: the same request to another model is another clip. */
export interface HashScope {
  backend: string;
  model: string;
  modelVersion: string;
}

/**
 * The generation cache key: SHA-256 of the request's meaning, with media inputs replaced by
 * the SHA-256 of their content (`inputHashes`, e.g. { reference: '…', 'remix-source': '…' }),
 * so a moved or re-imported file still hits and an edited one does not.
 */
export function requestHash(req: ResolvedRequest, inputHashes: Record<string, string>, scope: HashScope): string {
  const canonical = {
    v: 1,
    scope,
    task: req.task,
    prompt: req.prompt,
    seed: req.seed,
    steps: req.steps,
    guidance: req.guidance,
    durationSeconds: req.durationSeconds,
    size: req.size,
    strength: req.remix?.strength,
    // Absent for a plain remix, so hashes of earlier remixes stay the same.
    mode: req.remix?.mode === 'remix' ? undefined : req.remix?.mode,
    extendSeconds: req.remix?.extendSeconds,
    inputs: inputHashes,
  };
  return sha256Hex(stableStringify(canonical));
}
