/**
 * Studio mode: the same services and the same renderer build, served to a browser over
 * HTTP + WebSocket on loopback only. Every request and socket needs the random token the
 * server printed; the browser trades it once for an HttpOnly, SameSite=Strict cookie.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiEvent } from '../../app/api/contract.js';
import type { ShotlineServices } from '../services/shotline.js';
import { createDispatcher } from './dispatch.js';
import { isLoopbackHost, parseCookies, readJsonBody, safeJoin, sendFile, sendJson, tokensEqual } from './http-util.js';
import { MEDIA_DIR } from '../store/project-store.js';

export const COOKIE = 'shotline_token';
const MAX_JSON_BYTES = 16 * 1024 * 1024;

export interface StudioOptions {
  services: ShotlineServices;
  rendererDir: string;
  host?: string;
  port?: number;
  token?: string;
  log?: (msg: string) => void;
}

export interface StudioServer {
  url: string;
  /** The URL to open: carries the token once. */
  loginUrl: string;
  port: number;
  token: string;
  uploadsDir: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self' ws: blob:; worker-src 'self' blob:; frame-ancestors 'none'";

export async function startStudioServer(opts: StudioOptions): Promise<StudioServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new Error(`Studio mode listens on loopback only; ${host} is not a loopback address.`);
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const log = opts.log ?? (() => {});
  const dispatch = createDispatcher(opts.services.handlers, log);
  const uploadsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-uploads-'));
  let port = 0;

  const authorized = (req: http.IncomingMessage): boolean => {
    const header = req.headers['x-shotline-token'];
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const cookie = parseCookies(req.headers.cookie)[COOKIE];
    const given = (typeof header === 'string' ? header : undefined) ?? bearer ?? cookie;
    return !!given && tokensEqual(given, token);
  };

  // DNS rebinding: a page on evil.com resolving to 127.0.0.1 still sends Host: evil.com.
  const hostAllowed = (req: http.IncomingMessage): boolean => {
    const h = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    return isLoopbackHost(h);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: Error & { status?: number }) => {
      if (!res.headersSent) sendJson(res, e.status ?? 500, { ok: false, error: { code: e.status === 413 || e.status === 400 ? 'invalid_input' : 'internal', message: e.message } });
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    if (!hostAllowed(req)) return void res.writeHead(403).end('Forbidden host');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);

    // Token exchange: the printed URL carries ?token=; trade it for a cookie and drop it from the address bar.
    const offered = url.searchParams.get('token');
    if (offered !== null && req.method === 'GET' && !url.pathname.startsWith('/api/')) {
      if (!tokensEqual(offered, token)) return void res.writeHead(401, { 'content-type': 'text/plain' }).end('Wrong Shotline access token.');
      res.writeHead(302, {
        'set-cookie': `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        location: url.pathname,
      });
      return void res.end();
    }
    if (!authorized(req)) {
      if (url.pathname.startsWith('/api/') || req.method !== 'GET') return sendJson(res, 401, { ok: false, error: { code: 'unauthorized', message: 'Missing or wrong access token.' } });
      return void res
        .writeHead(401, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><title>Shotline</title><p>Open the address that <code>shotline studio</code> printed: it carries the access token.</p>');
    }

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
      const method = decodeURIComponent(url.pathname.slice('/api/'.length));
      const input = await readJsonBody(req, MAX_JSON_BYTES);
      return sendJson(res, 200, await dispatch(method, input));
    }
    if (url.pathname === '/upload') {
      if (req.method !== 'PUT') return void res.writeHead(405, { allow: 'PUT' }).end();
      const uploadId = randomUUID();
      const dest = path.join(uploadsDir, uploadId);
      try {
        await pipeline(req, fs.createWriteStream(dest));
      } catch (e) {
        fs.rmSync(dest, { force: true });
        const full = (e as NodeJS.ErrnoException).code === 'ENOSPC';
        return sendJson(res, full ? 507 : 400, { ok: false, error: { code: full ? 'disk_full' : 'invalid_input', message: full ? 'The disk is full; the upload was discarded.' : `Upload failed: ${(e as Error).message}` } });
      }
      return sendJson(res, 200, { uploadId });
    }
    if (url.pathname.startsWith('/media/')) {
      const dir = opts.services.openProjectDir;
      if (!dir) return void res.writeHead(404).end();
      // Only the open project's media/ folder is served, nothing else on disk.
      const rel = decodeURIComponent(url.pathname.slice('/media/'.length));
      const file = safeJoin(path.join(dir, MEDIA_DIR), rel.startsWith(`${MEDIA_DIR}/`) ? rel.slice(MEDIA_DIR.length + 1) : rel);
      if (!file) return void res.writeHead(403).end();
      return sendFile(req, res, file, { 'cache-control': 'private, max-age=3600', 'cross-origin-resource-policy': 'same-origin' });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    const rel = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    const file = safeJoin(opts.rendererDir, rel);
    if (!file) return void res.writeHead(403).end();
    // Unknown routes get the app (client-side views); a missing asset file is a plain 404.
    if (!fs.existsSync(file) && path.extname(rel)) return void res.writeHead(404).end('Not found');
    const target = fs.existsSync(file) ? file : path.join(opts.rendererDir, 'index.html');
    if (!fs.existsSync(target)) return void res.writeHead(500, { 'content-type': 'text/plain' }).end('The renderer is not built. Run `npm run build` first.');
    return sendFile(req, res, target, { 'content-security-policy': CSP, 'cache-control': 'no-cache' });
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const tokenParam = url.searchParams.get('token');
    const ok = hostAllowed(req) && url.pathname === '/events' && (authorized(req) || (tokenParam !== null && tokensEqual(tokenParam, token)));
    if (!ok) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      const unsubscribe = opts.services.subscribe((e: ApiEvent) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(e));
      });
      // Events flow one way; anything a client sends is ignored.
      ws.on('close', () => {
        unsubscribe();
        sockets.delete(ws);
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  port = (server.address() as { port: number }).port;
  const display = host.includes(':') ? `[${host}]` : host;
  const base = `http://${display}:${port}`;
  return {
    url: base,
    loginUrl: `${base}/?token=${token}`,
    port,
    token,
    uploadsDir,
    close: async () => {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections?.();
      fs.rmSync(uploadsDir, { recursive: true, force: true });
    },
  };
}

/** Maps an upload id to its staged file, for ShotlineServices' resolveUpload option. */
export function uploadResolver(getDir: () => string | null) {
  return (uploadId: string): string | null => {
    const dir = getDir();
    if (!dir || !/^[a-f0-9-]{36}$/.test(uploadId)) return null;
    const file = path.join(dir, uploadId);
    return fs.existsSync(file) ? file : null;
  };
}
