/**
 * The `local-onnx` provider: one backend per model pack found in the shipped resources/models/
 * folder, the user's models folder (library setting 'userModelsDir') and SHOTLINE_MODELS_DIR.
 * Packs are re-scanned on every listing (a pack dropped in shows up without a restart;
 * checksums are cached per file size + mtime). Broken packs are listed with their error
 * rather than hidden. Backend ids: 'local-onnx' (default pack) or 'local-onnx:<pack>'.
 */
import path from 'node:path';
import { ShotlineError } from '../../app/errors.js';
import type { BackendInfo } from '../../app/generation/types.js';
import { discoverModelPacks, type FoundPack } from '../../native/pack/discover.js';
import { loadModelPack } from '../../native/pack/load.js';
import { OnnxRunner } from '../../native/runner/client.js';
import type { RunnerOptions } from '../../native/runner/protocol.js';
import type { FfmpegEngine } from '../media/engine.js';
import { LOCAL_ONNX_ID, LocalOnnxBackend } from './local-onnx.js';
import { defaultModelDirs } from './model-dirs.js';
import type { BackendProvider } from './provider.js';

/** Packs preferred as the default, in order, when several are installed. */
const PREFERRED = ['shotline-shapes-tiny'];

export interface LocalProviderOptions {
  engine: FfmpegEngine;
  /** Folders to scan (default: shipped + SHOTLINE_MODELS_DIR). */
  modelDirs?: () => string[];
  runner?: RunnerOptions;
}

export class LocalOnnxProvider implements BackendProvider {
  readonly kind = LOCAL_ONNX_ID;
  readonly runner: OnnxRunner;
  private readonly backends = new Map<string, LocalOnnxBackend>();
  private lastScan: FoundPack[] = [];

  constructor(private readonly opts: LocalProviderOptions) {
    this.runner = new OnnxRunner(opts.runner);
  }

  /**
   * The execution provider to force (null: automatic). Backends forget the provider they
   * reported, so the next listing loads and reports the new one.
   */
  setExecutionProvider(provider: string | null): void {
    if (provider === this.runner.provider) return;
    this.runner.setProvider(provider);
    for (const b of this.backends.values()) b.forgetProvider();
  }

  modelDirs(): string[] {
    return this.opts.modelDirs?.() ?? defaultModelDirs();
  }

  /** Re-scan the model folders; returns ready backends (default first) and broken packs. */
  async scan(): Promise<{ ready: LocalOnnxBackend[]; broken: FoundPack[] }> {
    const found = await discoverModelPacks(this.modelDirs());
    this.lastScan = found;
    const ready: LocalOnnxBackend[] = [];
    const seenNames = new Set<string>();
    for (const f of found) {
      if (!f.pack) continue;
      const name = f.pack.manifest.name;
      if (seenNames.has(name)) continue; // the first folder wins (shipped before user)
      seenNames.add(name);
      ready.push(this.backendFor(f.pack));
    }
    ready.sort((a, b) => rank(a.model.name) - rank(b.model.name));
    return { ready, broken: found.filter((f) => !f.pack) };
  }

  private backendFor(pack: NonNullable<FoundPack['pack']>): LocalOnnxBackend {
    const key = `${pack.dir}\0${pack.manifest.graphs.denoiser.sha256}\0${pack.manifest.graphs.text_encoder.sha256}`;
    let b = this.backends.get(key);
    if (!b) {
      b = new LocalOnnxBackend(pack, this.runner, this.opts.engine);
      this.backends.set(key, b);
    }
    return b;
  }

  async list(): Promise<BackendInfo[]> {
    const { ready, broken } = await this.scan();
    const infos = await Promise.all(ready.map((b) => b.info()));
    for (const f of broken) {
      infos.push({
        id: LOCAL_ONNX_ID,
        label: `Local: ${path.basename(f.dir)} (unusable)`,
        model: { name: path.basename(f.dir), version: '?', displayName: path.basename(f.dir) },
        capabilities: { tasks: [], sizes: [], durations: [], fps: [], audio: false, maxTakes: 0, steps: null, guidance: null, deterministic: false, maxPromptChars: 0 },
        status: 'error',
        error: f.error ?? undefined,
        executionProvider: null,
        location: f.dir,
      });
    }
    return infos;
  }

  /** `id` is 'local-onnx' or 'local-onnx:<pack>'; `model` a pack name or a pack folder path. Default: the preferred installed pack. */
  async resolve(id: string, model: string | null): Promise<LocalOnnxBackend> {
    let packName = model;
    if (id.startsWith(`${LOCAL_ONNX_ID}:`)) packName = packName ?? id.slice(LOCAL_ONNX_ID.length + 1);
    const { ready, broken } = await this.scan();
    if (packName && (packName.includes('/') || packName.includes('\\'))) {
      // A folder: validate it directly (CLI --model ./my-pack).
      const abs = path.resolve(packName);
      return ready.find((b) => b.pack.dir === abs) ?? this.backendFor(await loadModelPack(abs));
    }
    if (packName) {
      const hit = ready.find((b) => b.model.name === packName);
      if (hit) return hit;
      const bad = broken.find((f) => path.basename(f.dir) === packName);
      if (bad?.error) throw new ShotlineError(bad.error.code, bad.error.message, bad.error.hint);
      throw new ShotlineError(
        'not_found',
        `No local model pack named "${packName}" is installed.`,
        ready.length ? `Installed: ${ready.map((b) => b.model.name).join(', ')}.` : `Put packs in ${this.modelDirs().join(' or ')}.`,
      );
    }
    const first = ready[0];
    if (first) return first;
    const why = broken[0]?.error;
    throw new ShotlineError(
      'not_found',
      why ? `No usable local model pack: ${why.message}` : 'No local model pack is installed, so Shotline cannot generate locally.',
      `Model packs are folders with a manifest.json, looked for in ${this.modelDirs().join(', ')}.`,
    );
  }

  get lastFound(): readonly FoundPack[] {
    return this.lastScan;
  }

  async dispose(): Promise<void> {
    await this.runner.dispose();
  }
}

function rank(name: string): number {
  const i = PREFERRED.indexOf(name);
  return i < 0 ? PREFERRED.length : i;
}
