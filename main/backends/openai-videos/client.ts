/**
 * A typed client for an OpenAI-compatible `/v1/videos` server, on the official `openai` SDK:
 * it encodes the multipart bodies, parses the error shape into typed errors, retries reads
 * (GET) itself honouring `retry-after-ms` / `retry-after`, and streams downloads.
 *
 * Submissions (the POSTs that cost money) are NOT left to the SDK's retry: it would resend a
 * POST after a dropped connection without asking whether the server had accepted it. They go
 * out with `maxRetries: 0` and `submit` retries them itself: the same `Idempotency-Key` on
 * every attempt, `retry-after` honoured, and a dropped connection first reconciled by listing
 * the server's recent videos (see backend.ts) before anything is sent again.
 */
import type OpenAI from 'openai';
import type { APIError } from 'openai';
import { loadedSdk, openAiSdk } from './sdk.js';
import { ShotlineError } from '../../../app/errors.js';

export type RemoteStatus = 'queued' | 'in_progress' | 'completed' | 'failed' | 'expired';

/** A video object as servers send it: only what Shotline reads, unknown fields ignored. */
export interface RemoteVideo {
  id: string;
  status: RemoteStatus | string;
  progress: number;
  created_at: number;
  prompt: string | null;
  model: string | null;
  seconds: string | null;
  size: string | null;
  error: { code: string; message: string } | null;
  expires_at: number | null;
  remixed_from_video_id: string | null;
}

export interface CreateParams {
  prompt: string;
  model?: string;
  seconds?: string;
  size?: string;
  /** The input image, already at `size` (PNG bytes). */
  inputReference?: { data: Uint8Array; name: string; type: string };
}

export type Submission =
  | { op: 'create'; params: CreateParams }
  | { op: 'remix'; videoId: string; prompt: string }
  | { op: 'extend'; prompt: string; seconds: string; video: { id: string } | { data: Uint8Array; name: string } }
  | { op: 'edit'; prompt: string; video: { id: string } | { data: Uint8Array; name: string } };

/** `http://host:8000` and `http://host:8000/v1` both mean the server's /v1 API. */
export function apiBaseUrl(baseUrl: string): string {
  const u = baseUrl.replace(/\/+$/, '');
  return /\/v1$/.test(u) ? u : `${u}/v1`;
}

export function toRemoteVideo(raw: unknown): RemoteVideo {
  const o = (raw ?? {}) as Record<string, unknown>;
  if (typeof o.id !== 'string' || typeof o.status !== 'string') throw new ShotlineError('internal', 'The endpoint answered with something that is not a video object.');
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
  const err = o.error as { code?: unknown; message?: unknown } | null | undefined;
  return {
    id: o.id,
    status: o.status,
    progress: typeof o.progress === 'number' && Number.isFinite(o.progress) ? Math.max(0, Math.min(100, o.progress)) : 0,
    created_at: typeof o.created_at === 'number' ? o.created_at : 0,
    prompt: str(o.prompt),
    model: str(o.model),
    seconds: str(o.seconds),
    size: str(o.size),
    error: err && typeof err === 'object' ? { code: String(err.code ?? 'error'), message: String(err.message ?? 'The endpoint gave no reason.') } : null,
    expires_at: typeof o.expires_at === 'number' ? o.expires_at : null,
    remixed_from_video_id: str(o.remixed_from_video_id),
  };
}

/** Statuses a retry can help with (the protocol's list: 408, 409, 429, 5xx), except a spent quota. */
export function isRetryable(e: unknown): boolean {
  const sdk = loadedSdk();
  if (!sdk || !(e instanceof sdk.APIError) || e instanceof sdk.APIConnectionError) return false;
  const s = e.status ?? 0;
  if (s === 429 && e.code === 'insufficient_quota') return false;
  return s === 408 || s === 409 || s === 429 || s >= 500;
}

/** How long the server asked us to wait (retry-after-ms, retry-after seconds or date), capped at a minute. */
export function retryDelayMs(headers: Headers | undefined, attempt: number): number {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0 && ms <= 60_000) return ms;
  const ra = headers?.get('retry-after');
  if (ra) {
    const secs = Number.parseFloat(ra);
    const wait = Number.isFinite(secs) ? secs * 1000 : Date.parse(ra) - Date.now();
    if (Number.isFinite(wait) && wait >= 0 && wait <= 60_000) return wait;
  }
  return Math.min(500 * 2 ** attempt, 8000) * (1 - Math.random() * 0.25);
}

/** An SDK failure in words for the take: what the server said, and what to do. */
export function describeApiError(e: unknown, endpointName: string): ShotlineError {
  if (e instanceof ShotlineError) return e;
  const sdk = loadedSdk();
  if (!sdk) return new ShotlineError('internal', e instanceof Error ? e.message : String(e));
  if (e instanceof sdk.APIUserAbortError) return new ShotlineError('canceled', 'Generation canceled.');
  if (e instanceof sdk.APIConnectionError)
    return new ShotlineError('unsupported', `"${endpointName}" could not be reached (${e.cause instanceof Error ? e.cause.message : e.message}).`, 'Check that the server is running and the address in Preferences → Endpoints is right.');
  if (e instanceof sdk.APIError) {
    const said = (e.error as { message?: unknown } | undefined)?.message;
    const msg = typeof said === 'string' && said ? said : e.message;
    const code = e.code ?? '';
    const s = e.status ?? 0;
    if (s === 401 || s === 403)
      return new ShotlineError('unauthorized', `"${endpointName}" refused the API key (${s}): ${msg}`, 'Set the key in Preferences → Endpoints (or the SHOTLINE_ENDPOINT_KEY_<NAME> environment variable).');
    if (s === 429 && code === 'insufficient_quota') return new ShotlineError('unsupported', `"${endpointName}" says the account's quota is used up: ${msg}`, 'Add credit or raise the limit with the provider, then retry the take.');
    if (s === 429) return new ShotlineError('unsupported', `"${endpointName}" is rate-limiting requests: ${msg}`, 'Wait a little and retry the take, or lower the endpoint\'s concurrency.');
    if (/moderation|policy|safety|content_filter/i.test(`${code} ${e.type ?? ''} ${msg}`))
      return new ShotlineError('invalid_input', `"${endpointName}" refused the request under its content policy: ${msg}`, 'Rephrase the prompt (or change the input image) and generate again.');
    if (s === 404) return new ShotlineError('not_found', `"${endpointName}" does not know this video any more (404): ${msg}`);
    if (s >= 400 && s < 500) return new ShotlineError('invalid_input', `"${endpointName}" refused the request (${s}): ${msg}`);
    return new ShotlineError('unsupported', `"${endpointName}" failed (${s}): ${msg}`, 'The server had a problem; retry the take later.');
  }
  return new ShotlineError('internal', e instanceof Error ? e.message : String(e));
}

export class VideosClient {
  private client: Promise<OpenAI> | null = null;
  private readonly sdkOptions: ConstructorParameters<typeof OpenAI>[0];
  private readonly api: string;
  private readonly authHeaders: Record<string, string>;
  private readonly fetchFn: typeof fetch;

  constructor(
    readonly baseUrl: string,
    apiKey: string | null,
    opts: { fetch?: typeof fetch; maxRetries?: number; timeoutMs?: number } = {},
  ) {
    this.api = apiBaseUrl(baseUrl);
    this.authHeaders = { authorization: `Bearer ${apiKey ?? 'no-key'}`, accept: 'application/json' };
    this.fetchFn = opts.fetch ?? fetch;
    this.sdkOptions = {
      baseURL: apiBaseUrl(baseUrl),
      // The SDK insists on a key; servers without auth (shotline serve --token '', local gateways) ignore it.
      apiKey: apiKey ?? 'no-key',
      maxRetries: opts.maxRetries ?? 3,
      timeout: opts.timeoutMs ?? 60_000,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    };
  }

  /** The SDK client, made on first use (the SDK loads then: sdk.ts). */
  private sdk(): Promise<OpenAI> {
    this.client ??= openAiSdk().then(({ default: OpenAI }) => new OpenAI(this.sdkOptions));
    return this.client;
  }

  /**
   * A request on the hot path (a poll of a running take, its download, a plain JSON create;
   * a body makes it a POST) without the SDK's request
   * machinery (per-request options, retry and timeout bookkeeping, logging hooks), which cost
   * about as much again as the round trip on small requests (docs/endpoints.md, benchmark).
   * Failures become the SDK's own typed errors (APIError.generate, as the SDK does), so they read the same.
   */
  private async hotGet(pathAndQuery: string, signal?: AbortSignal, headers?: Record<string, string>, body?: unknown): Promise<Response> {
    const { APIConnectionError, APIError, APIUserAbortError } = await openAiSdk();
    let res: Response;
    try {
      res = await this.fetchFn(
        `${this.api}${pathAndQuery}`,
        body === undefined ? { headers: { ...this.authHeaders, ...headers }, signal } : { method: 'POST', headers: { ...this.authHeaders, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal },
      );
    } catch (e) {
      if (signal?.aborted) throw new APIUserAbortError();
      throw new APIConnectionError({ cause: e instanceof Error ? e : new Error(String(e)) });
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      throw APIError.generate(res.status, json as object, json ? undefined : text, res.headers);
    }
    return res;
  }

  /** A video's state; a 408/409/429/5xx answer is retried twice (retry-after honoured), like the SDK's reads. */
  async retrieve(id: string, signal?: AbortSignal): Promise<RemoteVideo> {
    for (let attempt = 0; ; attempt++) {
      try {
        return toRemoteVideo(await (await this.hotGet(`/videos/${encodeURIComponent(id)}`, signal)).json());
      } catch (e) {
        if (attempt >= 2 || !isRetryable(e) || signal?.aborted) throw e;
        await new Promise((r) => setTimeout(r, retryDelayMs((e as APIError).headers, attempt)));
      }
    }
  }

  /** The most recent videos, newest first (one page of up to `limit`). */
  async recent(limit: number, signal?: AbortSignal): Promise<RemoteVideo[]> {
    const page = await (await this.sdk()).videos.list({ limit, order: 'desc' }, { signal });
    return page.data.map(toRemoteVideo);
  }

  async delete(id: string, signal?: AbortSignal): Promise<void> {
    await (await this.sdk()).videos.delete(id, { signal });
  }

  /** The models the server lists (GET /v1/models), raw: Shotline's own server adds `capabilities`. */
  async models(signal?: AbortSignal): Promise<Record<string, unknown>[]> {
    const page = await (await this.sdk()).models.list({ signal });
    return page.data as unknown as Record<string, unknown>[];
  }

  /** GET content (a Response to stream); `from` > 0 asks for the rest of a cut download. */
  async content(id: string, variant: 'video' | 'thumbnail', from: number, signal?: AbortSignal): Promise<Response> {
    return this.hotGet(`/videos/${encodeURIComponent(id)}/content?variant=${variant}`, signal, { accept: '*/*', ...(from > 0 ? { range: `bytes=${from}-` } : {}) });
  }

  /** POST /v1/videos/characters (multipart name + video): a reusable character; its id and name. */
  async createCharacter(name: string, video: { data: Uint8Array; name: string; type: string }, signal?: AbortSignal): Promise<{ id: string; name: string }> {
    const { toFile } = await openAiSdk();
    const r = await (await this.sdk()).videos.createCharacter({ name, video: await toFile(video.data, video.name, { type: video.type }) }, { signal });
    if (!r.id) throw new Error('The server made no character id.');
    return { id: r.id, name: r.name ?? name };
  }

  /** One attempt at a submission (no SDK retry), carrying the job's idempotency key. */
  async submitOnce(s: Submission, idempotencyKey: string, signal?: AbortSignal): Promise<RemoteVideo> {
    const opts = { signal, maxRetries: 0, headers: { 'Idempotency-Key': idempotencyKey } };
    const v = (await this.sdk()).videos;
    const { toFile } = await openAiSdk();
    switch (s.op) {
      case 'create': {
        const p = s.params;
        // The protocol takes JSON or multipart; the SDK's create always builds multipart, which
        // costs both sides an encode/parse per take. Only an input image needs it.
        if (!p.inputReference) {
          const json = { prompt: p.prompt, ...(p.model ? { model: p.model } : {}), ...(p.seconds ? { seconds: p.seconds } : {}), ...(p.size ? { size: p.size } : {}) };
          return toRemoteVideo(await (await this.hotGet('/videos', signal, { 'Idempotency-Key': idempotencyKey }, json)).json());
        }
        const body = {
          prompt: p.prompt,
          ...(p.model ? { model: p.model } : {}),
          ...(p.seconds ? { seconds: p.seconds } : {}),
          ...(p.size ? { size: p.size } : {}),
          ...(p.inputReference ? { input_reference: await toFile(p.inputReference.data, p.inputReference.name, { type: p.inputReference.type }) } : {}),
        } as Parameters<typeof v.create>[0];
        return toRemoteVideo(await v.create(body, opts));
      }
      case 'remix':
        return toRemoteVideo(await v.remix(s.videoId, { prompt: s.prompt }, opts));
      case 'extend': {
        const video = 'id' in s.video ? { id: s.video.id } : await toFile(s.video.data, s.video.name, { type: 'video/mp4' });
        return toRemoteVideo(await v.extend({ prompt: s.prompt, seconds: s.seconds as '4', video }, opts));
      }
      case 'edit': {
        const video = 'id' in s.video ? { id: s.video.id } : await toFile(s.video.data, s.video.name, { type: 'video/mp4' });
        return toRemoteVideo(await v.edit({ prompt: s.prompt, video }, opts));
      }
    }
  }
}
