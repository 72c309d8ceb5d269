/**
 * Sound editing in the browser (studio mode): detach two pictures' sound onto A1 (linked),
 * make an L cut by trimming one side of each linked pair (Alt-click selects one side), draw
 * volume keyframes on the rubber band, export, and measure the MP4 with ffmpeg: where each
 * sound is (the L cut runs A's tone under B's picture, ending where the edit says), and the
 * levels the keyframes set. Screenshots go to test-results/screenshots/sound-*.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { ProjectSnapshot } from '../../app/api/contract.js';
import { clipEnd, clipsOnTrack, tracksOfKind } from '../../app/timeline/query.js';
import { keyframeGainAt } from '../../app/timeline/fades.js';
import { FLICKS_PER_SECOND } from '../../app/time/flicks.js';
import { ffprobeJson, makeTestVideo } from '../helpers/media-fixtures.js';
import { startStudio, type StudioProcess } from '../helpers/studio-process.js';
import { decodeStereo, rmsOf } from '../integration/sound/mix-reference.js';

const SHOTS = path.resolve('test-results/screenshots');
const SR = 48000;
let tmp: string;
let studio: StudioProcess;

test.beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-e2e-sound-'));
  fs.mkdirSync(SHOTS, { recursive: true });
  studio = await startStudio({ home: path.join(tmp, 'home') });
});

test.afterAll(async () => {
  await studio?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const snapshot = () => studio.ok<ProjectSnapshot>('project.snapshot');
const secs = (f: number) => f / FLICKS_PER_SECOND;

/** Amplitude of one tone over [from, to) seconds (projection on sin and cos). */
function tone(x: Float32Array, hz: number, from: number, to: number): number {
  const [a, b] = [Math.round(from * SR), Math.round(to * SR)];
  let sn = 0;
  let cs = 0;
  for (let i = a; i < b; i++) {
    sn += x[i]! * Math.sin((2 * Math.PI * hz * i) / SR);
    cs += x[i]! * Math.cos((2 * Math.PI * hz * i) / SR);
  }
  return (2 * Math.hypot(sn, cs)) / (b - a);
}

async function dragBy(page: Page, selector: string, dx: number, dy = 0): Promise<void> {
  const box = (await page.locator(selector).boundingBox())!;
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx, y + dy, { steps: 8 });
  await page.mouse.up();
}

test('detach audio, L cut, volume keyframes → export measured with ffmpeg', async ({ page }) => {
  const a = await makeTestVideo({ path: path.join(tmp, 'alpha.mp4'), seconds: 4, width: 640, height: 360, withAudio: true, toneHz: 440, amplitude: 0.4 });
  const b = await makeTestVideo({ path: path.join(tmp, 'beta.mp4'), seconds: 4, width: 640, height: 360, withAudio: true, toneHz: 1000, amplitude: 0.4 });
  await page.goto(`${studio.url}/?token=${studio.token}`);
  await page.getByTestId('new-project-dir').fill(path.join(tmp, 'films', 'sound'));
  await page.getByTestId('new-project-name').fill('Sound');
  await page.getByTestId('new-project-create').click();
  await expect(page.getByTestId('workspace')).toBeVisible();
  await page.getByTestId('import-input').setInputFiles([a, b]);
  await expect(page.getByTestId('media-bin').getByTestId('asset-thumb')).toHaveCount(2, { timeout: 60_000 });

  // Two pictures whose sound is still inside them (as an older project has them): A [0, 2) and B [2, 4) from B's 1 s.
  let snap = await snapshot();
  const v1 = tracksOfKind(snap.state, 'video')[0]!;
  const a1 = tracksOfKind(snap.state, 'audio')[0]!;
  const [assetA, assetB] = ['alpha.mp4', 'beta.mp4'].map((n) => Object.values(snap.state.assets).find((x) => x.name === n)!);
  const F = FLICKS_PER_SECOND;
  await studio.ok('edit.apply', { command: 'clip.add', args: { trackId: v1.id, assetId: assetA!.id, startFlicks: 0, inFlicks: 0, outFlicks: 2 * F, linkAudio: false } });
  await studio.ok('edit.apply', { command: 'clip.add', args: { trackId: v1.id, assetId: assetB!.id, startFlicks: 2 * F, inFlicks: F, outFlicks: 3 * F, linkAudio: false } });
  await page.getByTestId('tab-edit').click();
  const timeline = page.getByTestId('timeline');
  const pictures = timeline.locator('[data-kind="video"] [data-testid="clip"]');
  const sounds = timeline.locator(`[data-lane-track-id="${a1.id}"] [data-testid="clip"]`);
  await expect(pictures).toHaveCount(2);
  await expect(sounds).toHaveCount(0);

  // Detach audio: select both pictures, one click.
  await pictures.nth(0).click({ position: { x: 20, y: 30 } });
  await pictures.nth(1).click({ position: { x: 20, y: 30 }, modifiers: ['Shift'] });
  await page.getByTestId('detach-audio').click();
  await expect(sounds).toHaveCount(2);
  snap = await snapshot();
  const [picA, picB] = clipsOnTrack(snap.state, v1.id);
  const [sndA, sndB] = clipsOnTrack(snap.state, a1.id);
  expect(sndA!.linkId).toBe(picA!.linkId);
  expect(sndB!.linkId).toBe(picB!.linkId);
  expect(picA!.audioDetached && picB!.audioDetached).toBe(true);
  await page.screenshot({ path: path.join(SHOTS, 'sound-detached.png') });

  // A click selects both sides; Alt-click one side only.
  await timeline.locator(`[data-clip-id="${sndB!.id}"]`).click({ position: { x: 40, y: 10 } });
  await expect(timeline.locator('[data-testid="clip"][data-selected="true"]')).toHaveCount(2);
  await timeline.locator(`[data-clip-id="${sndB!.id}"]`).click({ position: { x: 40, y: 10 }, modifiers: ['Alt'] });
  await expect(timeline.locator('[data-testid="clip"][data-selected="true"]')).toHaveCount(1);

  // L cut: B's sound starts half a second late (its in edge dragged right, alone), then A's sound
  // is extended under B's picture up to it (its out edge snaps to B's sound).
  const pxPerSecond = 60;
  await dragBy(page, `[data-clip-id="${sndB!.id}"] [data-testid="clip-trim-in"]`, 0.5 * pxPerSecond);
  await expect.poll(async () => secs((await snapshot()).state.clips[sndB!.id]!.startFlicks)).toBeCloseTo(2.5, 1);
  await timeline.locator(`[data-clip-id="${sndA!.id}"]`).click({ position: { x: 40, y: 10 }, modifiers: ['Alt'] });
  await dragBy(page, `[data-clip-id="${sndA!.id}"] [data-testid="clip-trim-out"]`, 0.5 * pxPerSecond);
  await expect.poll(async () => {
    const st = (await snapshot()).state;
    return clipEnd(st.clips[sndA!.id]!) === st.clips[sndB!.id]!.startFlicks;
  }).toBe(true);
  snap = await snapshot();
  const cut = secs(snap.state.clips[sndB!.id]!.startFlicks);
  // The pictures did not move: the sound runs past its picture's cut at 2 s.
  expect(clipEnd(snap.state.clips[picA!.id]!)).toBe(2 * F);
  expect(snap.state.clips[picB!.id]!.startFlicks).toBe(2 * F);
  expect(cut).toBeGreaterThan(2.3);

  // Volume keyframes on A's sound: click the band at 0.5 s (a point at full level), then at
  // 1.5 s and drag that one down.
  const band = page.locator(`[data-clip-id="${sndA!.id}"] [data-testid="rubber-band"]`);
  const box = (await band.boundingBox())!;
  const unityY = box.y + (box.height * 12) / 52; // 0 dB on the band's +12 … −40 dB scale
  await page.mouse.click(box.x + 0.5 * pxPerSecond, unityY);
  await expect.poll(async () => (await snapshot()).state.clips[sndA!.id]!.effects.gainKeyframes?.length ?? 0).toBe(1);
  await page.mouse.move(box.x + 1.5 * pxPerSecond, unityY);
  await page.mouse.down();
  await page.mouse.move(box.x + 1.5 * pxPerSecond, unityY + box.height * 0.2, { steps: 6 });
  await page.mouse.up();
  await expect.poll(async () => (await snapshot()).state.clips[sndA!.id]!.effects.gainKeyframes?.length ?? 0).toBe(2);
  await expect(page.locator(`[data-clip-id="${sndA!.id}"] [data-testid="rubber-band-point"]`)).toHaveCount(2);
  snap = await snapshot();
  const keys = snap.state.clips[sndA!.id]!.effects.gainKeyframes!;
  expect(keys[0]!.gain).toBeCloseTo(1, 1);
  expect(keys[1]!.gain).toBeLessThan(0.5);
  await page.mouse.move(10, 10);
  await page.screenshot({ path: path.join(SHOTS, 'sound-lcut-keyframes.png') });
  await timeline.screenshot({ path: path.join(SHOTS, 'sound-timeline.png') });

  // Export through the dialog and measure the file.
  const out = path.join(tmp, 'exports', 'sound.mp4');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.getByRole('button', { name: /^Export/ }).first().click();
  await page.getByTestId('export-preset').selectOption('720p-draft');
  await page.getByTestId('export-path').fill(out);
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-result')).toHaveAttribute('data-state', 'succeeded', { timeout: 180_000 });
  const probe = await ffprobeJson(out);
  const audio = probe.streams.find((x) => x.codec_type === 'audio')!;
  expect(Math.abs(Number(audio.duration) - 4)).toBeLessThan(0.05);
  const { l } = await decodeStereo(out);

  // The L cut: under B's picture until `cut` it is A's 440 Hz (at the level its last keyframe holds),
  // then B's 1 kHz; measured up to 10 ms either side of the cut sample.
  // (The sources are mono: export up-mixes them at −3 dB a channel, 1/√2, as the Viewer does.)
  const under = tone(l, 440, 2.05, cut - 0.01);
  expect(under / (0.4 * Math.SQRT1_2 * keys[1]!.gain)).toBeGreaterThan(0.85);
  expect(under / (0.4 * Math.SQRT1_2 * keys[1]!.gain)).toBeLessThan(1.15);
  expect(tone(l, 1000, 2.05, cut - 0.01)).toBeLessThan(0.01);
  expect(tone(l, 1000, cut + 0.01, 3.9)).toBeGreaterThan(0.4 * Math.SQRT1_2 * 0.85);
  expect(tone(l, 440, cut + 0.01, 3.9)).toBeLessThan(0.01);
  // Levels: full before the first keyframe; at the second, its gain; half way, the mean (linear in amplitude).
  const k0 = secs(keys[0]!.sourceFlicks);
  const k1 = secs(keys[1]!.sourceFlicks);
  const level = (t: number) => rmsOf(l, Math.round((t - 0.02) * SR), Math.round((t + 0.02) * SR));
  const full = level(k0 - 0.2);
  expect(full).toBeGreaterThan(0.15);
  const dB = (x: number) => 20 * Math.log10(x);
  expect(Math.abs(dB(level(k1 + 0.2) / full) - dB(keys[1]!.gain))).toBeLessThan(0.5);
  const mid = (k0 + k1) / 2;
  expect(Math.abs(dB(level(mid) / full) - dB(keyframeGainAt(keys, mid * F)))).toBeLessThan(0.5);

  // Afterwards: a crossfade at the L cut from the toolbar (B's sound selected alone), drawn over the join.
  await page.keyboard.press('Escape');
  await timeline.locator(`[data-clip-id="${sndB!.id}"]`).click({ position: { x: 30, y: 10 }, modifiers: ['Alt'] });
  await page.getByTestId('crossfade').click();
  await expect.poll(async () => (await snapshot()).state.clips[sndB!.id]!.effects.crossfadeInFlicks).toBe(F / 2);
  await expect(timeline.locator(`[data-clip-id="${sndB!.id}"] [data-testid="clip-crossfade"]`)).toBeVisible();
  await page.mouse.move(10, 10);
  await timeline.screenshot({ path: path.join(SHOTS, 'sound-crossfade.png') });
  console.log(`sound e2e: L cut at ${cut.toFixed(4)} s (sample ${Math.round(cut * SR)}); keyframes ${keys.map((k) => `${secs(k.sourceFlicks).toFixed(3)} s × ${k.gain}`).join(', ')}; level after the second ${dB(level(k1 + 0.2) / full).toFixed(2)} dB`);
});
