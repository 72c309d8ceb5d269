/**
 * Studio host: the renderer is served by `shotline studio` from the same origin. Auth is
 * a cookie set when the user opened the printed URL, so requests only need same-origin
 * credentials. Calls are `POST /api/<method>`; events arrive on a WebSocket at /events,
 * which reconnects with backoff and, after a reconnect, re-sends the current project as
 * a `project.opened` (or `project.closed`) event so mirrors catch up on what they missed.
 */
import type { CallOutcome } from '@app/api/client';
import type { ApiEvent, MethodName, ProjectSnapshot } from '@app/api/contract';
import { ShotlineError, type SerializedError } from '@app/errors';
import type { ConnectionStatus, HostTransport, ImportFileRef } from './types';

const unreachable: SerializedError = {
  code: 'internal',
  message: 'Cannot reach the Shotline studio server.',
  hint: 'Check that `shotline studio` is still running, then reload this page.',
};

function isOutcome(v: unknown): v is CallOutcome {
  return typeof v === 'object' && v !== null && 'ok' in v && typeof (v as { ok: unknown }).ok === 'boolean';
}

async function post(method: MethodName, input: unknown): Promise<CallOutcome> {
  let res: Response;
  try {
    res = await fetch(`/api/${method}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
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
  if (isOutcome(body)) return body;
  if (res.status === 401 || res.status === 403)
    return { ok: false, error: { code: 'unauthorized', message: 'This browser is not signed in to the studio.', hint: 'Open the URL that `shotline studio` printed (it includes ?token=).' } };
  return { ok: false, error: { code: 'internal', message: `The studio server answered ${res.status} ${res.statusText}.` } };
}

/** Upload one file's bytes (PUT /upload); XHR rather than fetch for upload progress. */
function upload(file: File, onProgress: (loaded: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', '/upload');
    xhr.withCredentials = true;
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
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}/events`);
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
    mediaUrl: (rel) => `/media/${rel.split('/').map(encodeURIComponent).join('/')}`,
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
        const uploadId = await upload(file, (loaded) => onProgress?.((done + loaded) / total, file.name));
        done += file.size;
        onProgress?.(done / total, file.name);
        refs.push({ uploadId, name: file.name });
      }
      return refs;
    },
  };
}
