/**
 * An OpenAI-compatible `/v1/videos` HTTP server over a VideoStore: create (JSON or multipart,
 * optional `input_reference`), retrieve, list, content (variant=video|thumbnail, with Range),
 * remix, extensions, edits, delete, plus `/v1/models` (each model with Shotline's
 * `capabilities`, which other clients ignore). Errors in the protocol's shape
 * `{error:{message,type,param,code}}`; `Idempotency-Key` maps a retried submission to the video
 * it already created; a bearer token is required on every request.
 */
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { parseSize } from '../../app/endpoints/capabilities.js';
import type { EndpointCapabilities } from '../../app/endpoints/types.js';
import { tokensEqual } from '../bridge/http-util.js';
import { VideoStore, type MakeSpec, type VideoMaker } from './video-store.js';
import { CharacterStore } from './characters.js';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = 'invalid_request_error',
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

export function sendError(res: ServerResponse, e: ApiFailure): void {
  const body = JSON.stringify({ error: { message: e.message, type: e.type, param: e.param, code: e.code } });
  res.writeHead(e.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), 'cache-control': 'no-store' });
  res.end(data);
}

const MAX_BODY = 256 * 1024 * 1024;

/** A request body as fields and files, whether it came as JSON or multipart (nested keys as `video[id]`). */
async function readBody(req: IncomingMessage): Promise<{ fields: Record<string, unknown>; files: Record<string, File> }> {
  const type = req.headers['content-type'] ?? '';
  const len = Number(req.headers['content-length'] ?? 0);
  if (len > MAX_BODY) throw new ApiFailure(413, 'The request body is too large.');
  if (type.startsWith('multipart/form-data')) {
    const r = new Request('http://local/', { method: 'POST', headers: { 'content-type': type }, body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } as RequestInit);
    let form: FormData;
    try {
      form = await r.formData();
    } catch {
      throw new ApiFailure(400, 'The multipart body could not be read.');
    }
    const fields: Record<string, unknown> = {};
    const files: Record<string, File> = {};
    for (const [k, v] of form.entries()) {
      if (typeof v === 'string') {
        const m = /^(\w+)\[(\w+)\]$/.exec(k);
        if (m) fields[m[1]!] = { ...((fields[m[1]!] as object) ?? {}), [m[2]!]: v };
        else fields[k] = v;
      } else files[k] = v;
    }
    return { fields, files };
  }
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  if (!chunks.length) return { fields: {}, files: {} };
  try {
    const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error();
    return { fields: parsed as Record<string, unknown>, files: {} };
  } catch {
    throw new ApiFailure(400, 'The request body is not a JSON object.');
  }
}

export interface VideosServerOptions {
  maker: VideoMaker;
  /** Required bearer token (compared in constant time). */
  token: string;
  host?: string;
  port?: number;
  /** Where results are kept (default: a temp folder removed on close). */
  dataDir?: string;
  concurrency?: number;
  /** `POST /v1/audio/speech` (speech-route.ts), listed in /v1/models beside the video models. */
  speech?: AudioSpeechRoute;
  /** Called on every request before it is handled (tests act out failures here); return true when it answered. */
  intercept?: (req: IncomingMessage, res: ServerResponse, route: string) => boolean | Promise<boolean>;
}

/** The speech route's seam: its /v1/models entries and the handler of a parsed JSON body. */
export interface AudioSpeechRoute {
  models(): Record<string, unknown>[];
  handle(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): Promise<void>;
}

export interface VideosServer {
  url: string;
  port: number;
  store: VideoStore;
  /** Characters uploaded to POST /v1/videos/characters. */
  characters: CharacterStore;
  /** Requests seen per route ("POST /v1/videos"), for tests and logs. */
  counts: Map<string, number>;
  close(): Promise<void>;
}

export async function startVideosServer(opts: VideosServerOptions): Promise<VideosServer> {
  const tmp = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-serve-'));
  const store = new VideoStore(tmp, opts.maker, opts.concurrency ?? 1);
  const characters = new CharacterStore(path.join(tmp, 'characters'));
  const counts = new Map<string, number>();
  let models: { id: string; capabilities: EndpointCapabilities }[] | null = null;
  const getModels = async () => (models ??= await opts.maker.models());

  async function spec(op: MakeSpec['op'], f: Record<string, unknown>, base?: { model: string; seconds: string; size: string }): Promise<MakeSpec> {
    const all = await getModels();
    const prompt = f.prompt;
    if (typeof prompt !== 'string' || !prompt.trim()) throw new ApiFailure(400, "Missing required parameter: 'prompt'.", 'invalid_request_error', 'prompt', 'missing_required_parameter');
    const modelId = typeof f.model === 'string' ? f.model : (base?.model ?? all[0]?.id);
    const model = all.find((m) => m.id === modelId);
    if (!model) throw new ApiFailure(400, `The model '${String(modelId)}' does not exist here. Available: ${all.map((m) => m.id).join(', ')}.`, 'invalid_request_error', 'model', 'model_not_found');
    const caps = model.capabilities;
    if (prompt.length > caps.maxPromptChars) throw new ApiFailure(400, `The prompt is longer than ${caps.maxPromptChars} characters.`, 'invalid_request_error', 'prompt', 'string_above_max_length');
    const sizeStr = typeof f.size === 'string' ? f.size : (base?.size ?? `${caps.sizes[0]!.width}x${caps.sizes[0]!.height}`);
    let size: { width: number; height: number };
    try {
      size = parseSize(sizeStr);
    } catch {
      throw new ApiFailure(400, `Invalid size '${sizeStr}'.`, 'invalid_request_error', 'size', 'invalid_value');
    }
    if (!caps.sizes.some((s) => s.width === size.width && s.height === size.height))
      throw new ApiFailure(400, `Invalid size '${sizeStr}'. Supported: ${caps.sizes.map((s) => `${s.width}x${s.height}`).join(', ')}.`, 'invalid_request_error', 'size', 'invalid_value');
    const secStr = f.seconds !== undefined ? String(f.seconds) : (base?.seconds ?? String(caps.durations[0]));
    const seconds = Number(secStr);
    if (op !== 'extend' && !caps.durations.some((d) => Math.abs(d - seconds) < 1e-6))
      throw new ApiFailure(400, `Invalid seconds '${secStr}'. Supported: ${caps.durations.join(', ')}.`, 'invalid_request_error', 'seconds', 'invalid_value');
    return { op, prompt, model: model.id, seconds, size };
  }

  async function saveUpload(file: File, name: string): Promise<string> {
    const p = path.join(tmp, `upload-${Date.now()}-${Math.random().toString(36).slice(2)}-${name}`);
    await fs.promises.writeFile(p, Buffer.from(await file.arrayBuffer()));
    return p;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = req.method ?? 'GET';
    const route = `${method} ${url.pathname.replace(/\/video_[0-9a-f]+/, '/{id}')}`;
    counts.set(route, (counts.get(route) ?? 0) + 1);
    if (opts.intercept && (await opts.intercept(req, res, route))) return;
    const auth = req.headers.authorization ?? '';
    const given = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (!tokensEqual(given, opts.token)) throw new ApiFailure(401, 'Incorrect API key provided.', 'invalid_request_error', null, 'invalid_api_key');
    const owner = 'token';
    const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'v1') throw new ApiFailure(404, `Unknown path ${url.pathname}.`, 'invalid_request_error', null, 'unknown_url');

    if (parts[1] === 'models' && method === 'GET' && parts.length === 2) {
      const all = await getModels();
      const speech = opts.speech?.models() ?? [];
      return send(res, 200, { object: 'list', data: [...all.map((m) => ({ id: m.id, object: 'model', created: 0, owned_by: 'shotline', capabilities: m.capabilities })), ...speech] });
    }
    if (parts[1] === 'audio' && parts[2] === 'speech' && parts.length === 3) {
      if (!opts.speech) throw new ApiFailure(404, 'This server does not offer speech.', 'invalid_request_error', null, 'unknown_url');
      if (method !== 'POST') throw new ApiFailure(405, `Use POST for ${url.pathname}.`, 'invalid_request_error', null, 'method_not_allowed');
      const { fields } = await readBody(req);
      return opts.speech.handle(req, res, fields);
    }
    if (parts[1] !== 'videos') throw new ApiFailure(404, `Unknown path ${url.pathname}.`, 'invalid_request_error', null, 'unknown_url');
    const id = parts[2];
    if (id === 'characters') {
      if (method === 'POST' && parts.length === 3) {
        const { fields, files } = await readBody(req);
        const made = await characters.create(fields.name, files.video);
        if (typeof made === 'string') throw new ApiFailure(400, made, 'invalid_request_error', made.includes("'name'") ? 'name' : 'video', 'invalid_value');
        return send(res, 200, made);
      }
      const c = method === 'GET' && parts.length === 4 ? characters.get(parts[3]!) : null;
      if (!c) throw new ApiFailure(404, `No character found with id '${parts[3] ?? ''}'.`, 'invalid_request_error', 'character_id', 'not_found');
      return send(res, 200, c);
    }
    const sourceOf = (vid: unknown, param: string) => {
      const f = typeof vid === 'string' ? store.files(owner, vid) : null;
      if (!f) throw new ApiFailure(404, `No video found with id '${String(vid)}'.`, 'invalid_request_error', param, 'not_found');
      if (f.video.status !== 'completed') throw new ApiFailure(400, `Video '${f.video.id}' is not completed.`, 'invalid_request_error', param, 'video_not_ready');
      return f;
    };
    // Submissions: a retried one (same Idempotency-Key) gets the video it already made.
    if (method === 'POST' && (parts.length === 2 || (parts.length === 3 && (id === 'extensions' || id === 'edits')) || (parts.length === 4 && parts[3] === 'remix'))) {
      const again = store.forKey(owner, key);
      if (again) {
        req.resume();
        return send(res, 200, again);
      }
      const { fields, files } = await readBody(req);
      if (parts.length === 2) {
        const s = await spec('create', fields);
        if (files.input_reference) {
          s.inputReference = await saveUpload(files.input_reference, 'ref.png');
        }
        return send(res, 200, store.submit(owner, key, s, null));
      }
      if (parts[3] === 'remix') {
        const src = sourceOf(id, 'video_id');
        const s = await spec('remix', fields, src.video);
        return send(res, 200, store.submit(owner, key, { ...s, source: src.file }, src.video.id));
      }
      if (id === 'extensions') {
        const src = sourceOf((fields.video as { id?: unknown } | undefined)?.id, 'video');
        const s = await spec('extend', fields, src.video);
        if (!(s.seconds >= 4 && s.seconds <= 20)) throw new ApiFailure(400, 'An extension is 4 to 20 seconds long.', 'invalid_request_error', 'seconds', 'invalid_value');
        return send(res, 200, store.submit(owner, key, { ...s, source: src.file }, src.video.id));
      }
      // edits: a video of ours by id, or an uploaded clip
      let source: string;
      let base: { model: string; seconds: string; size: string } | undefined;
      let from: string | null = null;
      if (files.video) source = await saveUpload(files.video, 'source.mp4');
      else {
        const src = sourceOf((fields.video as { id?: unknown } | undefined)?.id, 'video');
        source = src.file;
        base = src.video;
        from = src.video.id;
      }
      const s = await spec('edit', fields, base);
      return send(res, 200, store.submit(owner, key, { ...s, source }, from));
    }
    if (method === 'GET' && parts.length === 2) {
      const limit = Math.max(1, Math.min(100, Number(url.searchParams.get('limit') ?? 20) || 20));
      const order = url.searchParams.get('order') === 'asc' ? 'asc' : 'desc';
      const page = store.list(owner, { limit, after: url.searchParams.get('after') ?? undefined, order });
      return send(res, 200, { object: 'list', data: page.data, first_id: page.data[0]?.id ?? null, last_id: page.data.at(-1)?.id ?? null, has_more: page.has_more });
    }
    const found = id ? store.files(owner, id) : null;
    if (!found) throw new ApiFailure(404, `No video found with id '${id ?? ''}'.`, 'invalid_request_error', 'video_id', 'not_found');
    if (method === 'GET' && parts.length === 3) return send(res, 200, found.video);
    if (method === 'DELETE' && parts.length === 3) {
      store.delete(owner, found.video.id);
      return send(res, 200, { id: found.video.id, object: 'video.deleted', deleted: true });
    }
    if (method === 'GET' && parts.length === 4 && parts[3] === 'content') {
      const variant = url.searchParams.get('variant') ?? 'video';
      if (variant !== 'video' && variant !== 'thumbnail') throw new ApiFailure(400, `Unsupported variant '${variant}'.`, 'invalid_request_error', 'variant', 'invalid_value');
      if (found.video.status !== 'completed') throw new ApiFailure(404, `Video '${found.video.id}' is ${found.video.status}; its content is not available.`, 'invalid_request_error', 'video_id', 'not_found');
      return sendFile(req, res, variant === 'video' ? found.file : found.thumb, variant === 'video' ? 'video/mp4' : 'image/jpeg');
    }
    throw new ApiFailure(404, `Unknown path ${method} ${url.pathname}.`, 'invalid_request_error', null, 'unknown_url');
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) return res.destroy();
      sendError(res, e instanceof ApiFailure ? e : new ApiFailure(500, e instanceof Error ? e.message : String(e), 'server_error', null, 'internal_error'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    port: addr.port,
    store,
    characters,
    counts,
    async close() {
      await store.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      if (!opts.dataDir) fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** A file with Range support (single ranges), streamed. */
function sendFile(req: IncomingMessage, res: ServerResponse, file: string, type: string): void {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new ApiFailure(404, 'The content is no longer available.', 'invalid_request_error', null, 'not_found');
  }
  const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  if (m) {
    const start = Number(m[1]);
    const end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    if (start >= size || start > end) {
      res.writeHead(416, { 'content-range': `bytes */${size}` });
      return void res.end();
    }
    res.writeHead(206, { 'content-type': type, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${size}`, 'accept-ranges': 'bytes' });
    fs.createReadStream(file, { start, end }).pipe(res);
    return;
  }
  res.writeHead(200, { 'content-type': type, 'content-length': size, 'accept-ranges': 'bytes' });
  fs.createReadStream(file).pipe(res);
}
