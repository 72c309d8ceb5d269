/**
 * The `openai-videos` provider: one backend per configured endpoint of that kind
 * (`openai-videos:<endpoint id>`), and the connection test behind "Test" in Preferences.
 */
import { readReportedCapabilities } from '../../../app/endpoints/capabilities.js';
import { ShotlineError } from '../../../app/errors.js';
import type { BackendInfo } from '../../../app/generation/types.js';
import type { EndpointService, ProbeResult } from '../../endpoints/service.js';
import type { FfmpegEngine } from '../../media/engine.js';
import type { EndpointRow } from '../../store/endpoint-rows.js';
import type { BackendProvider } from '../provider.js';
import { OPENAI_VIDEOS_KIND, OpenAiVideosBackend, type PollTiming } from './backend.js';
import { describeApiError, VideosClient } from './client.js';

export class OpenAiVideosProvider implements BackendProvider {
  readonly kind = OPENAI_VIDEOS_KIND;

  constructor(
    private readonly endpoints: EndpointService,
    private readonly engine: FfmpegEngine,
    private readonly poll?: PollTiming,
  ) {}

  private backend(row: EndpointRow): OpenAiVideosBackend {
    return new OpenAiVideosBackend(row, this.endpoints.apiKey(row), this.engine, this.poll);
  }

  async list(): Promise<BackendInfo[]> {
    return Promise.all(this.endpoints.rows.list().filter((r) => r.kind === this.kind).map((r) => this.backend(r).info()));
  }

  async resolve(id: string): Promise<OpenAiVideosBackend> {
    const row = this.endpoints.require(id.slice(this.kind.length + 1));
    if (row.kind !== this.kind) throw new ShotlineError('invalid_input', `"${row.name}" is a ${row.kind} endpoint, not ${this.kind}.`);
    return this.backend(row);
  }
}

/** "Test connection": the model list (with Shotline's reported capabilities when present) and the videos list (auth). */
export async function probeOpenAiVideos(row: EndpointRow, apiKey: string | null, signal: AbortSignal): Promise<ProbeResult> {
  const client = new VideosClient(row.baseUrl, apiKey, { maxRetries: 1, timeoutMs: 10_000 });
  let models: Record<string, unknown>[] = [];
  try {
    models = await client.models(signal);
  } catch (e) {
    // Some gateways have no /v1/models; the videos list below still proves the API and the key.
    if ((e as { status?: number }).status !== 404) throw describeApiError(e, row.name);
  }
  const ids = models.map((m) => String(m.id));
  const entry = row.model ? models.find((m) => m.id === row.model) : models.find((m) => m.capabilities) ?? models[0];
  if (row.model && models.length > 0 && !entry)
    throw new ShotlineError('not_found', `"${row.name}" does not offer the model "${row.model}".`, `It offers: ${ids.join(', ')}. Pick one of those in the endpoint's settings.`);
  try {
    await client.recent(1, signal);
  } catch (e) {
    throw describeApiError(e, row.name);
  }
  const capabilities = readReportedCapabilities(entry?.capabilities);
  return {
    message: `Connected to ${row.baseUrl}${ids.length ? ` (models: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''})` : ''}.${capabilities ? ' The server reported what it can make.' : ' Using the protocol\'s standard sizes and lengths.'}`,
    capabilities,
  };
}
