/**
 * Endpoints: remote generation servers the user configured (an OpenAI-compatible `/v1/videos`
 * server, a ComfyUI box, an OpenAI-compatible `/v1/audio/speech` voice). Rows in the app library; their API keys live in the OS keychain and
 * never appear here: `hasKey` says whether one is stored, nothing more.
 */
import type { GenerationCapabilities } from '../generation/types.js';

export type EndpointKind = 'openai-videos' | 'comfyui' | 'openai-speech';
export const ENDPOINT_KINDS: readonly EndpointKind[] = ['openai-videos', 'comfyui', 'openai-speech'];
/** Kinds that voice dialogue (app/speech) rather than make video. */
export const SPEECH_ENDPOINT_KINDS: readonly EndpointKind[] = ['openai-speech'];

export const ENDPOINT_KIND_LABELS: Record<EndpointKind, string> = {
  'openai-videos': 'OpenAI-compatible video API (/v1/videos)',
  comfyui: 'ComfyUI server',
  'openai-speech': 'OpenAI-compatible speech API (/v1/audio/speech)',
};

/** Operations beyond plain generation that a remote server may offer on its own videos. */
export type RemoteOperation = 'remix' | 'extend' | 'edit';

export interface EndpointCapabilities extends GenerationCapabilities {
  /** Remix / extend / edit of a video made on the same endpoint (by its remote id). */
  operations: RemoteOperation[];
  /** Whether an input image (image-to-video) is accepted. */
  imageInput: boolean;
}

export interface EndpointOptions {
  /** Delete the remote copy once the take is downloaded and verified. */
  deleteAfterDownload?: boolean;
  /** How an input image is made to match the requested size: crop to fill, or pad (letterbox). */
  imageFit?: 'crop' | 'pad';
  /** The server offers characters (`POST /v1/videos/characters`): cameos are sent as characters, not stills. */
  characters?: boolean;
  /** ComfyUI: the API-format workflow file and its mapping file. */
  workflow?: string;
  mapping?: string;
}

export interface EndpointCheck {
  at: string;
  ok: boolean;
  message: string;
  latencyMs: number | null;
}

export interface Endpoint {
  id: string;
  name: string;
  kind: EndpointKind;
  baseUrl: string;
  /** The model to ask for (`model` on /v1/videos); null: the server's default. */
  model: string | null;
  /** Takes this endpoint runs at once (its network slot). */
  concurrency: number;
  /** Price per generated second in US dollars, for a paid endpoint; null: free (own hardware). */
  pricePerSecond: number | null;
  /** Endpoints sharing a pool name take work as one (least-loaded healthy member). */
  pool: string | null;
  options: EndpointOptions;
  /** What the server reported at the last test (or the protocol's defaults before one). */
  capabilities: EndpointCapabilities;
  /** Whether an API key is stored for it (in the keychain) or given by the environment. */
  hasKey: boolean;
  /** Where the key comes from: 'keychain', 'environment' (SHOTLINE_ENDPOINT_KEY_<NAME>), or null. */
  keySource: 'keychain' | 'environment' | null;
  /** The environment variable that supplies the key where no keychain exists. */
  keyEnvVar: string;
  lastCheck: EndpointCheck | null;
  createdAt: string;
  updatedAt: string;
}

/** The environment variable naming an endpoint's key: SHOTLINE_ENDPOINT_KEY_ + the name in upper case, other characters as '_'. */
export function endpointKeyEnvVar(name: string): string {
  return `SHOTLINE_ENDPOINT_KEY_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The backend id of an endpoint ('openai-videos:<id>') or of a pool ('pool:<name>'). */
export function endpointBackendId(e: Pick<Endpoint, 'kind' | 'id'>): string {
  return `${e.kind}:${e.id}`;
}
export function poolBackendId(pool: string): string {
  return `pool:${pool}`;
}

/** The job resource an endpoint's runs hold: its own network slot. */
export function endpointResource(id: string): `network:${string}` {
  return `network:${id}`;
}

/** Estimated price of `takes` takes of `seconds` each on a paid endpoint, in dollars (null when free). */
export function estimateCost(pricePerSecond: number | null, seconds: number, takes: number): number | null {
  if (pricePerSecond === null) return null;
  return Math.round(pricePerSecond * seconds * takes * 100) / 100;
}
