/**
 * The guided capture when the camera cannot start, in Chromium against `shotline studio`:
 * permission denied (a fake camera exists, but nothing grants access) and no camera at all
 * (access granted, no device). Each says which, and how to go on (create from files), and the
 * capture offers "Create from files instead" (focused) back to the source step; nothing is
 * created in the library.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, expect, test, type Page } from '@playwright/test';
import type { CameoSummary } from '../../app/cameos/types.js';
import { startStudio, type StudioProcess } from '../helpers/studio-process.js';

const SHOTS = path.resolve('test-results/screenshots');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-e2e-camera-'));
const BASE = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];
let studio: StudioProcess;

test.beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  studio = await startStudio({ home: path.join(tmp, 'home') });
  await studio.ok('project.create', { dir: path.join(tmp, 'films', 'pier'), name: 'Pier' });
});
test.afterAll(async () => {
  await studio?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function openCapture(page: Page): Promise<void> {
  await page.goto(`${studio.url}/?token=${studio.token}`);
  await expect(page.getByTestId('workspace')).toBeVisible();
  await page.keyboard.press('Control+4');
  await page.getByTestId('cameo-new').click();
  await page.getByTestId('cameo-from-camera').click();
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// A fake camera is there, but no fake "allow" and no granted permission: Chromium denies.
test.use({ launchOptions: { executablePath: CHROMIUM, args: [...BASE, '--use-fake-device-for-media-stream'] } });

test.describe('permission denied', () => {
  test('says the permission was denied and how to go on', async ({ page }) => {
    await openCapture(page);
    await expect(page.getByTestId('capture-error')).toHaveText('Camera or microphone permission was denied. Allow them in the browser (site settings), or create the cameo from files instead.');
    await expect(page.getByTestId('capture-record')).toHaveCount(0);
    await page.screenshot({ path: path.join(SHOTS, 'cameo-camera-denied.png') });
    // The way on, inside the dialog (focused, so Enter takes it): back to choosing the source.
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('capture')).toHaveCount(0);
    await expect(page.getByTestId('cameo-file-video')).toBeVisible();
    expect(await studio.ok<CameoSummary[]>('cameos.list')).toEqual([]);
  });
});

test.describe('no camera', () => {
  test('says no camera was found and how to go on', async () => {
    // Its own browser without a fake device (this machine has no camera or microphone), access granted.
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: BASE });
    try {
      const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
      await context.grantPermissions(['camera', 'microphone'], { origin: studio.url });
      const page = await context.newPage();
      await openCapture(page);
      await expect(page.getByTestId('capture-error')).toHaveText('No camera or microphone was found. Connect one, or create the cameo from files instead.');
      await expect(page.getByTestId('capture-record')).toHaveCount(0);
      await page.getByTestId('capture-from-files').click();
      await expect(page.getByTestId('cameo-file-video')).toBeVisible();
      expect(await studio.ok<CameoSummary[]>('cameos.list')).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
