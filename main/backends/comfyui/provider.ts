/** The `comfyui` provider: one backend per ComfyUI endpoint (`comfyui:<endpoint id>`), and its connection test. */
import { comfyCapabilities } from '../../../app/endpoints/comfy-mapping.js';
import { ShotlineError } from '../../../app/errors.js';
import type { BackendInfo } from '../../../app/generation/types.js';
import type { EndpointService, ProbeResult } from '../../endpoints/service.js';
import type { FfmpegEngine } from '../../media/engine.js';
import type { EndpointRow } from '../../store/endpoint-rows.js';
import type { BackendProvider } from '../provider.js';
import { COMFYUI_KIND, ComfyUiBackend } from './backend.js';
import { ComfyClient } from './client.js';
import { loadWorkflow } from './workflow.js';

export class ComfyUiProvider implements BackendProvider {
  readonly kind = COMFYUI_KIND;
  constructor(
    private readonly endpoints: EndpointService,
    private readonly engine: FfmpegEngine,
  ) {}

  private backend(row: EndpointRow): ComfyUiBackend {
    return new ComfyUiBackend(row, this.endpoints.apiKey(row), loadWorkflow(row.options.workflow, row.options.mapping), this.engine);
  }

  async list(): Promise<BackendInfo[]> {
    return Promise.all(
      this.endpoints.rows
        .list()
        .filter((r) => r.kind === this.kind)
        .map(async (r) => {
          try {
            return await this.backend(r).info();
          } catch (e) {
            const err = e instanceof ShotlineError ? e.toJSON() : { code: 'internal' as const, message: String(e) };
            return { id: `${this.kind}:${r.id}`, label: `${r.name} (ComfyUI, unusable)`, model: { name: '?', version: '?', displayName: '?' }, capabilities: r.capabilities, status: 'error' as const, error: err, executionProvider: 'remote', location: r.baseUrl };
          }
        }),
    );
  }

  async resolve(id: string): Promise<ComfyUiBackend> {
    const row = this.endpoints.require(id.slice(this.kind.length + 1));
    if (row.kind !== this.kind) throw new ShotlineError('invalid_input', `"${row.name}" is a ${row.kind} endpoint, not ComfyUI.`);
    return this.backend(row);
  }
}

/** "Test connection": the workflow and mapping load, and the server answers /system_stats. */
export async function probeComfyUi(row: EndpointRow, apiKey: string | null, signal: AbortSignal): Promise<ProbeResult> {
  const wf = loadWorkflow(row.options.workflow, row.options.mapping);
  const stats = await new ComfyClient(row.baseUrl, apiKey, row.name).systemStats(signal);
  const version = stats.system?.comfyui_version;
  const gpu = stats.devices?.[0]?.name;
  return { message: `Connected to ComfyUI${version ? ` ${version}` : ''}${gpu ? ` on ${gpu}` : ''}; the workflow and its mapping are valid.`, capabilities: comfyCapabilities(wf.mapping) };
}
