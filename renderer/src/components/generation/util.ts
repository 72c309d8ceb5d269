/** Small pure helpers for the generation UI. */
import type { BackendInfo, FrameSize } from '@app/generation/types';
import type { Aspect, Asset } from '@app/model/types';

/** The shot aspect a frame size matches, if any. */
export function aspectOf(size: FrameSize): Aspect | null {
  const r = size.width / size.height;
  if (Math.abs(r - 16 / 9) < 0.02) return '16:9';
  if (Math.abs(r - 9 / 16) < 0.02) return '9:16';
  if (Math.abs(r - 1) < 0.02) return '1:1';
  return null;
}

export function sizeText(size: FrameSize): string {
  const a = aspectOf(size);
  return `${size.width}×${size.height}${a ? ` (${a})` : ''}`;
}

export function secondsLabel(s: number): string {
  return `${Number.isInteger(s) ? s : Number(s.toFixed(2))} s`;
}

/** "local · cpu", "remote", "local · not loaded yet". */
export function providerText(b: BackendInfo): string {
  const where = b.executionProvider === 'remote' ? 'remote' : b.id.startsWith('local') ? 'local' : 'remote';
  if (where === 'remote') return 'remote';
  return `local · ${b.executionProvider ?? 'not loaded yet'}`;
}

/** A uniformly random uint32 seed. */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

/** The generation record of an asset, when it was generated. */
export interface GeneratedInfo {
  backend: string;
  model: string;
  prompt: string;
  seed: number;
  provider: string | null;
  steps: number | null;
  guidance: number | null;
  task: string | null;
  strength: number | null;
  seconds: number | null;
  durationSeconds: number | null;
  size: string | null;
  continuedFrom: string | null;
  createdAt: string;
}

export function generatedInfo(asset: Asset | undefined): GeneratedInfo | null {
  const p = asset?.provenance;
  if (!p || p.source !== 'generated') return null;
  const q = p.parameters;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const w = num(q.width);
  const h = num(q.height);
  return {
    backend: p.backend,
    model: p.model,
    prompt: p.prompt,
    seed: p.seed,
    provider: str(q.executionProvider),
    steps: num(q.steps),
    guidance: num(q.guidance),
    task: str(q.task),
    strength: num(q.strength),
    seconds: num(q.secondsTaken),
    durationSeconds: num(q.durationSeconds),
    size: w && h ? `${w}×${h}` : null,
    continuedFrom: str(q.continuedFrom),
    createdAt: p.createdAt,
  };
}
