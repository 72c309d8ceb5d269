/**
 * Hand-off and provenance in the browser (studio mode), on the sample project (assembled): the
 * export dialog says how the MP4 is signed, offers the timeline formats, asks before an OTIO
 * replaces a file that is not a Shotline export (a "no" keeps the file), writes it with its
 * media copied beside it, and the MP4 it exports carries valid content credentials.
 * (The sample's takes are sample media, not generated: the AI-mark checkbox is not offered; the
 * mark itself is checked by pixels in tests/integration/provenance/watermark.test.ts.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { readCredentials } from '../../main/provenance/verify.js';
import { startStudio, type StudioProcess } from '../helpers/studio-process.js';

const SHOTS = path.resolve('test-results/screenshots');
let tmp: string;
let studio: StudioProcess;

test.beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-e2e-handoff-'));
  fs.mkdirSync(SHOTS, { recursive: true });
  studio = await startStudio({ home: path.join(tmp, 'home') });
});

// A failure here once came from CI with only "export-result not found": say what the jobs were doing.
test.afterEach(async ({ page }, info) => {
  if (info.status === info.expectedStatus) return;
  const banners = await page.locator('[role="alert"], [data-testid$="-error"]').allInnerTexts().catch(() => []);
  console.log(`banners on the page: ${JSON.stringify(banners)}`);
  const jobs = await studio.call('jobs.list').catch((e: Error) => ({ ok: false, error: e.message }));
  console.log(`jobs: ${JSON.stringify(jobs, null, 1).slice(0, 6000)}\nstudio output (tail):\n${studio.output().slice(-4000)}`);
});

test.afterAll(async () => {
  await studio?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('sample project → OTIO hand-off folder and a signed MP4', async ({ page }) => {
  test.setTimeout(300_000);
  page.on('crash', () => console.log('handoff e2e: the page crashed'));
  page.on('pageerror', (e) => console.log(`handoff e2e: page error: ${e.message}`));
  await page.goto(`${studio.url}/?token=${studio.token}`);
  await page.getByTestId('new-project-dir').fill(path.join(tmp, 'films'));
  await page.getByTestId('new-project-name').fill('Handoff');
  await page.getByTestId('create-sample').click();
  await expect(page.getByTestId('workspace')).toBeVisible({ timeout: 120_000 });
  await page.getByTestId('assemble').click();

  await page.getByTestId('export-open').click();
  await expect(page.getByTestId('export-watermark')).toHaveCount(0);
  await expect(page.getByTestId('export-credentials-note')).toContainText('not on a public trust list');
  await page.screenshot({ path: path.join(SHOTS, 'handoff-dialog.png') });

  const otio = path.join(tmp, 'handoff', 'cut.otio');
  fs.mkdirSync(path.dirname(otio));
  // A file of the user's own is there: replacing it needs a yes in the dialog, a no keeps it.
  fs.writeFileSync(otio, 'my own notes');
  await page.getByTestId('export-format').selectOption('otio');
  await expect(page.getByTestId('export-copy-media')).toBeChecked();
  await page.getByTestId('export-path').fill(otio);
  await page.getByTestId('export-overwrite').check();
  const asked: string[] = [];
  page.once('dialog', (d) => {
    asked.push(d.message());
    void d.dismiss();
  });
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-error')).toHaveAttribute('data-code', 'confirmation_required');
  await expect(page.getByTestId('export-error')).toContainText('is not a Shotline export');
  expect(asked[0]).toContain(`${otio} already exists and is not a Shotline export`);
  expect(fs.readFileSync(otio, 'utf8')).toBe('my own notes');
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-result')).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
  await page.screenshot({ path: path.join(SHOTS, 'handoff-otio.png') });
  const doc = JSON.parse(fs.readFileSync(otio, 'utf8'));
  const clips = doc.tracks.children[0].children.filter((c: { OTIO_SCHEMA: string }) => c.OTIO_SCHEMA === 'Clip.2');
  expect(clips.length).toBeGreaterThan(0);
  for (const c of clips) expect(fs.existsSync(path.join(tmp, 'handoff', decodeURIComponent(c.media_references.DEFAULT_MEDIA.target_url)))).toBe(true);

  const mp4 = path.join(tmp, 'handoff', 'film.mp4');
  await page.getByTestId('export-format').selectOption('mp4');
  await page.getByTestId('export-path').fill(mp4);
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-result')).toHaveAttribute('data-state', 'succeeded', { timeout: 240_000 });
  const report = await readCredentials(mp4);
  expect(report.state).toBe('Valid');
  const actions = report.manifests[0]!.actions.map((a) => a.action);
  expect(actions[0]).toBe('c2pa.created');
  expect(actions).toContain('c2pa.transcoded');
  expect(actions).not.toContain('c2pa.watermarked');
});
