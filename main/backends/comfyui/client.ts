/**
 * A small typed client for ComfyUI's HTTP API and WebSocket (no official JS client exists):
 * /prompt, /queue, /history, /view, /upload/image, /interrupt, /system_stats; the
 * /ws?clientId= socket is shared per endpoint (socket-hub.ts). ComfyUI has no authentication of its own; a key, when set (a proxy in
 * front of it), is sent as a bearer token.
 */
import { hubFor, type ComfySocketHub } from './socket-hub.js';
import { ShotlineError } from '../../../app/errors.js';
import type { ComfyGraph } from '../../../app/endpoints/comfy-mapping.js';

export interface ComfyFile {
  filename: string;
  subfolder: string;
  type: string;
}

export interface ComfyHistoryEntry {
  prompt: [number, string, unknown, { client_id?: string; shotline_job?: string } | undefined, unknown];
  outputs: Record<string, Record<string, unknown>>;
  status?: { status_str?: string; completed?: boolean; messages?: [string, Record<string, unknown>][] };
}

export type { ComfyEvent } from './socket-hub.js';

export class ComfyClient {
  readonly base: string;
  constructor(
    baseUrl: string,
    private readonly apiKey: string | null,
    private readonly name: string,
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}), ...extra };
  }

  private async req(path: string, init: RequestInit & { signal?: AbortSignal } = {}): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, { ...init, headers: this.headers((init.headers as Record<string, string>) ?? {}) });
    } catch (e) {
      if (init.signal?.aborted) throw new ShotlineError('canceled', 'Generation canceled.');
      throw new ShotlineError('unsupported', `The ComfyUI server "${this.name}" could not be reached (${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}).`, 'Check that ComfyUI is running and the address in Preferences → Endpoints is right.');
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      throw new ShotlineError(res.status === 401 || res.status === 403 ? 'unauthorized' : 'unsupported', `The ComfyUI server "${this.name}" answered ${res.status} to ${path.split('?')[0]}: ${text.slice(0, 300) || res.statusText}`);
    }
    return res;
  }

  private async json<T>(path: string, init: RequestInit & { signal?: AbortSignal } = {}): Promise<T> {
    return (await (await this.req(path, init)).json()) as T;
  }

  systemStats(signal?: AbortSignal): Promise<{ system?: { comfyui_version?: string }; devices?: { name?: string }[] }> {
    return this.json('/system_stats', { signal });
  }

  /** Queue a graph; ComfyUI checks it first and lists what is wrong per node. */
  /**
   * Queue a graph under the socket's client id (ComfyUI sends its events there); `jobKey` goes
   * in `extra_data`, which ComfyUI keeps with the prompt in /queue and /history, so a job that
   * lost its prompt id finds it again.
   */
  async queuePrompt(graph: ComfyGraph, clientId: string, jobKey: string, signal?: AbortSignal): Promise<string> {
    let res: Response;
    try {
      res = await fetch(`${this.base}/prompt`, { method: 'POST', headers: this.headers({ 'content-type': 'application/json' }), body: JSON.stringify({ prompt: graph, client_id: clientId, extra_data: { shotline_job: jobKey } }), signal });
    } catch (e) {
      if (signal?.aborted) throw new ShotlineError('canceled', 'Generation canceled.');
      throw Object.assign(new ShotlineError('unsupported', `The ComfyUI server "${this.name}" could not be reached while queueing (${(e as Error).message}).`), { dropped: true });
    }
    const body = (await res.json().catch(() => ({}))) as { prompt_id?: string; error?: { message?: string }; node_errors?: Record<string, { errors?: { message?: string; details?: string }[]; class_type?: string }> };
    const nodeErrors = Object.entries(body.node_errors ?? {}).flatMap(([id, n]) => (n.errors ?? []).map((e) => `node ${id} (${n.class_type ?? '?'}): ${e.message ?? ''}${e.details ? ` — ${e.details}` : ''}`));
    if (!res.ok || !body.prompt_id || nodeErrors.length)
      throw new ShotlineError('invalid_input', `ComfyUI refused the workflow: ${[body.error?.message, ...nodeErrors].filter(Boolean).join('; ') || res.statusText}`, 'Check that the server has the models and custom nodes the workflow uses.');
    return body.prompt_id;
  }

  /**
   * Put a file in ComfyUI's input folder. /upload/image is ComfyUI's route for every input file
   * (its LoadAudio node's upload widget posts audio there too): the form field is `image`
   * whatever the file is. Returns the name a LoadImage / LoadAudio node takes.
   */
  async uploadImage(data: Uint8Array, name: string, signal?: AbortSignal, type = 'image/png'): Promise<string> {
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(data)], { type }), name);
    form.append('overwrite', 'true');
    const r = await this.json<{ name: string; subfolder?: string }>('/upload/image', { method: 'POST', body: form, signal });
    return r.subfolder ? `${r.subfolder}/${r.name}` : r.name;
  }

  queue(signal?: AbortSignal): Promise<{ queue_running: unknown[][]; queue_pending: unknown[][] }> {
    return this.json('/queue', { signal });
  }

  async history(promptId: string, signal?: AbortSignal): Promise<ComfyHistoryEntry | null> {
    const h = await this.json<Record<string, ComfyHistoryEntry>>(`/history/${encodeURIComponent(promptId)}`, { signal });
    return h[promptId] ?? null;
  }

  recentHistory(max: number, signal?: AbortSignal): Promise<Record<string, ComfyHistoryEntry>> {
    return this.json(`/history?max_items=${max}`, { signal });
  }

  view(file: ComfyFile, from: number, signal?: AbortSignal): Promise<Response> {
    const q = new URLSearchParams({ filename: file.filename, subfolder: file.subfolder, type: file.type });
    return this.req(`/view?${q}`, { signal, headers: from > 0 ? { range: `bytes=${from}-` } : {} });
  }

  async interrupt(promptId: string): Promise<void> {
    await this.req('/interrupt', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt_id: promptId }) });
  }

  async deleteFromQueue(promptId: string): Promise<void> {
    await this.req('/queue', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ delete: [promptId] }) });
  }

  /** This endpoint's shared event socket (one per endpoint and process; see socket-hub.ts). */
  hub(endpointId: string): ComfySocketHub {
    return hubFor(this.base, endpointId, this.headers());
  }
}

/** The first video-like file of an output node (SaveVideo: images/videos; VideoHelperSuite: gifs). */
export function outputFile(outputs: Record<string, unknown> | undefined): ComfyFile | null {
  if (!outputs) return null;
  for (const key of ['videos', 'gifs', 'images']) {
    const list = outputs[key];
    if (!Array.isArray(list)) continue;
    for (const f of list as Partial<ComfyFile>[]) if (f && typeof f.filename === 'string') return { filename: f.filename, subfolder: f.subfolder ?? '', type: f.type ?? 'output' };
  }
  return null;
}
