/**
 * Execution providers: which onnxruntime-node backend runs the model. Tried at run time in
 * the order cuda → dml → coreml → webgpu → cpu; the first one that can create both sessions
 * wins and is reported. SHOTLINE_EP (or the `provider` option) forces one, with no fallback,
 * so a user who asked for CUDA learns why they did not get it.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type * as Ort from 'onnxruntime-node';
import { ShotlineError } from '../../app/errors.js';
import { checkSessionSignature, packError, type ModelPack } from '../pack/load.js';

export const PROVIDER_ORDER = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'] as const;
export type ProviderName = (typeof PROVIDER_ORDER)[number];

const require = createRequire(import.meta.url);
let ortModule: typeof Ort | null = null;

/** onnxruntime-node, loaded on first use (its native binding is large). */
export function loadOrt(): typeof Ort {
  if (!ortModule) {
    try {
      ortModule = require('onnxruntime-node') as typeof Ort;
    } catch (e) {
      throw new ShotlineError('unsupported', `onnxruntime-node cannot be loaded: ${(e as Error).message.split('\n')[0]}`, 'Reinstall Shotline (npm ci) so that its ONNX runtime is present.');
    }
    // Provider probing logs every failed attempt at error level; only fatal errors go to the console.
    ortModule.env.logLevel = 'fatal';
  }
  return ortModule;
}

/** The installed onnxruntime-node version (for `shotline doctor`; main/ reaches onnxruntime only through native/). */
export function ortVersion(): string {
  return (require('onnxruntime-node/package.json') as { version: string }).version;
}

/** Providers compiled into this onnxruntime-node build (cuda may be listed but need separate libraries). */
export function compiledProviders(): string[] {
  try {
    const list = (loadOrt() as unknown as { listSupportedBackends?: () => { name: string }[] }).listSupportedBackends?.();
    return list ? list.map((b) => b.name) : ['cpu'];
  } catch {
    return [];
  }
}

/** The providers to try, in order: the forced one alone, or the default order filtered by this build. */
export function providerCandidates(forced?: string | null): string[] {
  const want = (forced ?? process.env.SHOTLINE_EP ?? '').trim().toLowerCase();
  if (want && want !== 'auto') {
    if (!(PROVIDER_ORDER as readonly string[]).includes(want))
      throw new ShotlineError('invalid_input', `Unknown execution provider "${want}".`, `Use one of ${PROVIDER_ORDER.join(', ')} (or auto).`);
    return [want];
  }
  const compiled = new Set(compiledProviders());
  return PROVIDER_ORDER.filter((p) => p === 'cpu' || (compiled.has(p) && !skipReason(p)));
}

/**
 * Why a compiled provider is not worth trying here. On Linux, WebGPU (Dawn over Vulkan) needs a
 * GPU render node: without /dev/dri it can only fail, after printing driver warnings.
 */
export function skipReason(provider: string): string | null {
  if (provider === 'webgpu' && process.platform === 'linux' && !fs.existsSync('/dev/dri')) return 'no GPU device (/dev/dri) on this machine';
  return null;
}

export interface LoadedSessions {
  textEncoder: Ort.InferenceSession;
  denoiser: Ort.InferenceSession;
  provider: string;
  /** Providers tried before the one that loaded, with the reason each failed. */
  attempts: { provider: string; error: string }[];
  threads: number;
  loadSeconds: number;
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)[0]
    ?.slice(0, 300) ?? 'unknown error';
}

/**
 * Create both sessions of a pack on the first provider that works. A graph the CPU provider
 * cannot load is a damaged pack (not a provider problem), and a signature that differs from
 * the manifest is refused whatever the provider.
 */
export async function createSessions(pack: ModelPack, opts: { provider?: string | null; threads: number }): Promise<LoadedSessions> {
  const ort = loadOrt();
  const candidates = providerCandidates(opts.provider);
  const forced = candidates.length === 1 && candidates[0] !== 'cpu' ? candidates[0] : null;
  const attempts: { provider: string; error: string }[] = [];
  if (!forced && candidates.length > 1) {
    const compiled = new Set(compiledProviders());
    for (const p of PROVIDER_ORDER) {
      const why = compiled.has(p) ? skipReason(p) : null;
      if (why) attempts.push({ provider: p, error: `skipped: ${why}` });
    }
  }
  const t0 = performance.now();
  for (const provider of candidates) {
    const so: Ort.InferenceSession.SessionOptions = {
      executionProviders: [provider],
      intraOpNumThreads: opts.threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      logSeverityLevel: 4,
      // No busy-waiting between runs: idle pool threads would take CPU from ffmpeg, the UI and other jobs.
      extra: { session: { intra_op: { allow_spinning: process.env.SHOTLINE_ORT_SPIN === '1' ? '1' : '0' }, inter_op: { allow_spinning: '0' } } },
    };
    let te: Ort.InferenceSession | null = null;
    let dn: Ort.InferenceSession | null = null;
    try {
      te = await ort.InferenceSession.create(pack.files.textEncoder, so);
      dn = await ort.InferenceSession.create(pack.files.denoiser, so);
    } catch (e) {
      await te?.release().catch(() => {});
      const why = firstLine(e);
      if (provider === 'cpu') {
        const which = te ? pack.manifest.graphs.denoiser.file : pack.manifest.graphs.text_encoder.file;
        throw packError(pack.dir, `onnxruntime could not load ${which} (${why})`);
      }
      attempts.push({ provider, error: why });
      if (forced)
        throw new ShotlineError(
          'unsupported',
          `The ${provider.toUpperCase()} execution provider was asked for (SHOTLINE_EP or --provider) but onnxruntime-node could not use it: ${why}`,
          provider === 'cuda'
            ? 'Install onnxruntime-node without ONNXRUNTIME_NODE_INSTALL=skip on a machine with CUDA 12 and cuDNN 9 (see docs/generation.md), or unset SHOTLINE_EP to fall back to the CPU.'
            : 'Unset SHOTLINE_EP to let Shotline pick a provider that works.',
        );
      continue;
    }
    try {
      checkSessionSignature(pack, 'text_encoder', te.inputMetadata, te.outputMetadata);
      checkSessionSignature(pack, 'denoiser', dn.inputMetadata, dn.outputMetadata);
    } catch (e) {
      await te.release().catch(() => {});
      await dn.release().catch(() => {});
      throw e;
    }
    return { textEncoder: te, denoiser: dn, provider, attempts, threads: opts.threads, loadSeconds: (performance.now() - t0) / 1000 };
  }
  throw new ShotlineError('unsupported', `No execution provider could run the model (${attempts.map((a) => `${a.provider}: ${a.error}`).join('; ')}).`);
}

export interface ProviderProbe {
  provider: string;
  status: 'ok' | 'unavailable' | 'skipped' | 'not-in-build';
  detail: string;
}

/**
 * Which providers can actually run a model here, each tried on a one-node graph (or `model`):
 * what `shotline doctor` reports. The first 'ok' in PROVIDER_ORDER is the one generation uses.
 */
export async function probeProviders(model?: Uint8Array | string): Promise<ProviderProbe[]> {
  const ort = loadOrt();
  const { probeModel } = await import('../onnx/builder.js');
  const bytes = model ?? probeModel();
  const compiled = new Set(compiledProviders());
  const out: ProviderProbe[] = [];
  for (const provider of PROVIDER_ORDER) {
    if (provider !== 'cpu' && !compiled.has(provider)) {
      out.push({ provider, status: 'not-in-build', detail: 'not in this onnxruntime-node build' });
      continue;
    }
    const skip = skipReason(provider);
    if (skip) {
      out.push({ provider, status: 'skipped', detail: skip });
      continue;
    }
    try {
      const s = typeof bytes === 'string' ? await ort.InferenceSession.create(bytes, { executionProviders: [provider], logSeverityLevel: 4 }) : await ort.InferenceSession.create(bytes, { executionProviders: [provider], logSeverityLevel: 4 });
      await s.release();
      out.push({ provider, status: 'ok', detail: 'works' });
    } catch (e) {
      out.push({ provider, status: 'unavailable', detail: firstLine(e) });
    }
  }
  return out;
}
