/**
 * The spine, end to end, as a filmmaker would do it in the browser (studio mode):
 * create a project, import two clips, write a 2-shot storyboard, assemble, trim a clip on
 * the timeline, export 9:16, then measure the MP4 (ffprobe, and a frame by PSNR against
 * the source frame rendered by plain ffmpeg).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import type { ProjectSnapshot } from '../../app/api/contract.js';
import { FLICKS_PER_SECOND } from '../../app/time/flicks.js';
import { clipsOnTrack, timelineDuration, tracksOfKind } from '../../app/timeline/query.js';
import { ffprobeJson, makeTestVideo } from '../helpers/media-fixtures.js';
import { startStudio, type StudioProcess } from '../helpers/studio-process.js';

const SHOTS = path.resolve('test-results/screenshots');
let tmp: string;
let studio: StudioProcess;

test.beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-e2e-'));
  fs.mkdirSync(SHOTS, { recursive: true });
  studio = await startStudio({ home: path.join(tmp, 'home') });
});

test.afterAll(async () => {
  await studio?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** PSNR in dB between two images, by ffmpeg's psnr filter. */
function psnrOf(a: string, b: string): number {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-i', a, '-i', b, '-lavfi', 'psnr', '-f', 'null', '-'], { encoding: 'utf8' });
  const m = /average:(inf|[\d.]+)/.exec(r.stderr);
  if (!m) throw new Error(`no PSNR in ffmpeg output:\n${r.stderr}`);
  return m[1] === 'inf' ? Infinity : Number(m[1]);
}

test('storyboard → timeline → trimmed 9:16 MP4', async ({ page }) => {
  const clipA = await makeTestVideo({ path: path.join(tmp, 'dawn.mp4'), seconds: 3, width: 640, height: 360, fps: 30, withAudio: true, toneHz: 440 });
  const clipB = await makeTestVideo({ path: path.join(tmp, 'dusk.mp4'), seconds: 3, width: 640, height: 360, fps: 30, withAudio: true, toneHz: 660 });
  const projectDir = path.join(tmp, 'films', 'e2e');

  await page.goto(`${studio.url}/?token=${studio.token}`);
  await expect(page.getByTestId('start-screen')).toBeVisible();
  await page.getByTestId('new-project-dir').fill(projectDir);
  await page.getByTestId('new-project-name').fill('E2E Film');
  await page.getByTestId('new-project-create').click();
  await expect(page.getByTestId('workspace')).toBeVisible();
  await expect(page.getByTestId('project-name')).toHaveText('E2E Film');

  // Import both clips through the file picker (uploads, then import).
  await page.getByTestId('import-input').setInputFiles([clipA, clipB]);
  await expect(page.getByTestId('media-bin').getByTestId('asset-thumb')).toHaveCount(2, { timeout: 60_000 });

  // A two-shot storyboard, one take each.
  await page.getByTestId('tab-storyboard').click();
  for (const [i, title] of ['Dawn', 'Dusk'].entries()) {
    await page.getByRole('button', { name: /Add shot/ }).click();
    await expect(page.getByTestId('shot-card')).toHaveCount(i + 1);
    await page.getByTestId('shot-card').nth(i).click();
    const titleField = page.getByTestId('shot-title');
    await titleField.fill(title);
    await titleField.blur();
    await page.getByTestId('prompt-subject').fill(`${title} over the harbour`);
    await page.getByTestId('prompt-subject').blur();
    await page.getByTestId('add-take').click();
    await page.getByTestId('take-picker-asset').nth(i).click();
    await expect(page.getByTestId('shot-editor').getByTestId('take')).toHaveCount(1);
  }
  await expect(page.getByTestId('prompt-preview')).toContainText('Dusk over the harbour');
  await page.screenshot({ path: path.join(SHOTS, 'storyboard.png') });

  // Assemble and trim the second clip's out point on the timeline by dragging its edge.
  await page.getByRole('button', { name: /Assemble/ }).click();
  await expect(page.getByTestId('timeline').locator('[data-kind="video"] [data-testid="clip"]')).toHaveCount(2);
  let snap = await studio.ok<ProjectSnapshot>('project.snapshot');
  const v1 = tracksOfKind(snap.state, 'video')[0]!;
  const [c1, c2] = clipsOnTrack(snap.state, v1.id);
  expect(c1!.startFlicks).toBe(0);
  expect(c2!.startFlicks).toBe(c1!.outFlicks - c1!.inFlicks);

  const clip2 = page.getByTestId('timeline').locator('[data-kind="video"] [data-testid="clip"]').nth(1);
  const handle = clip2.getByTestId('clip-trim-out');
  const box = (await handle.boundingBox())!;
  const clipBox = (await clip2.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - clipBox.width * 0.4, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect.poll(async () => {
    const s = await studio.ok<ProjectSnapshot>('project.snapshot');
    return s.state.clips[c2!.id]!.outFlicks;
  }).toBeLessThan(c2!.outFlicks);
  snap = await studio.ok<ProjectSnapshot>('project.snapshot');
  const trimmed = snap.state.clips[c2!.id]!;
  expect(snap.history.undoLabel).toBe('Trim clip');
  const frame = FLICKS_PER_SECOND / 30;
  expect(trimmed.outFlicks % frame).toBe(0); // snapped to the frame grid
  await page.screenshot({ path: path.join(SHOTS, 'timeline.png') });

  // Export 9:16.
  const out = path.join(tmp, 'exports', 'e2e-vertical.mp4');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.getByRole('button', { name: /^Export/ }).first().click();
  await page.getByTestId('export-preset').selectOption('vertical-1080');
  await page.getByTestId('export-path').fill(out);
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-progress').or(page.getByTestId('export-result'))).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'export-progress.png') });
  await expect(page.getByTestId('export-result')).toHaveAttribute('data-state', 'succeeded', { timeout: 180_000 });
  await page.screenshot({ path: path.join(SHOTS, 'export-done.png') });

  // Measure the file.
  const probe = await ffprobeJson(out);
  const v = probe.streams.find((s) => s.codec_type === 'video')!;
  const a = probe.streams.find((s) => s.codec_type === 'audio')!;
  expect([v.codec_name, v.width, v.height]).toEqual(['h264', 1080, 1920]);
  expect(a.codec_name).toBe('aac');
  const expected = timelineDuration(snap.state) / FLICKS_PER_SECOND;
  expect(Math.abs(Number(probe.format.duration) - expected)).toBeLessThanOrEqual(1 / 30 + 1e-3);
  expect(Math.abs(Number(v.duration) - expected)).toBeLessThanOrEqual(1 / 30 + 1e-3);

  // A frame in the middle of clip 1 equals the source frame, conformed to 9:16 by plain ffmpeg.
  const t = 1.5 + 0.5 / 30; // mid-frame: no rounding ambiguity
  const exported = path.join(tmp, 'exported.png');
  const reference = path.join(tmp, 'reference.png');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-ss', String(t), '-i', out, '-frames:v', '1', exported]);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-ss', String(t), '-i', clipA, '-frames:v', '1', '-vf',
    'scale=1080:1920:force_original_aspect_ratio=decrease,pad=1080:1920:(ow-iw)/2:(oh-ih)/2:black,setsar=1', reference]);
  const db = psnrOf(exported, reference);
  console.log(`PSNR exported vs reference frame: ${db.toFixed(2)} dB`);
  expect(db).toBeGreaterThanOrEqual(30);
});
