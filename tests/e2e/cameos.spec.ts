/**
 * The cameo library in the browser (studio mode) with Chromium's fake camera and microphone
 * (a y4m and a wav made by ffmpeg here): record a cameo with the guided capture (level meter
 * moves, frame strip with the sharpest frames suggested), pick stills, fill the consent, use it
 * in a shot by @handle (picker chip, composed prompt, the cameo's still as the Reference, generate
 * with the local pack; the user's own name set first, shown as who "Only me" is), then revoke
 * it and see the marks on the shot card, the take and the timeline clip; export is refused with
 * the shot named. Measured against main's own records (cameos.get, project.snapshot).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { ProjectSnapshot } from '../../app/api/contract.js';
import type { CameoDetail } from '../../app/api/cameos.js';
import type { CameoSummary } from '../../app/cameos/types.js';
import type { BackendInfo } from '../../app/generation/types.js';
import { secondsToFlicks } from '../../app/time/flicks.js';
import { startStudio, type StudioProcess } from '../helpers/studio-process.js';
import { NO_PACK, PACK_DIR, SHIPPED_MODELS } from '../integration/generation/find-pack.js';

const SHOTS = path.resolve('test-results/screenshots');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-e2e-cameo-'));
const y4m = path.join(tmp, 'camera.y4m');
const wav = path.join(tmp, 'mic.wav');
let studio: StudioProcess;

// The fake camera: 16 s of moving test pattern (longer than the capture, so no frame repeats),
// sharp and blurred by turns every 2 s;
// the fake microphone: 1 s of silence, then 3 s of a voice-like tone (loops).
execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15:duration=16', '-vf', "boxblur=enable='gte(mod(t,4),2)':luma_radius=10", '-pix_fmt', 'yuv420p', y4m]);
execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=220:sample_rate=48000:duration=3,adelay=1000,apad=whole_dur=4', '-ac', '1', '-c:a', 'pcm_s16le', wav]);

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`, `--use-file-for-fake-audio-capture=${wav}`, '--autoplay-policy=no-user-gesture-required',
    ],
  },
});

test.skip(!PACK_DIR, NO_PACK);

test.beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const shipped = path.dirname(PACK_DIR!) === SHIPPED_MODELS;
  studio = await startStudio({ home: path.join(tmp, 'home'), env: shipped ? {} : { SHOTLINE_MODELS_DIR: path.dirname(PACK_DIR!) } });
});
test.afterAll(async () => {
  await studio?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('record a cameo, use it by @handle, revoke it, see the marks', async ({ page }) => {
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  const projectDir = path.join(tmp, 'films', 'lighthouse');
  await studio.ok('project.create', { dir: projectDir, name: 'Lighthouse' });
  const backend = (await studio.ok<BackendInfo[]>('generation.backends')).find((b) => b.status === 'ready')!;
  const size = backend.capabilities.sizes[0]!;
  await studio.ok('edit.apply', { command: 'shot.add', args: { fields: { title: 'Arrival', durationFlicks: secondsToFlicks(backend.capabilities.durations[0]!), aspect: size.width === size.height ? '1:1' : size.width > size.height ? '16:9' : '9:16' } } });
  await page.goto(`${studio.url}/?token=${studio.token}`);
  await expect(page.getByTestId('workspace')).toBeVisible();

  // Cameos view by keyboard (Ctrl+4) and the guided capture.
  await page.keyboard.press('Control+4');
  await expect(page.getByTestId('cameos-view')).toBeVisible();
  // The user's own name (who "Only me" means): refused empty, saved on Enter, kept by main.
  const userName = page.locator('.cameos-view__head').getByTestId('cameo-user-name');
  await userName.fill(' ');
  await expect(page.locator('.cameos-view__head').getByTestId('cameo-user-error')).toContainText('Type your name');
  await userName.fill('Dana Reyes');
  await userName.press('Enter');
  await expect.poll(async () => (await studio.ok<{ name: string }>('cameos.user')).name).toBe('Dana Reyes');
  await expect(page.locator('.cameos-view__head').getByTestId('cameo-user-save')).toBeDisabled();
  await page.getByTestId('cameo-new').click();
  await page.getByTestId('cameo-from-camera').click();
  const capture = page.getByTestId('capture');
  await expect(capture.getByTestId('capture-record')).toBeEnabled({ timeout: 30_000 });
  // The level meter follows the microphone (the fake one plays a tone after 1 s of silence).
  await expect.poll(async () => Number(await capture.getByTestId('level-meter').getAttribute('aria-valuenow')), { timeout: 15_000 }).toBeGreaterThan(0.05);
  // A false start: stopped after two seconds, looked at, retaken. Its frame pictures are let go
  // (their blob URLs no longer load) and none of them is offered again.
  await capture.getByTestId('capture-record').click();
  await page.waitForTimeout(2_000);
  await capture.getByTestId('capture-stop').click();
  await capture.getByTestId('capture-use').click();
  const firstFrames = await page.getByTestId('frame-strip').locator('img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src));
  expect(firstFrames.length).toBeGreaterThan(0);
  await page.getByTestId('frames-retake').click();
  await expect(capture.getByTestId('capture-record')).toBeEnabled({ timeout: 30_000 });
  await capture.getByTestId('capture-record').click();
  await expect(capture.getByTestId('capture-prompt')).toContainText('Face the camera');
  await expect(capture.getByTestId('capture-prompt')).toContainText('Turn slowly', { timeout: 10_000 });
  await page.screenshot({ path: path.join(SHOTS, 'cameo-capture.png') });
  await expect(capture.getByTestId('capture-prompt')).toContainText('Read aloud', { timeout: 10_000 });
  // The capture ends by itself after 14 s.
  await expect(capture.getByTestId('capture-voice')).toContainText(/s after trimming silence, -?\d+\.\d dBFS/, { timeout: 30_000 });
  await capture.getByTestId('capture-use').click();

  // Frame strip: three suggested (sharp) frames are picked; take one away and add another.
  const strip = page.getByTestId('frame-strip');
  const frames = await strip.locator('img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src));
  expect(frames.length).toBeGreaterThan(firstFrames.length);
  expect(frames.filter((u) => firstFrames.includes(u))).toEqual([]);
  const loads = (urls: string[]) => page.evaluate((us) => Promise.all(us.map((u) => fetch(u).then(() => true, () => false))), urls);
  expect(await loads(firstFrames)).toEqual(firstFrames.map(() => false));
  expect(await loads(frames.slice(0, 2))).toEqual([true, true]);
  await expect(strip.locator('[data-suggested="true"]')).toHaveCount(3);
  await expect(strip.locator('[aria-pressed="true"]')).toHaveCount(3);
  await strip.locator('[data-suggested="true"]').first().click();
  await strip.locator('[data-suggested="false"]').first().click();
  await expect(strip.locator('[aria-pressed="true"]')).toHaveCount(3);
  await page.screenshot({ path: path.join(SHOTS, 'cameo-frames.png') });
  await page.getByTestId('frames-next').click();

  // Details and consent.
  await page.getByTestId('cameo-name').fill('Maya Lind');
  await expect(page.getByTestId('cameo-handle')).toHaveValue('maya_lind');
  await page.getByTestId('cameo-handle').fill('maya');
  await page.getByTestId('cameo-description').fill('short dark hair, green raincoat');
  await page.getByTestId('cameo-tags').fill('cast, lead, Cast');
  await page.getByTestId('consent-covers').selectOption('both');
  await page.getByTestId('consent-signed-name').fill('Maya Lind');
  await expect(page.getByTestId('consent-audience').locator('option[value="only-me"]')).toHaveText('Only me (Dana Reyes)');
  await expect(page.getByTestId('consent-form').getByTestId('cameo-user-name')).toHaveValue('Dana Reyes');
  await page.screenshot({ path: path.join(SHOTS, 'cameo-consent.png') });
  await page.getByTestId('cameo-create').click();
  await expect(page.getByTestId('new-cameo')).toBeHidden({ timeout: 60_000 });
  const card = page.getByTestId('cameo-card').filter({ hasText: '@maya' });
  await expect(card.getByTestId('cameo-status')).toHaveAttribute('data-status', 'active');
  const [maya] = await studio.ok<CameoSummary[]>('cameos.list');
  expect(maya).toMatchObject({ handle: 'maya', parts: { likeness: true, voice: true }, consent: { covers: 'both', signedName: 'Maya Lind', spokenSentence: expect.stringContaining('I, Maya Lind, agree') } });
  expect(maya!.tags).toEqual(['cast', 'lead']);
  await expect(page.getByTestId('cameo-detail').getByTestId('cameo-tags')).toHaveText('castlead');
  expect(maya!.media.filter((m) => m.role === 'still')).toHaveLength(3);
  const v = maya!.media.find((m) => m.role === 'voice')!;
  expect(v.meta.seconds!).toBeGreaterThan(1);
  await expect(page.getByTestId('cameo-detail').getByTestId('cameo-stills').locator('img')).toHaveCount(3);
  // The voice sample plays from the library and its waveform is drawn (WaveSurfer's canvases,
  // in its open shadow root, which locators pierce).
  const painted = () =>
    page.getByTestId('cameo-waveform').locator('canvas').evaluateAll((cs: HTMLCanvasElement[]) => {
      let n = 0;
      for (const c of cs) {
        if (!c.width || !c.height) continue;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i]) n++;
      }
      return n;
    });
  await expect.poll(painted).toBeGreaterThan(200);
  await expect.poll(() => page.getByTestId('cameo-voice').evaluate((a: HTMLAudioElement) => a.duration)).toBeGreaterThan(1);
  await page.screenshot({ path: path.join(SHOTS, 'cameos-view.png') });

  // Use it by @handle in the shot.
  await page.getByTestId('tab-storyboard').click();
  await page.getByTestId('shot-card').first().click();
  await page.getByTestId('prompt-subject').fill('@maya walks into the lighthouse');
  await page.getByTestId('prompt-subject').blur();
  await expect(page.getByTestId('shot-cameos').getByTestId('shot-cameo')).toHaveAttribute('data-handle', 'maya');
  await expect(page.getByTestId('prompt-preview')).toContainText('Maya Lind walks into the lighthouse. Maya Lind: short dark hair, green raincoat.');
  await page.getByTestId('prompt-action').fill('then greets @nobody');
  await expect(page.getByTestId('handle-problem')).toContainText('No cameo has the handle @nobody');
  await page.getByTestId('prompt-action').fill('');
  await page.getByTestId('prompt-action').blur();
  const panel = page.getByTestId('generate-panel');
  await expect(panel.getByTestId('backend-status')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  // The local pack starts from the cameo's still: the Reference row shows it, not "None".
  if (backend.capabilities.tasks.includes('image-to-video')) {
    await expect(panel.getByTestId('reference-cameo')).toContainText('Maya Lind @maya · cameo still');
    await expect(panel.getByTestId('reference-cameo-still')).toBeVisible();
    // The whole @handle is shown, not cut by an ellipsis ("@ma…"): nothing of it overflows its box.
    const h = panel.getByTestId('reference-cameo-handle');
    await expect(h).toHaveText('@maya');
    expect(await h.evaluate((e) => {
      const line = e.parentElement!;
      return line.scrollWidth <= line.clientWidth + 1 && e.getBoundingClientRect().right <= e.closest('.gen-ref')!.getBoundingClientRect().right + 1;
    })).toBe(true);
    await panel.getByTestId('reference-cameo').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'cameo-reference.png') });
  }
  await panel.getByTestId('generate-start').click();
  await expect(page.getByTestId('take-strip').getByTestId('take').first()).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('take-strip').getByTestId('pending-take')).toHaveCount(0, { timeout: 120_000 });
  await expect(page.getByTestId('shot-card').first().getByTestId('shot-card-cameos')).toBeVisible();
  await page.getByTestId('prompt-preview').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'cameo-in-shot.png') });
  let snap = await studio.ok<ProjectSnapshot>('project.snapshot');
  const takes = Object.values(snap.state.takes).sort((a, b) => a.position - b.position);
  const take = takes[0]!;
  await studio.ok('edit.apply', { command: 'take.choose', args: { takeId: take.id } });
  await studio.ok('edit.apply', { command: 'timeline.assemble', args: {} });
  const detail = await studio.ok<CameoDetail>('cameos.get', { id: maya!.id });
  // One logged use per take queued (the panel's default number of takes).
  expect(detail.uses.map((u) => u.takeLabel).sort()).toEqual(takes.map((t) => t.label).sort());
  expect(detail.uses[0]).toMatchObject({ projectName: 'Lighthouse', shotTitle: 'Arrival', purpose: 'generate', part: 'likeness', endpoint: expect.stringContaining('Local') });

  // Revoke it from the Cameos view.
  await page.getByTestId('tab-cameos').click();
  await card.click();
  await expect(page.getByTestId('cameo-use-log').locator('tbody tr')).toHaveCount(takes.length);
  await page.getByTestId('cameo-revoke').click();
  await page.getByTestId('cameo-revoke-reason').fill('Maya asked');
  await page.getByTestId('cameo-revoke-confirm').click();
  await expect(page.getByTestId('cameo-revoke-result')).toContainText(`${takes.length} take(s) in this project marked`);
  await expect(card.getByTestId('cameo-status')).toHaveAttribute('data-status', 'revoked');
  await page.screenshot({ path: path.join(SHOTS, 'cameo-revoked.png') });

  // The marks: take strip and shot card in the storyboard, the clip on the timeline.
  await page.getByTestId('tab-storyboard').click();
  await expect(page.getByTestId('shot-card').first().getByTestId('revoked-mark')).toBeVisible();
  await expect(page.getByTestId('take-strip').getByTestId('revoked-mark')).toHaveCount(takes.length);
  await page.screenshot({ path: path.join(SHOTS, 'cameo-revoked-storyboard.png') });
  await page.getByTestId('tab-edit').click();
  await expect(page.locator('[data-testid="clip"][data-revoked-cameo="true"]')).toHaveCount(1);
  // The viewer still plays it (playhead at 0, on that clip), with the warning over the picture.
  await expect(page.getByTestId('viewer-revoked')).toContainText('revoked cameo');
  await page.screenshot({ path: path.join(SHOTS, 'cameo-revoked-timeline.png') });
  snap = await studio.ok<ProjectSnapshot>('project.snapshot');
  expect(snap.state.takes[take.id]!.revokedCameos).toEqual([maya!.id]);
  const refused = await studio.call('export.start', { preset: '720p-draft', outPath: path.join(tmp, 'out.mp4') });
  expect(refused.ok).toBe(false);
  expect(JSON.stringify(refused)).toContain('Arrival (Take 1)');
});
