/**
 * Remote generation in the browser (studio mode): `shotline serve` with the shipped pack on a
 * loopback port stands in for the workstation down the hall. It is added in Preferences →
 * Endpoints as an `openai-videos` endpoint (its token given by the documented environment
 * variable, as on a box without a keychain), the connection test shows what it reported it
 * can make, two takes are generated through it from the prompt panel (progress shown), one
 * is picked and the film is exported. Measured: the MP4 (ffprobe), the takes' provenance (the
 * server's video ids), the thumbnails used as posters, and the server's own list of videos
 * (exactly two were made: nothing was submitted twice).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { ProjectSnapshot } from '../../app/api/contract.js';
import type { Take } from '../../app/model/types.js';
import { FLICKS_PER_SECOND } from '../../app/time/flicks.js';
import { timelineDuration } from '../../app/timeline/query.js';
import { ffprobeJson } from '../helpers/media-fixtures.js';
import { ROOT, startStudio, type StudioProcess } from '../helpers/studio-process.js';
import { NO_PACK, PACK_DIR, SHIPPED_MODELS } from '../integration/generation/find-pack.js';

const SHOTS = path.resolve('test-results/screenshots');
const TOKEN = 'e2e-serve-token-5f1c0a9b';
let tmp: string;
let studio: StudioProcess;
let serve: ChildProcess;
let serveUrl: string;

test.skip(!PACK_DIR, NO_PACK);

test.beforeAll(async () => {
  if (!PACK_DIR) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-e2e-remote-'));
  fs.mkdirSync(SHOTS, { recursive: true });
  const args = [path.join(ROOT, 'bin/shotline.mjs'), 'serve', '--port', '0', '--token', TOKEN];
  if (!PACK_DIR.startsWith(SHIPPED_MODELS)) args.push('--models', path.dirname(PACK_DIR));
  serve = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, SHOTLINE_HOME: path.join(tmp, 'server-home') }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  serve.stdout!.on('data', (d) => (out += d));
  serve.stderr!.on('data', (d) => (out += d));
  serveUrl = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 60_000);
    serve.stdout!.on('data', () => {
      const m = /Serving \/v1\/videos on (http:\/\/127\.0\.0\.1:\d+)\/v1/.exec(out);
      if (m) (clearTimeout(t), resolve(m[1]!));
    });
    serve.once('exit', (c) => reject(new Error(`serve exited (${c}):\n${out}`)));
  });
  // No keychain on this box: the key comes from the documented environment variable.
  studio = await startStudio({ home: path.join(tmp, 'home'), env: { SHOTLINE_ENDPOINT_KEY_WORKSTATION: TOKEN } });
});

test.afterAll(async () => {
  await studio?.stop();
  if (serve && serve.exitCode === null) {
    const done = new Promise((r) => serve.once('exit', r));
    serve.kill('SIGTERM');
    await done;
  }
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const snapshot = () => studio.ok<ProjectSnapshot>('project.snapshot');

test('serve → Preferences → Endpoints → two takes through it → pick → export', async ({ page }) => {
  page.on('pageerror', (e) => console.error(`page error: ${e.message}\n${e.stack ?? ''}`));
  const projectDir = path.join(tmp, 'films', 'remote');
  await studio.ok('project.create', { dir: projectDir, name: 'Remote' });
  await page.goto(`${studio.url}/?token=${studio.token}`);
  await expect(page.getByTestId('workspace')).toBeVisible();

  // Preferences → Endpoints: add the workstation, test it, see what it can make.
  await page.getByTestId('prefs-open').click();
  const prefs = page.getByTestId('preferences');
  const section = prefs.getByTestId('prefs-endpoints');
  await section.scrollIntoViewIfNeeded();
  await section.getByTestId('prefs-endpoint-add').click();
  const form = section.getByTestId('prefs-endpoint-form');
  await form.getByTestId('prefs-endpoint-name').fill('Workstation');
  await form.getByTestId('prefs-endpoint-kind').selectOption('openai-videos');
  await form.getByTestId('prefs-endpoint-url').fill(`${serveUrl}/v1`);
  await form.getByTestId('prefs-endpoint-concurrency').fill('2');
  // Priced as if it were a paid service, to see the estimate and the running total.
  await form.getByTestId('prefs-endpoint-price').fill('0.05');
  await expect(form.getByTestId('prefs-endpoint-key-note')).toContainText('SHOTLINE_ENDPOINT_KEY_WORKSTATION');
  await form.screenshot({ path: path.join(SHOTS, 'endpoints-form.png') });
  await form.getByTestId('prefs-endpoint-save').click();
  const row = section.getByTestId('prefs-endpoint').filter({ hasText: 'Workstation' });
  await expect(row).toBeVisible();
  await expect(row).toContainText('key from SHOTLINE_ENDPOINT_KEY_WORKSTATION');
  await expect(row).toContainText('$0.05/s');
  await row.getByTestId('prefs-endpoint-test').click();
  await expect(row.getByTestId('prefs-endpoint-check')).toContainText('Connected to', { timeout: 30_000 });
  await expect(row.getByTestId('prefs-endpoint-check')).toHaveAttribute('data-ok', 'true');
  // What `shotline serve` reported for the pack (not the protocol's defaults).
  const caps = row.getByTestId('prefs-endpoint-caps');
  await expect(caps).toContainText('256×256');
  await expect(caps).toContainText('remix');
  await expect(caps).not.toContainText('1280×720');
  await section.screenshot({ path: path.join(SHOTS, 'endpoints-section.png') });
  await prefs.getByTestId('prefs-done').click();
  await expect(prefs).toBeHidden();

  // A shot; the prompt panel with the endpoint chosen offers only what it makes.
  await page.getByTestId('tab-storyboard').click();
  await page.getByTestId('add-shot').click();
  await page.getByTestId('shot-card').first().click();
  for (const [k, v] of [['subject', 'a yellow triangle'], ['action', 'spins'], ['setting', 'on a dark background']] as const) {
    await page.getByTestId(`prompt-${k}`).fill(v);
    await page.getByTestId(`prompt-${k}`).blur();
  }
  const panel = page.getByTestId('generate-panel');
  const endpointOption = panel.getByTestId('backend-select').locator('option', { hasText: 'Workstation' });
  await expect(endpointOption).toHaveCount(1);
  await panel.getByTestId('backend-select').selectOption((await endpointOption.getAttribute('value'))!);
  await expect(panel.getByTestId('backend-status')).toHaveAttribute('data-status', 'ready');
  await expect(panel.getByTestId('backend-provider')).toContainText('remote');
  if (await panel.getByTestId('duration-fix').isVisible()) await panel.getByTestId('duration-fix').click();
  if (await panel.getByTestId('aspect-fix').isVisible()) await panel.getByTestId('aspect-fix').click();
  await panel.getByTestId('takes-2').click();
  await expect(panel.getByTestId('generate-start')).toHaveText(/Generate 2 takes/);
  // Only what the endpoint makes: its one length and size; its sound; the price of the batch.
  await expect(panel.getByTestId('clip-length')).toHaveText(['2 s']);
  await expect(panel.getByTestId('generate-audio')).toContainText('silent');
  await expect(panel.getByTestId('generate-estimate')).toHaveText('$0.20 for 2 takes × 2 s at $0.05/s');
  await expect(panel.getByTestId('generate-spend')).toContainText('$0.00');
  await panel.evaluate((el) => el.scrollIntoView({ block: 'end' }));
  await page.screenshot({ path: path.join(SHOTS, 'remote-prompt-panel.png') });
  await panel.screenshot({ path: path.join(SHOTS, 'remote-prompt-panel-only.png') });

  // Generate: two pending takes with progress, then two takes.
  const strip = page.getByTestId('shot-editor').getByTestId('take-strip');
  // Every progress message the pending takes show is recorded (the tiny pack is quick).
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __progress: string[] }).__progress = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-testid="pending-status"]')) if (el.textContent && seen.at(-1) !== el.textContent) seen.push(el.textContent);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await panel.getByTestId('generate-start').click();
  await expect(strip.getByTestId('pending-take').or(strip.getByTestId('take'))).toHaveCount(2);
  await page.screenshot({ path: path.join(SHOTS, 'remote-progress.png') });
  await expect(strip.getByTestId('take')).toHaveCount(2, { timeout: 180_000 });
  await expect(strip.getByTestId('pending-take')).toHaveCount(0);
  const progress = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
  console.log(`progress seen: ${progress.join(' | ')}`);
  expect(progress.some((m) => /Workstation/.test(m)), progress.join(' | ')).toBe(true);
  await expect(panel.getByTestId('generate-spend')).toContainText('$0.20 (2 paid takes)');
  // The server's thumbnails are the takes' posters.
  await expect(strip.locator('[data-poster="true"]')).toHaveCount(2);
  await page.screenshot({ path: path.join(SHOTS, 'remote-takes.png') });

  // "Continue this take": Take 2 extended on the workstation (POST /v1/videos/extensions).
  // Takes are picked by label: the two finish in either order, so their places in the strip vary.
  const takeLabelled = (label: string) => strip.getByTestId('take').filter({ has: page.locator('.take__label', { hasText: new RegExp(`^${label}$`) }) });
  await takeLabelled('Take 2').getByTestId('take-extend').click();
  const dialog = page.getByTestId('remix-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('remix-mode-extend')).toHaveAttribute('aria-checked', 'true');
  await expect(dialog.getByTestId('remix-mode-edit')).toBeVisible();
  await dialog.getByTestId('remix-extend-seconds').fill('4');
  await expect(dialog.getByTestId('remix-extend-label')).toHaveText('4 s');
  await expect(dialog.getByTestId('generate-estimate')).toHaveText('$0.20 for 1 take × 4 s at $0.05/s');
  await page.screenshot({ path: path.join(SHOTS, 'remote-extend-dialog.png') });
  await dialog.getByTestId('remix-start').click();
  await expect(dialog).toHaveCount(0);
  await expect(strip.getByTestId('take')).toHaveCount(3, { timeout: 180_000 });
  await expect(strip.getByTestId('pending-take')).toHaveCount(0);
  await expect(takeLabelled('Take 3').getByTestId('take-remix-of')).toContainText('Take 2');
  await takeLabelled('Take 3').getByTestId('take-choose').click();
  await expect(takeLabelled('Take 3')).toHaveAttribute('data-chosen', 'true');
  await expect(panel.getByTestId('generate-spend')).toContainText('$0.40 (3 paid takes)');

  // The takes: generated on the workstation (its video ids), one submission each.
  const snap = await snapshot();
  const takes = Object.values(snap.state.takes).sort((a: Take, b: Take) => a.position - b.position);
  expect(takes).toHaveLength(3);
  const ids = takes.map((t) => {
    const p = snap.state.assets[t.assetId]!.provenance;
    if (p.source !== 'generated') throw new Error('not generated');
    expect(p.backend).toBe('openai-videos');
    const r = p.parameters.remote as { endpointName: string; videoId: string; operation: string };
    expect(r.endpointName).toBe('Workstation');
    expect(r.operation).toBe(t.label === 'Take 3' ? 'extend' : 'create');
    return r.videoId;
  });
  // The extension continues its source: longer than it.
  const duration = (label: string) => {
    const t = takes.find((x) => x.label === label);
    expect(t, label).toBeTruthy();
    return snap.state.assets[t!.assetId]!.probe.durationFlicks;
  };
  expect(duration('Take 3')).toBeGreaterThan(duration('Take 2') * 1.5);
  const listed = (await (await fetch(`${serveUrl}/v1/videos?limit=100`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { data: { id: string }[] };
  expect(listed.data.map((v) => v.id).sort()).toEqual([...ids].sort());
  // Each take's poster is the server's thumbnail (variant=thumbnail), kept in the project.
  for (const t of takes.filter((x) => x.label !== 'Take 3')) {
    const poster = snap.state.assets[t.assetId]!.derivatives.poster?.path;
    expect(poster, `${t.label} has a poster`).toBeTruthy();
    expect(fs.statSync(path.join(projectDir, poster!)).size).toBeGreaterThan(100);
  }

  // Assemble and export.
  await page.getByTestId('assemble').click();
  await expect(page.getByTestId('timeline').locator('[data-kind="video"] [data-testid="clip"]')).toHaveCount(1);
  const out = path.join(tmp, 'exports', 'remote.mp4');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.getByTestId('export-open').click();
  await page.getByTestId('export-preset').selectOption('720p-draft');
  await page.getByTestId('export-path').fill(out);
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-result')).toHaveAttribute('data-state', 'succeeded', { timeout: 120_000 });
  const probe = await ffprobeJson(out);
  const v = probe.streams.find((s) => s.codec_type === 'video')!;
  expect([v.codec_name, v.width, v.height]).toEqual(['h264', 1280, 720]);
  // As long as the timeline the chosen (extended) take was assembled into.
  const assembled = await snapshot();
  expect(assembled.state.shots[Object.keys(assembled.state.shots)[0]!]!.chosenTakeId).toBe(takes.find((x) => x.label === 'Take 3')!.id);
  expect(Math.abs(Number(probe.format.duration) - timelineDuration(assembled.state) / FLICKS_PER_SECOND)).toBeLessThanOrEqual(1 / 30 + 1e-3);
});
