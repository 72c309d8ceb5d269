import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generationStartInput } from '../../../app/generation/api.js';
import { assertValidRequest, requestHash, stableStringify, validateRequest, type ResolvedRequest } from '../../../app/generation/request.js';
import { sha256Hex } from '../../../app/util/sha256.js';
import type { GenerationCapabilities } from '../../../app/generation/types.js';
import { ShotlineError } from '../../../app/errors.js';

const caps: GenerationCapabilities = {
  tasks: ['text-to-video', 'image-to-video', 'video-to-video'],
  sizes: [{ width: 256, height: 256 }],
  durations: [2],
  fps: [8],
  audio: false,
  maxTakes: 4,
  steps: { min: 1, max: 200, default: 20 },
  guidance: { min: 1, max: 8, default: 4 },
  deterministic: true,
  maxPromptChars: 4000,
};
const base = { task: 'text-to-video', prompt: 'a red circle moves left', seed: 42, durationSeconds: 2, size: { width: 256, height: 256 } } as const;
const scope = { backend: 'local-onnx', model: 'm', modelVersion: '1' };

describe('generation request validation', () => {
  it('accepts a good request and fills defaults from the backend', () => {
    const v = validateRequest(caps, base);
    expect(v).toEqual({ ok: true, request: { ...base, steps: 20, guidance: 4 } });
  });

  it('explains what to change, in words a user can act on', () => {
    const msg = (r: unknown) => {
      const v = validateRequest(caps, r);
      return v.ok ? [] : v.problems;
    };
    expect(msg({ ...base, durationSeconds: 4 })).toEqual(['This backend makes 2-second clips; choose 2 s.']);
    expect(msg({ ...base, prompt: '   ' })).toEqual(['The prompt is empty: describe the shot (subject, action, setting) before generating.']);
    expect(msg({ ...base, prompt: 'x'.repeat(100_000) })[0]).toBe('The prompt is 100,000 characters long; the limit is 4,000. Shorten it.');
    expect(msg({ ...base, size: { width: 1280, height: 720 } })).toEqual(['This backend makes 256×256 clips; choose 256×256 (not 1280×720).']);
    expect(msg({ ...base, steps: 500 })).toEqual(['Steps must be between 1 and 200 for this backend (you chose 500).']);
    expect(msg({ ...base, guidance: 9 })).toEqual(['Guidance must be between 1 and 8 for this backend (you chose 9).']);
    expect(msg({ ...base, seed: 2 ** 32 })).toEqual(['The seed must be a whole number from 0 to 4294967295.']);
    expect(msg({ ...base, seed: -1 })).toEqual(['The seed must be a whole number from 0 to 4294967295.']);
    expect(msg({ ...base, task: 'image-to-video' })).toEqual(['Image-to-video needs a reference image: pick one, or generate from text only.']);
    expect(msg({ ...base, task: 'video-to-video', remix: { source: { assetId: 'a' }, strength: 1.5 } })).toEqual(['Remix strength goes from 0 to 1.']);
    // Several problems come back together.
    expect(msg({ ...base, durationSeconds: 3, steps: 0 })).toHaveLength(1); // steps 0 fails the schema first
    expect(msg({ ...base, durationSeconds: 3, guidance: 20 })).toHaveLength(2);
    const two = { ...caps, durations: [2, 4, 8] };
    const v = validateRequest(two, { ...base, durationSeconds: 5 });
    expect(v.ok ? [] : v.problems).toEqual(['This backend makes clips of 2 s, 4 s or 8 s; choose one of those (not 5 s).']);
    expect(validateRequest({ ...caps, tasks: ['text-to-video'] }, { ...base, task: 'video-to-video', remix: { source: { assetId: 'a' }, strength: 0.5 } })).toEqual({
      ok: false,
      problems: ['This backend cannot do remix (video-to-video); it does text-to-video.'],
    });
  });

  it('image-to-video may have an empty prompt; assertValidRequest throws invalid_input', () => {
    expect(validateRequest(caps, { ...base, task: 'image-to-video', prompt: '', referenceImage: { path: '/x.png' } }).ok).toBe(true);
    expect(() => assertValidRequest(caps, { ...base, prompt: '' })).toThrow(ShotlineError);
    try {
      assertValidRequest(caps, { ...base, durationSeconds: 4, guidance: 99 });
    } catch (e) {
      expect((e as ShotlineError).code).toBe('invalid_input');
      expect((e as ShotlineError).message).toBe('This backend makes 2-second clips; choose 2 s.');
      expect((e as ShotlineError).hint).toMatch(/Guidance must be between 1 and 8/);
    }
  });

  it('generation.start input: takes 1..4, seed null or uint32, strength 0..1', () => {
    expect(generationStartInput.parse({ shotId: 's' })).toEqual({ shotId: 's', takes: 1 });
    expect(generationStartInput.safeParse({ shotId: 's', takes: 5 }).success).toBe(false);
    expect(generationStartInput.safeParse({ shotId: 's', seed: null }).success).toBe(true);
    expect(generationStartInput.safeParse({ shotId: 's', seed: 2 ** 32 }).success).toBe(false);
    expect(generationStartInput.parse({ shotId: 's', remix: { takeId: 't' } }).remix).toEqual({ takeId: 't', strength: 0.6 });
    expect(generationStartInput.safeParse({ shotId: 's', remix: { takeId: 't', strength: 2 } }).success).toBe(false);
    expect(generationStartInput.safeParse({ shotId: 's', evil: 1 }).success).toBe(false);
  });
});

describe('request hash (generation cache key)', () => {
  const req: ResolvedRequest = { ...base, steps: 20, guidance: 4 };

  it('pure SHA-256 matches node:crypto, including non-ASCII and block boundaries', () => {
    for (const s of ['', 'abc', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'x'.repeat(1000), 'café 🎬 — ok', '\ud800 lone']) {
      expect(sha256Hex(s)).toBe(createHash('sha256').update(s).digest('hex'));
    }
  });

  it('is stable under key order and ignores where inputs live, not what they contain', () => {
    expect(stableStringify({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
    const h = requestHash(req, {}, scope);
    expect(h).toMatch(/^[a-f0-9]{64}$/);
    const reordered = JSON.parse(JSON.stringify({ size: req.size, seed: 42, guidance: 4, steps: 20, prompt: req.prompt, durationSeconds: 2, task: req.task }));
    expect(requestHash(reordered, {}, scope)).toBe(h);
    const i2v = { ...req, task: 'image-to-video' as const };
    expect(requestHash({ ...i2v, referenceImage: { path: '/a/ref.png' } }, { reference: 'aa' }, scope)).toBe(requestHash({ ...i2v, referenceImage: { assetId: 'asset_1' } }, { reference: 'aa' }, scope));
    expect(requestHash(i2v, { reference: 'aa' }, scope)).not.toBe(requestHash(i2v, { reference: 'bb' }, scope));
  });

  it('changes with every parameter that changes the clip, and with the model', () => {
    const h = requestHash(req, {}, scope);
    const variants: ResolvedRequest[] = [
      { ...req, seed: 43 },
      { ...req, steps: 21 },
      { ...req, guidance: 4.5 },
      { ...req, prompt: req.prompt + '.' },
      { ...req, durationSeconds: 4 },
      { ...req, size: { width: 128, height: 256 } },
    ];
    const hashes = new Set(variants.map((v) => requestHash(v, {}, scope)));
    expect(hashes.size).toBe(variants.length);
    expect(hashes.has(h)).toBe(false);
    expect(requestHash(req, {}, { ...scope, modelVersion: '2' })).not.toBe(h);
  });
});
