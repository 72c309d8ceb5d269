/**
 * Studio mode: the same services and the same renderer build, served to a browser over
 * HTTP + WebSocket on loopback only. Every API request, upload, media file and socket needs
 * either the random token the server printed (programmatic clients) or a per-tab session the
 * page traded that token for, and browser requests must come from this very origin: see
 * studio-auth.ts for why no cookie is involved.
 */
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiEvent } from '../../app/api/contract.js';
import { ShotlineError } from '../../app/errors.js';
import type { ShotlineServices } from '../services/shotline.js';
import { createDispatcher } from './dispatch.js';
import { isLoopbackHost, readJsonBody, safeJoin, sendFile, sendJson, tokensEqual } from './http-util.js';
import { resolveMediaFile, safeDecode } from './media-path.js';
import { makeOwnedTempDirSync } from '../util/scratch.js';
import { sameOriginRequest, StudioAuth, tokenStrength, WS_PROTOCOL } from './studio-auth.js';

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
  if (opts.token !== undefined) {
    const strength = tokenStrength(opts.token);
    if (!strength.ok) throw new ShotlineError('invalid_input', `SHOTLINE_STUDIO_TOKEN is too weak: ${strength.reason}.`, 'Leave it unset for a random token, or set it to e.g. the output of `openssl rand -hex 24`.');
  }
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const auth = new StudioAuth(token);
  const log = opts.log ?? (() => {});
  const dispatch = createDispatcher(opts.services.handlers, log);
  const uploadsDir = makeOwnedTempDirSync('shotline-uploads-');
  let port = 0;

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

  const refuse = (res: http.ServerResponse, status: number, code: string, message: string) => sendJson(res, status, { ok: false, error: { code, message } });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    if (!hostAllowed(req)) return void res.writeHead(403).end('Forbidden host');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    // One malformed request gets a 400; nothing it carries can affect the next one.
    const pathname = safeDecode(url.pathname);
    if (pathname === null) return refuse(res, 400, 'invalid_input', 'The request path has malformed percent-encoding.');
    const reading = req.method === 'GET' || req.method === 'HEAD';
    // Cross-origin writes (another program's page on another loopback port included) stop here.
    if (!reading && !sameOriginRequest(req, port)) return refuse(res, 403, 'unauthorized', 'Requests must come from the Shotline page itself.');

    // The page trades the printed token for a per-tab session token (studio-auth.ts).
    if (pathname === '/session') {
      if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
      const offered = req.headers['x-shotline-token'];
      const session = typeof offered === 'string' ? auth.openSession(offered) : null;
      if (!session) return refuse(res, 401, 'unauthorized', 'Wrong Shotline access token.');
      return sendJson(res, 200, { session: session.token, mediaKey: session.id });
    }

    if (pathname.startsWith('/media/')) {
      if (!reading) return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
      const rel = pathname.slice('/media/'.length);
      // Media elements cannot send headers: a signed URL stands in for the session header.
      // Another origin's page may not even embed it (Sec-Fetch-Site is same-site there).
      if (!sameOriginRequest(req, port) || !(auth.authorized(req) || auth.mediaSignatureValid(rel, url.searchParams))) {
        return refuse(res, 401, 'unauthorized', 'Missing, wrong or expired media signature.');
      }
      const dir = opts.services.openProjectDir;
      if (!dir) return void res.writeHead(404).end();
      const file = resolveMediaFile(dir, rel);
      if (!file) return void res.writeHead(404).end('Not found');
      return sendFile(req, res, file, { 'cache-control': 'private, max-age=3600', 'cross-origin-resource-policy': 'same-origin' });
    }

    if (pathname.startsWith('/api/') || pathname === '/upload') {
      if (!auth.authorized(req)) return refuse(res, 401, 'unauthorized', 'Missing or wrong access token.');
    }
    if (pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
      const method = pathname.slice('/api/'.length);
      const input = await readJsonBody(req, MAX_JSON_BYTES);
      return sendJson(res, 200, await dispatch(method, input));
    }
    if (pathname === '/upload') {
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
    // The app itself (HTML, scripts, styles) is public code: it holds no secret and signs in with
    // the token from its own address. A wrong token is refused here so the user learns early.
    if (!reading) return void res.writeHead(405).end();
    const offered = url.searchParams.get('token');
    if (offered !== null && !tokensEqual(offered, token)) return void res.writeHead(401, { 'content-type': 'text/plain' }).end('Wrong Shotline access token.');
    const rel = pathname === '/' ? 'index.html' : pathname.slice(1);
    const file = safeJoin(opts.rendererDir, rel);
    if (!file) return void res.writeHead(403).end();
    // Unknown routes get the app (client-side views); a missing asset file is a plain 404.
    if (!fs.existsSync(file) && path.extname(rel)) return void res.writeHead(404).end('Not found');
    const target = fs.existsSync(file) ? file : path.join(opts.rendererDir, 'index.html');
    if (!fs.existsSync(target)) return void res.writeHead(500, { 'content-type': 'text/plain' }).end('The renderer is not built. Run `npm run build` first.');
    return sendFile(req, res, target, { 'content-security-policy': CSP, 'cache-control': 'no-cache' });
  }

  // The session rides in a subprotocol; the server answers with the plain protocol name only.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false) });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // A token in the URL would end up in logs and history: refused even when it is right.
    const ok = hostAllowed(req) && url.pathname === '/events' && !url.search && sameOriginRequest(req, port) && auth.authorizedSocket(req);
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
