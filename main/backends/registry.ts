/**
 * The generation backends this machine offers, by provider: `local-onnx` (one backend per
 * model pack) always; remote providers (`openai-videos`, `comfyui`, pools) are registered by
 * the services that configure endpoints. A request names a backend id (`kind` or
 * `kind:name`); the registry hands it to the provider of that kind.
 */
import { ShotlineError } from '../../app/errors.js';
import type { GenerationBackend } from '../../app/generation/backend.js';
import type { BackendInfo } from '../../app/generation/types.js';
import { LOCAL_ONNX_ID } from './local-onnx.js';
import { LocalOnnxProvider, type LocalProviderOptions } from './local-onnx-provider.js';
import { backendKind, type BackendProvider } from './provider.js';

export { APP_ROOT, shippedModelsDir, defaultModelDirs } from './model-dirs.js';
export type RegistryOptions = LocalProviderOptions;

export class BackendRegistry {
  /** The local model packs (always present). */
  readonly local: LocalOnnxProvider;
  private readonly providers = new Map<string, BackendProvider>();

  constructor(opts: RegistryOptions) {
    this.local = new LocalOnnxProvider(opts);
    this.register(this.local);
  }

  register(provider: BackendProvider): void {
    if (this.providers.has(provider.kind)) throw new Error(`A "${provider.kind}" backend provider is already registered.`);
    this.providers.set(provider.kind, provider);
  }

  kinds(): string[] {
    return [...this.providers.keys()];
  }

  /** Every backend of every provider; one provider failing to list does not hide the others. */
  async list(): Promise<BackendInfo[]> {
    const lists = await Promise.all([...this.providers.values()].map((p) => p.list().catch(() => [] as BackendInfo[])));
    return lists.flat();
  }

  /** The backend for a request: `backendId` (default: local) and/or `model` (a pack name or folder for local). */
  async resolve(backendId?: string | null, model?: string | null): Promise<GenerationBackend> {
    const id = backendId ?? LOCAL_ONNX_ID;
    const provider = this.providers.get(backendKind(id));
    if (!provider)
      throw new ShotlineError('not_found', `There is no generation backend "${id}".`, `Available kinds here: ${this.kinds().join(', ')}. Remote endpoints are added in Preferences → Endpoints.`);
    return provider.resolve(id, model ?? null);
  }

  async dispose(): Promise<void> {
    for (const p of this.providers.values()) await p.dispose?.();
  }
}
