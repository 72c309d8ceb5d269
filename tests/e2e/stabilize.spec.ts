/**
 * Stabilize in the browser (studio mode): a clip shaken by known random offsets is put on
 * the timeline; in the Inspector's Stabilize tab the user turns the effect on, analyses
 * (progress, then "Analyzed"), changes smoothing from the keyboard, sees the stabilized
 * preview in the Viewer, and exports. The export is measured: residual frame-to-frame
 * motion ≤ 30% of the input's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { EditResult, ImportResult, ProjectSnapshot } from '../../app/api/contract.js';
import { tracksOfKind } from '../../app/timeline/query.js';
import { makeShakyVideo } from '../helpers/shaky-video.js';
import { startStudio, type StudioProcess } from '../helpers/studio-process.js';
import { measureMotion } from '../integration/stabilize/motion.js';

const SHOTS = path.resolve('test-results/screenshots');
let tmp: string;
let studio: StudioProcess;

test.beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-e2e-stab-'));
  fs.mkdirSync(SHOTS, { recursive: true });
  studio = await startStudio({ home: path.join(tmp, 'home') });
});

test.afterAll(async () => {
  await studio?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('stabilize a shaky clip in the Inspector, preview it, export it', async ({ page }) => {
  const shaky = await makeShakyVideo({ path: path.join(tmp, 'handheld.mp4'), width: 384, height: 216, seconds: 2, amplitude: 12, seed: 9, withAudio: true });
  const projectDir = path.join(tmp, 'films', 'stab');
  await studio.ok('project.create', { dir: projectDir, name: 'Handheld' });
  const imported = await studio.ok<ImportResult>('assets.import', { files: [{ path: shaky.path }] });
  let snap = await studio.ok<ProjectSnapshot>('project.snapshot');
  const v1 = tracksOfKind(snap.state, 'video')[0]!;
  const added = await studio.ok<EditResult>('edit.apply', { command: 'clip.add', args: { trackId: v1.id, assetId: imported.imported[0]!.id, startFlicks: 0 } });
  const clipId = Object.keys(added.patch.clips!)[0]!;
  const smoothing = async () => (await studio.ok<ProjectSnapshot>('project.snapshot')).state.clips[clipId]!.effects.stabilize?.smoothing;

  await page.goto(`${studio.url}/?token=${studio.token}`);
  await expect(page.getByTestId('workspace')).toBeVisible();
  await page.getByTestId('tab-edit').click();
  const clip = page.getByTestId('timeline').locator('[data-kind="video"] [data-testid="clip"]').first();
  await clip.focus();
  await page.keyboard.press('Enter'); // selects the focused clip
  await expect(page.getByTestId('clip-inspector')).toBeVisible();
  await page.getByTestId('inspector').getByRole('tab', { name: /Stabilize/ }).click();
  const tab = page.getByTestId('stabilize-tab');
  await expect(tab).toBeVisible();

  // Turn it on: the timeline badge appears; nothing is analysed yet.
  await tab.getByTestId('stabilize-enabled').check();
  await expect(page.getByTestId('clip-badge-stabilize')).toBeVisible();
  await expect(tab.getByTestId('stabilize-status')).toHaveAttribute('data-state', 'not-analysed');
  await expect(page.getByTestId('viewer-stabilized')).toHaveAttribute('data-ready', 'false');

  // Analyse: a job with progress, then "Analyzed" and the stabilized preview in the Viewer.
  await tab.getByTestId('stabilize-analyze').click();
  await expect(tab.getByTestId('stabilize-status')).toHaveAttribute('data-state', 'analysed', { timeout: 60_000 });
  await expect(page.getByTestId('viewer-stabilized')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('viewer-stabilized')).toHaveText('Stabilized preview');
  await expect(page.getByTestId('viewer-video')).toHaveAttribute('src', /\.preview\.mp4/);

  // Keyboard: a new smoothing through the number field; only the preview needs redoing.
  const value = tab.getByTestId('stabilize-smoothing-value');
  await value.focus();
  await value.fill('20');
  await page.keyboard.press('Enter');
  await expect.poll(smoothing).toBe(20);
  await expect(tab.getByTestId('stabilize-analyze')).toHaveText('Update preview');
  await tab.getByTestId('stabilize-analyze').focus();
  await page.keyboard.press('Enter');
  await expect(tab.getByTestId('stabilize-analyze')).toHaveText('Analyzed', { timeout: 60_000 });
  await expect(tab.getByTestId('stabilize-zoom-fixed-zoom')).toBeVisible();
  await page.getByTestId('inspector').screenshot({ path: path.join(SHOTS, 'stabilize.png') });

  // Export 720p and measure it.
  const out = path.join(tmp, 'exports', 'stabilized.mp4');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.getByTestId('export-open').click();
  await page.getByTestId('export-preset').selectOption('720p-draft');
  await page.getByTestId('export-path').fill(out);
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-result')).toHaveAttribute('data-state', 'succeeded', { timeout: 120_000 });
  snap = await studio.ok<ProjectSnapshot>('project.snapshot');
  expect(snap.state.clips[clipId]!.effects.stabilize).toMatchObject({ enabled: true, smoothing: 20 });

  const input = await measureMotion(shaky.path);
  const output = await measureMotion(out, { filter: 'scale=384:216' });
  console.log(`[e2e stabilize] mean motion: input ${input.mean.toFixed(2)} px, export ${output.mean.toFixed(2)} px (${((100 * output.mean) / input.mean).toFixed(1)}%)`);
  expect(output.mean).toBeLessThanOrEqual(0.3 * input.mean);
});
