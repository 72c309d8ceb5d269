/**
 * One WebSocket per ComfyUI endpoint, shared by every job running there (ComfyUI sends a
 * prompt's events to the client id that queued it, so all of this endpoint's prompts are
 * queued under the hub's one client id; each job is told apart by its prompt id, and by its
 * own key in `extra_data` for re-attaching).
 *
 * The socket opens when the first job subscribes and closes a little after the last one
 * leaves. A dropped socket is reopened with exponential back-off (250 ms doubling to 10 s,
 * with jitter); events sent while it was down are lost, so on every reconnect subscribers are
 * told (`reconnected`) and confirm their prompt through /history instead of trusting the gap.
 */
import { createRequire } from 'node:module';
import type WebSocket from 'ws';

// `ws` (≈ 20 ms of CPU to load) is required on the first connect, not when the services load:
// every `shotline` process builds the ComfyUI backend, few of them open a socket.
let wsClass: typeof WebSocket | null = null;
const loadWs = (): typeof WebSocket => (wsClass ??= createRequire(import.meta.url)('ws') as typeof WebSocket);

export type ComfyEvent =
  | { type: 'progress'; value: number; max: number; promptId: string | null }
  | { type: 'done'; promptId: string }
  | { type: 'error'; promptId: string | null; message: string }
  | { type: 'interrupted'; promptId: string | null };

export type HubEvent = ComfyEvent | { type: 'reconnected' };
type Listener = (e: HubEvent) => void;

const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 10_000;
/** Keep the socket this long after the last job leaves (the next take of a batch reuses it). */
const IDLE_CLOSE_MS = 3000;

export class ComfySocketHub {
  private ws: WebSocket | null = null;
  private readonly listeners = new Set<Listener>();
  private attempt = 0;
  private everOpen = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  /** Sockets opened (tests and logs: one per endpoint, plus one per reconnect). */
  opened = 0;

  constructor(
    private readonly wsUrl: string,
    readonly clientId: string,
    private readonly headers: Record<string, string>,
  ) {}

  get connected(): boolean {
    return this.ws !== null && this.ws.readyState === this.ws.OPEN;
  }

  /** Listen to this endpoint's events; the returned function leaves (the socket closes when nobody listens). */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (this.idleTimer) clearTimeout(this.idleTimer), (this.idleTimer = null);
    // A new job is a reason to try now rather than wait out a back-off that may have grown to
    // 10 s while the socket was refused: its progress would otherwise be lost for that long.
    if (!this.ws) {
      if (this.retryTimer) clearTimeout(this.retryTimer), (this.retryTimer = null);
      this.connect();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && !this.idleTimer) {
        this.idleTimer = setTimeout(() => this.shutdown(), IDLE_CLOSE_MS);
        this.idleTimer.unref();
      }
    };
  }

  private emit(e: HubEvent): void {
    for (const l of [...this.listeners]) l(e);
  }

  private connect(): void {
    this.retryTimer = null;
    const ws = new (loadWs())(`${this.wsUrl}?clientId=${encodeURIComponent(this.clientId)}`, { headers: this.headers });
    this.ws = ws;
    this.opened++;
    ws.on('open', () => {
      this.attempt = 0;
      // Anything sent while the socket was down is lost: whoever waits checks /history.
      if (this.everOpen) this.emit({ type: 'reconnected' });
      this.everOpen = true;
    });
    ws.on('message', (raw, isBinary) => {
      if (isBinary) return; // preview frames
      const e = parseEvent(raw.toString());
      if (e) this.emit(e);
    });
    ws.on('error', () => {}); // 'close' follows and schedules the retry
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.listeners.size === 0) return;
      const delay = Math.min(BACKOFF_FIRST_MS * 2 ** this.attempt++, BACKOFF_MAX_MS) * (0.75 + Math.random() * 0.5);
      this.retryTimer = setTimeout(() => this.connect(), delay);
      this.retryTimer.unref();
    });
  }

  shutdown(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer), (this.idleTimer = null);
    if (this.retryTimer) clearTimeout(this.retryTimer), (this.retryTimer = null);
    const ws = this.ws;
    this.ws = null;
    this.everOpen = false;
    ws?.close();
  }
}

/** A ComfyUI socket message as an event Shotline acts on (null for the rest). */
export function parseEvent(text: string): ComfyEvent | null {
  let m: { type?: string; data?: Record<string, unknown> };
  try {
    m = JSON.parse(text) as typeof m;
  } catch {
    return null;
  }
  const d = m.data ?? {};
  const pid = typeof d.prompt_id === 'string' ? d.prompt_id : null;
  if (m.type === 'progress') return { type: 'progress', value: Number(d.value), max: Number(d.max), promptId: pid };
  if ((m.type === 'executing' && d.node === null && pid) || (m.type === 'execution_success' && pid)) return { type: 'done', promptId: pid! };
  if (m.type === 'execution_error') return { type: 'error', promptId: pid, message: `${String(d.node_type ?? '')} ${String(d.exception_message ?? 'failed')}`.trim() };
  if (m.type === 'execution_interrupted') return { type: 'interrupted', promptId: pid };
  return null;
}

const hubs = new Map<string, ComfySocketHub>();

/**
 * The hub of an endpoint (by address and key), made on first use. Its client id is stable per
 * endpoint and process, so every job of this process on this endpoint shares one socket.
 */
export function hubFor(base: string, endpointId: string, headers: Record<string, string>): ComfySocketHub {
  const key = `${base}\0${endpointId}\0${headers.authorization ?? ''}`;
  let hub = hubs.get(key);
  if (!hub) {
    hub = new ComfySocketHub(`${base.replace(/^http/, 'ws')}/ws`, `shotline-${endpointId}-${process.pid}`, headers);
    hubs.set(key, hub);
  }
  return hub;
}

/** Close every hub's socket (shutdown, tests). */
export function closeAllHubs(): void {
  for (const h of hubs.values()) h.shutdown();
  hubs.clear();
}
