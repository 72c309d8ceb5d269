import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, ProjectSnapshot } from '../../../app/api/contract.js';
import { startStudioServer, uploadResolver, type StudioServer } from '../../../main/bridge/studio-server.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { makeTestVideo } from '../../helpers/media-fixtures.js';

let tmp: string;
let services: ShotlineServices;
let server: StudioServer;
let snapshot: ProjectSnapshot;

function rawRequest(opts: http.RequestOptions & { body?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, ...opts }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const api = (method: string, input: unknown, headers: Record<string, string> = { 'x-shotline-token': server.token }) =>
  fetch(`${server.url}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(input) });

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-studio-'));
  let srv: StudioServer | null = null;
  services = await ShotlineServices.create({ transport: 'studio', userDataDir: path.join(tmp, 'home'), resolveUpload: uploadResolver(() => srv?.uploadsDir ?? null) });
  const rendererDir = path.join(tmp, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Shotline</title>');
  server = srv = await startStudioServer({ services, rendererDir });
  snapshot = (await (await api('project.create', { dir: path.join(tmp, 'film'), name: 'Film' })).json()).value;
});

afterAll(async () => {
  await server.close();
  await services.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('studio server', () => {
  it('listens on loopback only and refuses to bind elsewhere', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(startStudioServer({ services, rendererDir: tmp, host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('requires the token on every API call', async () => {
    expect((await api('app.info', {}, {})).status).toBe(401);
    expect((await api('app.info', {}, { 'x-shotline-token': 'wrong' })).status).toBe(401);
    expect((await api('app.info', {}, { authorization: `Bearer ${server.token}` })).status).toBe(200);
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(401);
  });

  it('trades the printed token for an HttpOnly SameSite=Strict cookie that then authorises', async () => {
    const res = await fetch(server.loginUrl, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await fetch(`${server.url}/`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect((await fetch(`${server.url}/?token=nope`, { redirect: 'manual' })).status).toBe(401);
  });

  it('rejects a foreign Host header (DNS rebinding)', async () => {
    const r = await rawRequest({ method: 'POST', path: '/api/app.info', headers: { host: 'evil.example:80', 'x-shotline-token': server.token }, body: '{}' });
    expect(r.status).toBe(403);
  });

  it('validates every call: bad JSON, unknown method, bad args', async () => {
    const r = await rawRequest({ method: 'POST', path: '/api/app.info', headers: { 'x-shotline-token': server.token }, body: '{nope' });
    expect(r.status).toBe(400);
    expect(await (await api('project.destroy', {})).json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await (await api('edit.apply', { command: 'shot.add', args: { fields: { aspect: '4:3' } } })).json()).toMatchObject({ ok: false });
  });

  it('streams events over a token-gated WebSocket', async () => {
    const denied = new WebSocket(`${server.url.replace('http', 'ws')}/events`);
    const code = await new Promise((r) => denied.on('error', () => r('error')).on('unexpected-response', (_q, res) => r(res.statusCode)));
    expect(code === 401 || code === 'error').toBe(true);

    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/events`, { headers: { 'x-shotline-token': server.token } });
    await new Promise((r) => ws.once('open', r));
    const got = new Promise<ApiEvent>((r) => ws.once('message', (m) => r(JSON.parse(String(m)))));
    await api('edit.apply', { command: 'shot.add', args: { fields: { title: 'From the socket test' } } });
    const ev = await got;
    expect(ev.type).toBe('project.changed');
    expect(Object.values((ev as { patch: { shots: Record<string, { title: string }> } }).patch.shots)[0]!.title).toBe('From the socket test');
    ws.close();
  });

  it('uploads then imports a file, and serves only project media with Range', async () => {
    const src = await makeTestVideo({ path: path.join(tmp, 'up.mp4'), seconds: 1, withAudio: true });
    const up = await fetch(`${server.url}/upload`, { method: 'PUT', headers: { 'x-shotline-token': server.token, 'x-shotline-filename': 'up.mp4' }, body: fs.readFileSync(src) });
    const { uploadId } = (await up.json()) as { uploadId: string };
    const imp = (await (await api('assets.import', { files: [{ uploadId, name: 'up.mp4' }] })).json()).value;
    expect(imp.failed).toEqual([]);
    const asset = imp.imported[0];
    expect(asset.path).toMatch(/^media\/[a-f0-9]{64}\.mp4$/);

    const ranged = await fetch(`${server.url}/media/${asset.path}`, { headers: { 'x-shotline-token': server.token, range: 'bytes=0-99' } });
    expect(ranged.status).toBe(206);
    expect((await ranged.arrayBuffer()).byteLength).toBe(100);
    expect((await fetch(`${server.url}/media/${asset.path}`)).status).toBe(401);
    for (const evil of ['/media/..%2Fproject.shotline', '/media/..%2F..%2F..%2F..%2Fetc%2Fpasswd', '/media/%2e%2e/project.shotline', '/media/%2e%2e/%2e%2e/etc/passwd']) {
      const r = await rawRequest({ method: 'GET', path: evil, headers: { 'x-shotline-token': server.token } });
      expect(r.body, evil).not.toMatch(/SQLite format|root:x:/);
      if (evil.includes('%2F')) expect([403, 404], evil).toContain(r.status);
    }
    expect(snapshot.dir).toBe(path.join(tmp, 'film'));
  });
});
