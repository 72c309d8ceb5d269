/**
 * A feature-length project stays usable (issue 14): 2,000 shots and 5,000 clips, built through
 * `shotline run`, opened in studio mode. The DOM stays under 5,000 elements in every view
 * whatever the project's size (it was 56,453 with every clip mounted), the Edit view opens
 * (it blocked the page for 100 s), and scrolling reaches the last clip. Timings live in
 * `npm run bench -- scale`; this test checks what must hold on any machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { buildScaleProject } from '../helpers/scale-project.js';
import { startStudio, type StudioProcess } from '../helpers/studio-process.js';

const SHOTS = path.resolve('test-results/screenshots');
let tmp: string;
let studio: StudioProcess;

test.beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-e2e-scale-'));
  fs.mkdirSync(SHOTS, { recursive: true });
  const project = await buildScaleProject(tmp, { shots: 2000, clips: 5000 });
  studio = await startStudio({ project, home: path.join(tmp, 'studio-home') });
});

test.afterAll(async () => {
  await studio?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const domSize = (page: import('@playwright/test').Page) => page.evaluate(() => document.getElementsByTagName('*').length);

test('2,000 shots / 5,000 clips: every view stays under 5,000 DOM elements and scrolls to the end', async ({ page }) => {
  await page.goto(`${studio.url}/?token=${studio.token}`);
  await expect(page.getByTestId('shot-grid')).toHaveAttribute('data-shot-count', '2000');
  await expect(page.getByTestId('shot-card').first()).toBeVisible();
  expect(await domSize(page)).toBeLessThan(5000);

  // The storyboard scrolls to its last shot; the card there is the 2,000th, drawn properly.
  await page.getByTestId('shot-grid').evaluate((el) => (el.scrollTop = el.scrollHeight));
  const last = page.locator('[data-testid="shot-card"][data-index="1999"]');
  await expect(last).toBeVisible();
  await expect(last).toContainText('Shot 2000');
  expect((await last.boundingBox())!.height).toBeGreaterThan(150); // not squeezed to a sliver
  expect(await domSize(page)).toBeLessThan(5000);
  await page.screenshot({ path: path.join(SHOTS, 'scale-storyboard-end.png') });

  await page.getByTestId('tab-edit').click();
  await expect(page.getByTestId('clip').first()).toBeVisible({ timeout: 30_000 });
  expect(await domSize(page)).toBeLessThan(5000);
  const mounted = await page.getByTestId('clip').count();
  expect(mounted).toBeGreaterThan(5);
  expect(mounted).toBeLessThan(400);

  // Scrolled to the very end, the last shot's clip is there.
  const lastStart = (selector: string) =>
    page.evaluate((selector) => Math.max(...[...document.querySelectorAll<HTMLElement>(`${selector} [data-testid="clip"]`)].map((c) => Number(c.dataset.start))), selector);
  const F = 705_600_000;
  await page.locator('.timeline__scroll').evaluate((el) => (el.scrollLeft = el.scrollWidth));
  await expect.poll(() => lastStart('[data-testid="track"][data-kind="video"]')).toBe(1999 * 2 * F); // the 2,000th two-second shot
  expect(await domSize(page)).toBeLessThan(5000);
  await page.screenshot({ path: path.join(SHOTS, 'scale-edit-end.png') });

  // Zoomed to fit, thousands of clips fold into summary blocks that still account for all of them.
  await page.getByTestId('zoom-fit').click();
  await expect(page.getByTestId('clip-summary').first()).toBeVisible();
  expect(await domSize(page)).toBeLessThan(5000);
  const counted = await page.evaluate(() => {
    const n = (kind: string) =>
      [...document.querySelectorAll<HTMLElement>(`[data-testid="track"][data-kind="${kind}"] [data-testid="clip-summary"]`)].reduce((s, e) => s + Number(e.dataset.count), 0) +
      document.querySelectorAll(`[data-testid="track"][data-kind="${kind}"] [data-testid="clip"]`).length;
    return { video: n('video'), audio: n('audio') };
  });
  expect(counted.video).toBe(2000);
  expect(counted.video + counted.audio).toBe(5000); // every clip of the project is drawn or summarised
  await page.screenshot({ path: path.join(SHOTS, 'scale-edit-fit.png') });
});
