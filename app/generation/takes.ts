/**
 * Pure look-ups over project state that keep generation idempotent: the cache (an identical
 * request's clip), a job's own take (so a resumed job never registers a second one), the next
 * take number, and the size a backend makes for a shot's aspect.
 */
import type { Asset, Aspect, ProjectState, Take } from '../model/types.js';
import type { GeneratePayload } from './jobs.js';
import type { FrameSize, GenerationCapabilities } from './types.js';

export function requestHashOf(asset: Asset): string | null {
  if (asset.provenance.source !== 'generated') return null;
  const h = asset.provenance.parameters.requestHash;
  return typeof h === 'string' ? h : null;
}

/** The asset an identical request produced before, if it is still in the project. */
export function findCachedAsset(state: ProjectState, hash: string): Asset | null {
  for (const a of Object.values(state.assets)) if (requestHashOf(a) === hash) return a;
  return null;
}

/** The take this job already registered (a crash after 'take.add', or a cache hit at start). */
export function findOwnTake(state: ProjectState, p: Pick<GeneratePayload, 'shotId' | 'label' | 'requestHash'>): Take | null {
  for (const t of Object.values(state.takes)) {
    if (t.shotId !== p.shotId || t.label !== p.label) continue;
    const a = state.assets[t.assetId];
    if (a && requestHashOf(a) === p.requestHash) return t;
  }
  return null;
}

/** The size the backend makes that matches the shot's aspect, else its default. */
export function pickSize(caps: GenerationCapabilities, aspect: Aspect): FrameSize {
  const want = aspect === '16:9' ? 16 / 9 : aspect === '9:16' ? 9 / 16 : 1;
  return caps.sizes.find((s) => Math.abs(s.width / s.height - want) < 0.02) ?? caps.sizes[0] ?? { width: 0, height: 0 };
}

/** The content hashes of a request's media inputs, part of its cache key. */
export function inputHashes(inputs: GeneratePayload['inputs']): Record<string, string> {
  const h: Record<string, string> = {};
  if (inputs.reference) h.reference = inputs.reference.lastFrame ? `last-frame-of:${inputs.reference.sha256}` : inputs.reference.sha256;
  if (inputs.remixSource) h['remix-source'] = inputs.remixSource.sha256;
  if (inputs.cameoReference) h.reference = inputs.cameoReference.sha256;
  return h;
}

const TAKE_LABEL = /^Take (\d+)$/;

/**
 * 1 + the highest "Take N" among the shot's takes and all its generate jobs' payloads. Like a
 * slate, a number is never reused: a failed or canceled job can be retried into its own label,
 * which must not collide with a newer take.
 */
export function nextTakeNumber(state: ProjectState, shotId: string, jobPayloads: readonly unknown[]): number {
  let max = 0;
  for (const t of Object.values(state.takes)) {
    const m = t.shotId === shotId ? TAKE_LABEL.exec(t.label) : null;
    if (m) max = Math.max(max, Number(m[1]));
  }
  for (const raw of jobPayloads) {
    const p = raw as Partial<GeneratePayload> | null;
    if (p?.shotId !== shotId) continue;
    const m = TAKE_LABEL.exec(p.label ?? '');
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max + 1;
}
