/**
 * Studio host: the renderer is served by `shotline studio` from the same origin. The printed
 * URL carries the access token once: on load it is traded for a per-tab session token (kept in
 * this tab's sessionStorage, which is per origin, so per port: never in a cookie, which every
 * other server on 127.0.0.1 would receive) and removed from the address bar. Calls are
 * `POST /api/<method>` with the session in a header; events arrive on a WebSocket at /events
 * (session in a subprotocol), which reconnects with backoff and, after a reconnect, re-sends
 * the current project as a `project.opened` (or `project.closed`) event so mirrors catch up.
 * Media URLs are signed per file with the session (hmac-sha256.ts), valid for minutes.
 */
import type { CallOutcome } from '@app/api/client';
import type { ApiEvent, MethodName, ProjectSnapshot } from '@app/api/contract';
import { ShotlineError, type SerializedError } from '@app/errors';
import { hmacBase64url } from './hmac-sha256';
import type { ConnectionStatus, HostTransport, ImportFileRef } from './types';

const unreachable: SerializedError = {
  code: 'internal',
  message: 'Cannot reach the Shotline studio server.',
  hint: 'Check that `shotline studio` is still running, then reload this page.',
};

function isOutcome(v: unknown): v is CallOutcome {
  return typeof v === 'object' && v !== null && 'ok' in v && typeof (v as { ok: unknown }).ok === 'boolean';
}

const SESSION_STORAGE_KEY = 'shotline.studio.session';
const SESSION_HEADER = 'x-shotline-session';
/** Media URLs stay the same for 15 minutes (so elements do not reload) and are valid 15–30 minutes. */
const MEDIA_BUCKET_S = 15 * 60;

interface StudioSession {
  session: string;
  mediaKey: string;
}

let current: StudioSession | null = null;
let signingIn: Promise<void> | null = null;

function savedSession(): StudioSession | null {
  try {
    const raw = sessionStorage.getItem(SESSION_STORAGE_KEY);
    const v = raw ? (JSON.parse(raw) as StudioSession) : null;
    return v && typeof v.session === 'string' && typeof v.mediaKey === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** Trade `?token=` for a session once per tab (or reuse this tab's), and clean the address bar. */
function signIn(): Promise<void> {
  signingIn ??= (async () => {
    const params = new URLSearchParams(location.search);
    const token = params.get('token');
    if (token === null) {
      current = savedSession();
      return;
    }
    params.delete('token');
    const rest = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
    try {
      const res = await fetch('/session', { method: 'POST', credentials: 'omit', headers: { 'x-shotline-token': token } });
      const body = (await res.json()) as Partial<StudioSession>;
      if (res.ok && typeof body.session === 'string' && typeof body.mediaKey === 'string') {
        current = { session: body.session, mediaKey: body.mediaKey };
        sessionStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(current));
      }
    } catch {
      current = savedSession();
    }
  })();
  return signingIn;
}

function authHeaders(): Record<string, string> {
  return current ? { [SESSION_HEADER]: current.session } : {};
}

async function post(method: MethodName, input: unknown): Promise<CallOutcome> {
  await signIn();
  let res: Response;
  try {
    res = await fetch(`/api/${method}`, {
      method: 'POST',
      credentials: 'omit',
      headers: { 'content-type': 'application/json', ...authHeaders() },
      body: JSON.stringify(input ?? {}),
    });
  } catch {
    return { ok: false, error: unreachable };
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON: handled below */
  }
  if (res.status === 401 || res.status === 403)
    return { ok: false, error: { code: 'unauthorized', message: 'This browser tab is not signed in to the studio.', hint: 'Open the URL that `shotline studio` printed (it includes ?token=).' } };
  if (isOutcome(body)) return body;
  return { ok: false, error: { code: 'internal', message: `The studio server answered ${res.status} ${res.statusText}.` } };
}

/**
 * Signed URLs of the current expiry bucket, by path: a storyboard re-render draws dozens of
 * thumbnails, and an HMAC in JS per thumbnail per render cost milliseconds (issue 14). The
 * cache is dropped whenever the bucket or the session changes, so a URL is never older than
 * signing it afresh would make it.
 */
let signed: { of: StudioSession; exp: number; urls: Map<string, string> } | null = null;

function signedMediaUrl(rel: string): string {
  const base = `/media/${rel.split('/').map(encodeURIComponent).join('/')}`;
  if (!current) return base;
  const exp = (Math.floor(Date.now() / 1000 / MEDIA_BUCKET_S) + 2) * MEDIA_BUCKET_S;
  if (!signed || signed.exp !== exp || signed.of !== current) signed = { of: current, exp, urls: new Map() };
  let url = signed.urls.get(rel);
  if (url === undefined) {
    const sig = hmacBase64url(current.session, `${rel}\n${exp}`);
    url = `${base}?k=${encodeURIComponent(current.mediaKey)}&e=${exp}&s=${sig}`;
    signed.urls.set(rel, url);
  }
  return url;
}

/** Upload one file's bytes (PUT /upload); XHR rather than fetch for upload progress. */
function upload(file: File, onProgress: (loaded: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', '/upload');
    for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('x-shotline-filename', encodeURIComponent(file.name));
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onerror = () => reject(new ShotlineError(unreachable.code, unreachable.message, unreachable.hint));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* handled below */
      }
      const id = (body as { uploadId?: unknown } | null)?.uploadId;
      if (xhr.status >= 200 && xhr.status < 300 && typeof id === 'string') return resolve(id);
      const err = isOutcome(body) && !body.ok ? body.error : (body as { error?: SerializedError } | null)?.error;
      reject(new ShotlineError(err?.code ?? 'internal', err?.message ?? `Upload of "${file.name}" failed (${xhr.status}).`, err?.hint));
    };
    xhr.send(file);
  });
}

export function studioTransport(): HostTransport {
  // Trade the URL's token right away, before anything else can rewrite the address.
  void signIn();
  const listeners = new Set<(e: ApiEvent) => void>();
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  let status: ConnectionStatus = 'connecting';
  let socket: WebSocket | null = null;
  let attempt = 0;
  let everOpened = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const emit = (e: ApiEvent) => {
    for (const l of [...listeners]) l(e);
  };
  const setStatus = (s: ConnectionStatus) => {
    if (s === status) return;
    status = s;
    for (const l of [...statusListeners]) l(s);
  };

  async function resync() {
    const out = await post('project.snapshot', {});
    if (out.ok) emit({ type: 'project.opened', snapshot: out.value as ProjectSnapshot });
    else if (out.error.code === 'no_project') emit({ type: 'project.closed' });
  }

  function connect() {
    if (socket || listeners.size === 0) return;
    if (!current) {
      // Not signed in (yet): try again once the sign-in has settled.
      if (!signingIn) void signIn().then(() => current && connect());
      else void signingIn.then(() => current && connect());
      return;
    }
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    // The session rides in a subprotocol: never in the URL, and browsers cannot set headers here.
    const ws = new WebSocket(`${proto}//${location.host}/events`, ['shotline', `shotline.session.${current.session}`]);
    socket = ws;
    setStatus('connecting');
    ws.onopen = () => {
      const reconnect = everOpened;
      everOpened = true;
      attempt = 0;
      setStatus('online');
      if (reconnect) void resync();
    };
    ws.onmessage = (msg) => {
      if (typeof msg.data !== 'string') return;
      let event: ApiEvent;
      try {
        event = JSON.parse(msg.data) as ApiEvent;
      } catch {
        return;
      }
      if (event && typeof event.type === 'string') emit(event);
    };
    ws.onclose = () => {
      socket = null;
      if (listeners.size === 0) return;
      setStatus('offline');
      const delay = Math.min(10_000, 400 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
      attempt++;
      retryTimer = setTimeout(() => {
        retryTimer = null;
        connect();
      }, delay);
    };
  }

  return {
    kind: 'studio',
    call: post,
    mediaUrl: signedMediaUrl,
    subscribe(listener) {
      listeners.add(listener);
      connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          if (retryTimer) clearTimeout(retryTimer);
          socket?.close();
          socket = null;
        }
      };
    },
    onStatus(listener) {
      statusListeners.add(listener);
      listener(status);
      return () => statusListeners.delete(listener);
    },
    async prepareImport(files, onProgress) {
      const total = files.reduce((s, f) => s + f.size, 0) || 1;
      let done = 0;
      const refs: ImportFileRef[] = [];
      for (const file of files) {
        await signIn();
        const uploadId = await upload(file, (loaded) => onProgress?.((done + loaded) / total, file.name));
        done += file.size;
        onProgress?.(done / total, file.name);
        refs.push({ uploadId, name: file.name });
      }
      return refs;
    },
  };
}
