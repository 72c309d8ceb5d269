/**
 * A stand-in ComfyUI server speaking its HTTP + WebSocket API as ComfyUI does: POST /prompt
 * ({prompt, client_id} → {prompt_id, number, node_errors}), GET /queue, GET /history[/id],
 * GET /view, POST /upload/image, POST /interrupt, POST /queue {delete}, GET /system_stats, and
 * /ws?clientId= with `executing`, `progress`, `execution_success`, `execution_error`,
 * `execution_interrupted`. Like ComfyUI it refuses a LoadImage / LoadAudio naming a file that
 * is not in its input folder, and it records every upload (name, SHA-256 of the bytes). "Running" a graph renders a real MP4 with ffmpeg at the size and
 * frame count the graph's latent node asks for, and saves it under the SaveVideo node.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createHash, randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { ffmpeg } from './media-fixtures.js';

type Graph = Record<string, { class_type: string; inputs: Record<string, unknown> }>;
interface Item { number: number; id: string; graph: Graph; clientId: string; extra: Record<string, unknown>; abort: AbortController }

export interface FakeComfy {
  url: string;
  prompts: Item[];
  uploads: string[];
  /** Every file POSTed to /upload/image, as received: the name ComfyUI answered, the bytes' SHA-256, size and declared type. */
  uploaded: { name: string; path: string; sha256: string; bytes: number; type: string }[];
  routes: string[];
  /** Make the next run fail inside a node (execution_error). */
  failNext: string | null;
  stepMs: number;
  history: Map<string, unknown>;
  /** WebSocket connections accepted so far, with the client id each asked for. */
  wsConnections: string[];
  /** Close every open socket now (a network blip); with `refuseWs`, new ones are refused until it is cleared. */
  dropSockets(): void;
  refuseWs: boolean;
  close(): Promise<void>;
}

export async function startFakeComfy(): Promise<FakeComfy> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-comfy-'));
  const sockets = new Map<string, Set<WebSocket>>();
  const pending: Item[] = [];
  let running: Item | null = null;
  let counter = 0;
  const state: FakeComfy = { url: '', prompts: [], uploads: [], uploaded: [], routes: [], failNext: null, stepMs: 150, history: new Map(), wsConnections: [], refuseWs: false, dropSockets: () => {}, close: async () => {} };

  const send = (clientId: string, type: string, data: Record<string, unknown>) => {
    for (const ws of sockets.get(clientId) ?? []) ws.send(JSON.stringify({ type, data }));
  };
  const entry = (it: Item, outputs: Record<string, unknown>, status: Record<string, unknown>) => state.history.set(it.id, { prompt: [it.number, it.id, it.graph, { ...it.extra, client_id: it.clientId }, Object.keys(outputs)], outputs, status });

  async function run(it: Item): Promise<void> {
    const g = it.graph;
    const latent = Object.values(g).find((n) => 'length' in n.inputs && 'width' in n.inputs)!;
    const fps = Number(Object.values(g).find((n) => n.class_type === 'CreateVideo')?.inputs.fps ?? 16);
    const [saveId] = Object.entries(g).find(([, n]) => n.class_type === 'SaveVideo')!;
    const steps = 4;
    send(it.clientId, 'execution_start', { prompt_id: it.id });
    for (let i = 1; i <= steps; i++) {
      send(it.clientId, 'executing', { node: '3', prompt_id: it.id });
      await new Promise((r) => setTimeout(r, state.stepMs));
      if (it.abort.signal.aborted) {
        send(it.clientId, 'execution_interrupted', { prompt_id: it.id, node_id: '3', node_type: 'KSampler' });
        entry(it, {}, { status_str: 'error', completed: false, messages: [['execution_interrupted', { prompt_id: it.id }]] });
        return;
      }
      send(it.clientId, 'progress', { value: i, max: steps, prompt_id: it.id, node: '3' });
    }
    if (state.failNext) {
      const msg = state.failNext;
      state.failNext = null;
      const err = { prompt_id: it.id, node_id: '3', node_type: 'KSampler', exception_message: msg };
      send(it.clientId, 'execution_error', err);
      entry(it, {}, { status_str: 'error', completed: false, messages: [['execution_error', err]] });
      return;
    }
    const name = `wan_${String(++counter).padStart(5, '0')}.mp4`;
    fs.mkdirSync(path.join(dir, 'output', 'shotline'), { recursive: true });
    const frames = Number(latent.inputs.length);
    // CreateVideo with an audio input (a LoadAudio upstream): the clip carries that sound, as ComfyUI's does.
    const audioLink = Object.values(g).find((n) => n.class_type === 'CreateVideo')?.inputs.audio;
    const audioNode = Array.isArray(audioLink) ? g[String(audioLink[0])] : undefined;
    const audioIn = audioNode?.class_type === 'LoadAudio' ? ['-i', path.join(dir, 'input', String(audioNode.inputs.audio))] : [];
    await ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=${latent.inputs.width}x${latent.inputs.height}:rate=${fps}`, ...audioIn, '-frames:v', String(frames), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', ...(audioIn.length ? ['-c:a', 'aac', '-shortest'] : []), path.join(dir, 'output', 'shotline', name)]);
    entry(it, { [saveId]: { images: [{ filename: name, subfolder: 'shotline', type: 'output' }], animated: [true] } }, { status_str: 'success', completed: true, messages: [['execution_success', { prompt_id: it.id }]] });
    send(it.clientId, 'executing', { node: null, prompt_id: it.id });
    send(it.clientId, 'execution_success', { prompt_id: it.id });
  }
  function pump(): void {
    if (running || !pending.length) return;
    running = pending.shift()!;
    void run(running).finally(() => {
      running = null;
      pump();
    });
  }

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const body = async (req: http.IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    state.routes.push(`${req.method} ${url.pathname}`);
    if (req.method === 'GET' && url.pathname === '/system_stats') return json(res, 200, { system: { comfyui_version: '0.3.40', os: 'posix' }, devices: [{ name: 'cuda:0 Fake GPU', type: 'cuda' }] });
    if (req.method === 'POST' && url.pathname === '/prompt') {
      const b = JSON.parse((await body(req)).toString()) as { prompt: Graph; client_id: string; extra_data?: Record<string, unknown> };
      const bad = Object.entries(b.prompt).filter(([, n]) => !['UNETLoader', 'CLIPLoader', 'VAELoader', 'ModelSamplingSD3', 'CLIPTextEncode', 'EmptyHunyuanLatentVideo', 'KSampler', 'VAEDecode', 'CreateVideo', 'SaveVideo', 'CLIPVisionLoader', 'LoadImage', 'CLIPVisionEncode', 'WanImageToVideo', 'LoadAudio', 'AudioEncoderLoader', 'AudioEncoderEncode', 'WanSoundImageToVideo'].includes(n.class_type));
      // As ComfyUI validates a LoadImage / LoadAudio: the named file must be in the input folder.
      const missing = Object.entries(b.prompt).filter(([, n]) => (n.class_type === 'LoadImage' && !fs.existsSync(path.join(dir, 'input', String(n.inputs.image)))) || (n.class_type === 'LoadAudio' && !fs.existsSync(path.join(dir, 'input', String(n.inputs.audio)))));
      if (missing.length) return json(res, 400, { error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation' }, node_errors: Object.fromEntries(missing.map(([id, n]) => [id, { errors: [{ message: 'Value not in list', details: `${n.class_type === 'LoadAudio' ? 'audio' : 'image'}: '${String(n.inputs.audio ?? n.inputs.image)}' not in the input folder` }], class_type: n.class_type }])) });
      if (bad.length) return json(res, 400, { error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation' }, node_errors: Object.fromEntries(bad.map(([id, n]) => [id, { errors: [{ message: `Node type not found: ${n.class_type}`, details: '' }], class_type: n.class_type }])) });
      const it: Item = { number: state.prompts.length, id: randomUUID(), graph: b.prompt, clientId: b.client_id, extra: b.extra_data ?? {}, abort: new AbortController() };
      state.prompts.push(it);
      pending.push(it);
      json(res, 200, { prompt_id: it.id, number: it.number, node_errors: {} });
      return pump();
    }
    if (req.method === 'GET' && url.pathname === '/queue') {
      const row = (i: Item) => [i.number, i.id, i.graph, { ...i.extra, client_id: i.clientId }, []];
      return json(res, 200, { queue_running: running ? [row(running)] : [], queue_pending: pending.map(row) });
    }
    if (req.method === 'POST' && url.pathname === '/queue') {
      const b = JSON.parse((await body(req)).toString()) as { delete?: string[] };
      for (const id of b.delete ?? []) {
        const i = pending.findIndex((p) => p.id === id);
        if (i >= 0) pending.splice(i, 1);
      }
      return json(res, 200, {});
    }
    if (req.method === 'POST' && url.pathname === '/interrupt') {
      const b = (await body(req)).toString();
      const pid = b ? (JSON.parse(b) as { prompt_id?: string }).prompt_id : undefined;
      if (running && (!pid || pid === running.id)) running.abort.abort();
      return json(res, 200, {});
    }
    if (req.method === 'GET' && url.pathname.startsWith('/history')) {
      const id = url.pathname.split('/')[2];
      if (id) return json(res, 200, state.history.has(id) ? { [id]: state.history.get(id) } : {});
      return json(res, 200, Object.fromEntries(state.history));
    }
    if (req.method === 'GET' && url.pathname === '/view') {
      const f = path.join(dir, url.searchParams.get('type') ?? 'output', url.searchParams.get('subfolder') ?? '', url.searchParams.get('filename') ?? '');
      if (!f.startsWith(dir) || !fs.existsSync(f)) return json(res, 404, {});
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': fs.statSync(f).size });
      return void fs.createReadStream(f).pipe(res);
    }
    if (req.method === 'POST' && url.pathname === '/upload/image') {
      const r = new Request('http://x/', { method: 'POST', headers: { 'content-type': req.headers['content-type']! }, body: new Uint8Array(await body(req)) });
      const form = await r.formData();
      const file = form.get('image') as File;
      fs.mkdirSync(path.join(dir, 'input'), { recursive: true });
      const data = Buffer.from(await file.arrayBuffer());
      fs.writeFileSync(path.join(dir, 'input', file.name), data);
      state.uploads.push(path.join(dir, 'input', file.name));
      state.uploaded.push({ name: file.name, path: path.join(dir, 'input', file.name), sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length, type: file.type });
      return json(res, 200, { name: file.name, subfolder: '', type: 'input' });
    }
    json(res, 404, {});
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/ws' || state.refuseWs) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      const cid = url.searchParams.get('clientId') ?? '';
      state.wsConnections.push(cid);
      const set = sockets.get(cid) ?? new Set();
      set.add(ws);
      sockets.set(cid, set);
      ws.send(JSON.stringify({ type: 'status', data: { status: { exec_info: { queue_remaining: pending.length } }, sid: cid } }));
      ws.on('close', () => set.delete(ws));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.dropSockets = () => {
    for (const c of wss.clients) c.terminate();
  };
  state.close = async () => {
    for (const c of wss.clients) c.terminate();
    server.closeAllConnections();
    await new Promise((r) => server.close(() => r(null)));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return state;
}
