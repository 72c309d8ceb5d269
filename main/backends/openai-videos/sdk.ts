/**
 * The `openai` SDK, loaded on first use. It is 236 modules: through tsx that was about 1.1 s of
 * CPU at every `shotline` start (a third of an export's start-up, docs/benchmarks.md), and a
 * CLI export or a project without endpoints never talks to one.
 *
 * `loadedSdk()` answers whether it is loaded without loading it: an error can only be one of
 * the SDK's typed errors once the SDK is loaded (ESM gives every importer the same module, so
 * classes match whoever imported it first), so `instanceof` checks need not load it.
 */
type Sdk = typeof import('openai');

let sdk: Sdk | null = null;
let loading: Promise<Sdk> | null = null;

export function openAiSdk(): Promise<Sdk> {
  if (sdk) return Promise.resolve(sdk);
  loading ??= import('openai').then((m) => (sdk = m));
  return loading;
}

export function loadedSdk(): Sdk | null {
  return sdk;
}

/** Whether `e` is the SDK's connection error (never, if the SDK is not loaded). */
export function isConnectionError(e: unknown): boolean {
  const s = loadedSdk();
  return !!s && e instanceof s.APIConnectionError;
}
