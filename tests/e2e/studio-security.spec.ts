/**
 * Cross-port CSRF in a real browser: a page served by another program on another loopback
 * port (same site, another origin) tries everything a browser lets it try against a signed-in
 * studio tab in the same browser profile — a no-cors fetch, a form post, WebSockets, embedding
 * media — and gets nowhere. The signed-in tab itself keeps working without any cookie.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { ProjectSnapshot } from '../../app/api/contract.js';
import { makeTestVideo } from '../helpers/media-fixtures.js';
import { startStudio, type StudioProcess } from '../helpers/studio-process.js';

let tmp: string;
let studio: StudioProcess;
let evil: http.Server;
let evilUrl: string;

test.beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-e2e-sec-'));
  studio = await startStudio({ home: path.join(tmp, 'home'), project: path.join(tmp, 'film') });
  evil = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>another program</title><iframe name="sink"></iframe>');
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
  evilUrl = `http://127.0.0.1:${(evil.address() as { port: number }).port}`;
});

test.afterAll(async () => {
  await studio?.stop();
  evil?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('a page on another loopback port cannot act for a signed-in studio tab', async ({ context }) => {
  const clip = await makeTestVideo({ path: path.join(tmp, 'clip.mp4'), seconds: 1, width: 320, height: 180, withAudio: false });
  const imported = await studio.ok<{ imported: { path: string }[] }>('assets.import', { files: [{ path: clip }] });
  const mediaPath = imported.imported[0]!.path;

  // The user's tab: signs in with the printed URL, the token leaves the address bar, no cookie.
  const tab = await context.newPage();
  await tab.goto(`${studio.url}/?token=${studio.token}`);
  await expect(tab.getByTestId('workspace')).toBeVisible();
  expect(tab.url()).not.toContain('token');
  expect(await context.cookies()).toEqual([]);
  // Its media loads through signed URLs (no header, no cookie).
  await expect(tab.getByTestId('asset-thumb').first()).toBeVisible({ timeout: 30_000 });
  const thumbStatus = () =>
    tab.getByTestId('asset-thumb').first().evaluate(async (el) => {
      const url = el instanceof HTMLImageElement ? el.src : getComputedStyle(el).backgroundImage.replace(/^url\("?|"?\)$/g, '');
      return url.includes('/media/') && url.includes('&s=') ? (await fetch(url, { credentials: 'omit' })).status : 0;
    });
  await expect.poll(thumbStatus, { timeout: 30_000 }).toBe(200);

  // The other program's page, in the same browser profile.
  const page = await context.newPage();
  await page.goto(evilUrl);
  const results = await page.evaluate(
    async ({ target, token, media }) => {
      const out: Record<string, string> = {};
      const body = (title: string) => JSON.stringify({ command: 'shot.add', args: { fields: { title } } });
      try {
        const r = await fetch(`${target}/api/edit.apply`, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: body('forged-fetch') });
        out.fetch = r.type;
      } catch (e) {
        out.fetch = `error ${String(e)}`;
      }
      try {
        const r = await fetch(`${target}/api/edit.apply`, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: body('forged-cors') });
        out.cors = String(r.status);
      } catch {
        out.cors = 'blocked';
      }
      const form = document.createElement('form');
      form.method = 'POST';
      form.action = `${target}/api/edit.apply`;
      form.enctype = 'text/plain';
      form.target = 'sink';
      const input = document.createElement('input');
      input.name = '{"command":"shot.add","args":{"fields":{"title":"forged-form"}},"x":"';
      input.value = '"}';
      form.append(input);
      document.body.append(form);
      form.submit();
      const socket = (url: string, protocols?: string[]) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url, protocols);
          ws.onopen = () => (resolve('open'), ws.close());
          ws.onerror = () => resolve('refused');
          setTimeout(() => resolve('timeout'), 5000);
        });
      out.ws = await socket(`${target.replace('http', 'ws')}/events`);
      // Even a leaked token is refused in a WebSocket URL, and from this origin.
      out.wsToken = await socket(`${target.replace('http', 'ws')}/events?token=${token}`);
      out.img = await new Promise<string>((resolve) => {
        const img = new Image();
        img.onload = () => resolve('loaded');
        img.onerror = () => resolve('refused');
        img.src = `${target}/media/${media}`;
      });
      await new Promise((r) => setTimeout(r, 1500));
      return out;
    },
    { target: studio.url, token: studio.token, media: mediaPath },
  );
  expect(results.ws).toBe('refused');
  expect(results.wsToken).toBe('refused');
  expect(results.img).toBe('refused');
  expect(results.cors).not.toBe('200');

  const snap = await studio.ok<ProjectSnapshot>('project.snapshot');
  expect(Object.values(snap.state.shots).map((s) => s.title)).toEqual([]);

  // And the user's tab still works: it adds a shot through the session header.
  await tab.getByTestId('tab-storyboard').click();
  const before = Object.keys((await studio.ok<ProjectSnapshot>('project.snapshot')).state.shots).length;
  await tab.getByTestId('add-shot').click();
  await expect.poll(async () => Object.keys((await studio.ok<ProjectSnapshot>('project.snapshot')).state.shots).length).toBe(before + 1);
});
