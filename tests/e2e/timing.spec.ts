/**
 * Recut, Loop and Speed in the browser (studio mode): ramp a clip's speed with a preset and a
 * keyframe drag, loop another with a crossfade and the seamless-loop finder, slip a clip by a
 * frame, look at the loop seam in the Viewer, export, and measure the MP4 against the time
 * map (frame count and duration). Screenshots of each tab go to test-results/screenshots/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { ProjectSnapshot } from '../../app/api/contract.js';
import { compileRenderPlan } from '../../app/render/plan.js';
import { clipDuration, clipsOnTrack, timelineDuration, tracksOfKind } from '../../app/timeline/query.js';
import { FLICKS_PER_SECOND } from '../../app/time/flicks.js';
import { ffprobeJson, makeTestVideo } from '../helpers/media-fixtures.js';
import { startStudio, type StudioProcess } from '../helpers/studio-process.js';

const SHOTS = path.resolve('test-results/screenshots');
let tmp: string;
let studio: StudioProcess;

test.beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-e2e-timing-'));
  fs.mkdirSync(SHOTS, { recursive: true });
  studio = await startStudio({ home: path.join(tmp, 'home') });
});

test.afterAll(async () => {
  await studio?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function snapshot(): Promise<ProjectSnapshot> {
  return studio.ok<ProjectSnapshot>('project.snapshot');
}

async function selectClip(page: Page, clipId: string): Promise<void> {
  await page.locator(`[data-testid="timeline"] [data-clip-id="${clipId}"]`).click({ position: { x: 12, y: 30 } });
  await expect(page.getByTestId('inspector-tab-speed')).toBeVisible();
  await expect(page.getByTestId('inspector').locator(`[data-clip-id="${clipId}"]`).or(page.getByTestId('inspector').getByRole('tabpanel'))).not.toHaveCount(0);
}

test('speed ramp + loop → export measured against the time map', async ({ page }) => {
  const a = await makeTestVideo({ path: path.join(tmp, 'run.mp4'), seconds: 3, width: 640, height: 360, fps: 30, withAudio: true, toneHz: 440 });
  const b = await makeTestVideo({ path: path.join(tmp, 'wave.mp4'), seconds: 2, width: 640, height: 360, fps: 30, withAudio: true, toneHz: 660 });
  const projectDir = path.join(tmp, 'films', 'timing');

  await page.goto(`${studio.url}/?token=${studio.token}`);
  await page.getByTestId('new-project-dir').fill(projectDir);
  await page.getByTestId('new-project-name').fill('Timing');
  await page.getByTestId('new-project-create').click();
  await expect(page.getByTestId('workspace')).toBeVisible();
  await page.getByTestId('import-input').setInputFiles([a, b]);
  await expect(page.getByTestId('media-bin').getByTestId('asset-thumb')).toHaveCount(2, { timeout: 60_000 });

  // Lay the two clips on V1 back to back.
  let snap = await snapshot();
  const v1 = tracksOfKind(snap.state, 'video')[0]!;
  const [assetA, assetB] = ['run.mp4', 'wave.mp4'].map((n) => Object.values(snap.state.assets).find((x) => x.name === n)!);
  await studio.ok('edit.apply', { command: 'clip.add', args: { trackId: v1.id, assetId: assetA!.id, startFlicks: 0 } });
  await studio.ok('edit.apply', { command: 'clip.add', args: { trackId: v1.id, assetId: assetB!.id, startFlicks: 3 * FLICKS_PER_SECOND } });
  await page.getByTestId('tab-edit').click();
  snap = await snapshot();
  const [c1, c2] = clipsOnTrack(snap.state, v1.id);
  await expect(page.getByTestId('timeline').locator('[data-kind="video"] [data-testid="clip"]')).toHaveCount(2);

  // Speed: ramp out, then drag the last keyframe down (one edit per drag).
  await selectClip(page, c1!.id);
  await page.getByTestId('inspector-tab-speed').click();
  await expect(page.getByTestId('speed-tab')).toBeVisible();
  await page.getByTestId('speed-preset-ramp-out').click();
  await expect.poll(async () => (await snapshot()).state.clips[c1!.id]!.effects.speed?.keyframes.length).toBe(3);
  const keys = page.getByTestId('speed-keyframe');
  await expect(keys).toHaveCount(3);
  const last = (await keys.nth(2).boundingBox())!;
  await page.mouse.move(last.x + last.width / 2, last.y + last.height / 2);
  await page.mouse.down();
  await page.mouse.move(last.x + last.width / 2, last.y + last.height / 2 + 12, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await snapshot()).state.clips[c1!.id]!.effects.speed!.keyframes[2]!.speed).toBeLessThan(0.25);
  // Keyboard: focus the middle keyframe and ease it.
  await keys.nth(1).focus();
  await page.keyboard.press('e');
  await expect.poll(async () => (await snapshot()).state.clips[c1!.id]!.effects.speed!.keyframes[1]!.ease).toBe('linear');
  await expect(page.locator(`[data-clip-id="${c1!.id}"]`).getByTestId('clip-badge-speed')).toHaveText('ramp');
  snap = await snapshot();
  const ramped = snap.state.clips[c1!.id]!;
  expect(clipDuration(ramped)).toBeGreaterThan(3 * FLICKS_PER_SECOND);
  // Ripple moved the second clip to the ramped clip's new end.
  expect(snap.state.clips[c2!.id]!.startFlicks).toBe(clipDuration(ramped));
  await page.screenshot({ path: path.join(SHOTS, 'inspector-speed.png') });

  // Recut: slip the second clip by one frame, from the keyboard.
  await selectClip(page, c2!.id);
  await page.getByTestId('inspector-tab-recut').click();
  await expect(page.getByTestId('recut-tab')).toBeVisible();
  await page.getByTestId('recut-in').fill('5');
  await page.getByTestId('recut-in').press('Enter');
  await expect.poll(async () => (await snapshot()).state.clips[c2!.id]!.inFlicks).toBe(5 * (FLICKS_PER_SECOND / 30));
  await page.getByTestId('recut-slip-m1').focus();
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await snapshot()).state.clips[c2!.id]!.inFlicks).toBe(4 * (FLICKS_PER_SECOND / 30));
  await page.screenshot({ path: path.join(SHOTS, 'inspector-recut.png') });

  // Loop: on, 3 repeats, 6-frame crossfade; find a loop point (an analyze job).
  await page.getByTestId('inspector-tab-loop').click();
  await page.getByTestId('loop-enabled').check();
  await page.getByTestId('loop-count-value').fill('3');
  await page.getByTestId('loop-count-value').press('Enter');
  await page.getByTestId('loop-crossfade-value').fill('6');
  await page.getByTestId('loop-crossfade-value').press('Enter');
  await expect.poll(async () => (await snapshot()).state.clips[c2!.id]!.effects.loop).toMatchObject({ mode: 'count', count: 3, crossfadeFlicks: 6 * (FLICKS_PER_SECOND / 30) });
  await page.getByTestId('loop-find').click();
  await expect(page.getByTestId('loop-result')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator(`[data-clip-id="${c2!.id}"]`).getByTestId('clip-badge-loop')).toHaveText('⟲×3');
  await page.screenshot({ path: path.join(SHOTS, 'inspector-loop.png') });

  // The Viewer at the first seam shows the crossfade.
  snap = await snapshot();
  const looped = snap.state.clips[c2!.id]!;
  const seamAt = looped.startFlicks + (clipDuration(looped) - 6 * (FLICKS_PER_SECOND / 30)) / 3 + 3 * (FLICKS_PER_SECOND / 30);
  const ruler = (await page.getByTestId('ruler').boundingBox())!;
  await page.mouse.click(ruler.x + (seamAt / FLICKS_PER_SECOND) * 60, ruler.y + ruler.height / 2);
  await expect(page.getByTestId('viewer-loop-seam')).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'viewer-loop-seam.png') });

  // Drag the looped clip's out edge 30 px left (Alt: no snapping): during the drag the edge
  // follows the pointer, and the release makes it a fill loop of exactly the dragged length.
  const clipEl = page.getByTestId('timeline').locator(`[data-testid="clip"][data-clip-id="${c2!.id}"]`);
  const box0 = (await clipEl.boundingBox())!;
  const pxPerSecond = box0.width / (clipDuration(looped) / FLICKS_PER_SECOND);
  const hb = (await clipEl.getByTestId('clip-trim-out').boundingBox())!;
  await page.keyboard.down('Alt');
  await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
  await page.mouse.down();
  await page.mouse.move(hb.x + hb.width / 2 - 30, hb.y + hb.height / 2, { steps: 6 });
  await expect.poll(async () => (await clipEl.boundingBox())!.width).toBeCloseTo(box0.width - 30, -1);
  await page.mouse.up();
  await page.keyboard.up('Alt');
  const frame30 = FLICKS_PER_SECOND / 30;
  await expect.poll(async () => (await snapshot()).state.clips[c2!.id]!.effects.loop?.mode).toBe('fill');
  const filled = (await snapshot()).state.clips[c2!.id]!;
  expect(Math.abs(clipDuration(filled) - (clipDuration(looped) - (30 / pxPerSecond) * FLICKS_PER_SECOND))).toBeLessThanOrEqual(frame30);
  expect([filled.inFlicks, filled.outFlicks]).toEqual([looped.inFlicks, looped.outFlicks]);

  // Export and measure.
  const out = path.join(tmp, 'exports', 'timing.mp4');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.getByRole('button', { name: /^Export/ }).first().click();
  await page.getByTestId('export-preset').selectOption('720p-draft');
  await page.getByTestId('export-path').fill(out);
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-result')).toHaveAttribute('data-state', 'succeeded', { timeout: 180_000 });

  snap = await snapshot();
  const plan = compileRenderPlan(snap.state, { width: 1280, height: 720, fit: 'fit' });
  const probe = await ffprobeJson(out);
  const v = probe.streams.find((x) => x.codec_type === 'video')!;
  const seconds = timelineDuration(snap.state) / FLICKS_PER_SECOND;
  console.log(`timing e2e: ${v.nb_frames} frames exported, ${plan.frameCount} predicted by the time map; ${Number(v.duration).toFixed(3)} s vs ${seconds.toFixed(3)} s`);
  expect(Number(v.nb_frames)).toBe(plan.frameCount);
  expect(Math.abs(Number(v.duration) - seconds)).toBeLessThanOrEqual(1 / 30 + 1e-3);
  expect(Math.abs(Number(probe.format.duration) - seconds)).toBeLessThanOrEqual(1 / 30 + 1e-3);
});
