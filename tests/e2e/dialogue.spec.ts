/**
 * Dialogue and delivery loudness, end to end in the browser (studio mode): write a line of
 * dialogue on a shot, voice it with the built-in espeak-ng voice (it lands on a Dialogue track,
 * labelled with the speaker), measure the mix in the Export dialog's meter, export the 9:16
 * preset (web: −14 LUFS / −1 dBTP), then measure the MP4 with ffmpeg's own ebur128.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import type { ProjectSnapshot } from '../../app/api/contract.js';
import { dialogueClipsOf } from '../../app/dialogue/placement.js';
import { makeTestVideo } from '../helpers/media-fixtures.js';
import { startStudio, type StudioProcess } from '../helpers/studio-process.js';

const SHOTS = path.resolve('test-results/screenshots');
let tmp: string;
let studio: StudioProcess;

test.beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-e2e-dialogue-'));
  fs.mkdirSync(SHOTS, { recursive: true });
  studio = await startStudio({ home: path.join(tmp, 'home') });
});

test.afterAll(async () => {
  await studio?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function ebur128(file: string): { I: number; TP: number } {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-nostdin', '-i', file, '-map', '0:a:0', '-af', 'ebur128=peak=true', '-f', 'null', '-'], { encoding: 'utf8' });
  const tail = r.stderr.slice(r.stderr.lastIndexOf('Summary:'));
  return { I: Number(/I:\s*(-?[\d.]+) LUFS/.exec(tail)![1]), TP: Number(/Peak:\s*(-?[\d.]+) dBFS/.exec(tail)![1]) };
}

test('voice a dialogue line, meter the mix, export 9:16 at −14 LUFS', async ({ page }) => {
  // A quiet take (a −40 dBFS tone under the picture): the export has to bring the mix up.
  const clip = await makeTestVideo({ path: path.join(tmp, 'door.mp4'), seconds: 4, width: 640, height: 360, fps: 30, withAudio: true, toneHz: 220, amplitude: 0.01 });
  await page.goto(`${studio.url}/?token=${studio.token}`);
  await page.getByTestId('new-project-dir').fill(path.join(tmp, 'films', 'voices'));
  await page.getByTestId('new-project-name').fill('Voices');
  await page.getByTestId('new-project-create').click();
  await expect(page.getByTestId('workspace')).toBeVisible();
  await page.getByTestId('import-input').setInputFiles([clip]);
  await expect(page.getByTestId('media-bin').getByTestId('asset-thumb')).toHaveCount(1, { timeout: 60_000 });

  await page.getByTestId('tab-storyboard').click();
  await page.getByRole('button', { name: /Add shot/ }).click();
  await page.getByTestId('shot-card').first().click();
  await page.getByTestId('shot-title').fill('Door');
  await page.getByTestId('shot-title').blur();
  await page.getByTestId('add-take').click();
  await page.getByTestId('take-picker-asset').first().click();
  await page.getByTestId('dialogue-add').click();
  await page.getByTestId('dialogue-speaker').first().fill('ANNA');
  await page.getByTestId('dialogue-line').first().fill('Who is there? Open the door.');
  await page.getByTestId('dialogue-line').first().blur();
  await page.getByRole('button', { name: /Assemble/ }).click();
  await expect(page.getByTestId('timeline').getByTestId('clip').first()).toBeVisible(); // the take (its sound is linked on A1)
  await page.getByTestId('tab-storyboard').click();
  await page.getByTestId('shot-card').first().click();

  // Voice it.
  const panel = page.getByTestId('voice-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('voice-line-row')).toHaveAttribute('data-voiced', 'no');
  await panel.getByTestId('voice-dialogue').click();
  await expect(panel.getByTestId('voice-done')).toBeVisible({ timeout: 60_000 });
  await expect(panel.getByTestId('voice-line-row')).toHaveAttribute('data-voiced', 'yes');
  await page.screenshot({ path: path.join(SHOTS, 'dialogue-voiced.png') });

  const snap = await studio.ok<ProjectSnapshot>('project.snapshot');
  const voiced = dialogueClipsOf(snap.state, Object.keys(snap.state.shots)[0]!).get(0)!;
  expect(voiced).toHaveLength(1);
  expect(snap.state.tracks[voiced[0]!.trackId]!.name).toBe('Dialogue');
  expect(snap.state.assets[voiced[0]!.assetId]!.name).toBe('ANNA: Who is there? Open the door.');

  // On the timeline, labelled with the speaker.
  await page.getByTestId('tab-edit').click();
  await expect(page.getByTestId('timeline').getByText('ANNA: Who is there?')).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'dialogue-timeline.png') });

  // Export dialog: the 9:16 preset carries −14 LUFS; the meter reads the mix first.
  const out = path.join(tmp, 'exports', 'voices-vertical.mp4');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.getByRole('button', { name: /^Export/ }).first().click();
  await page.getByTestId('export-preset').selectOption('vertical-1080');
  await expect(page.getByTestId('export-loudness')).toContainText('−14 LUFS');
  await page.getByTestId('loudness-measure').click();
  await expect(page.getByTestId('loudness-meter')).toBeVisible({ timeout: 60_000 });
  const integrated = Number((await page.getByTestId('loudness-integrated').textContent())!.replace('−', '-').replace(/[^\d.-]/g, ''));
  expect(integrated).toBeLessThan(-14 - 1); // espeak-ng's voice over a quiet take: below the target before the export
  await page.screenshot({ path: path.join(SHOTS, 'export-loudness-meter.png') });
  await page.getByTestId('export-path').fill(out);
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-result')).toHaveAttribute('data-state', 'succeeded', { timeout: 180_000 });
  await page.screenshot({ path: path.join(SHOTS, 'export-loudness-done.png') });

  const m = ebur128(out);
  console.log(`exported 9:16: integrated ${m.I} LUFS, true peak ${m.TP} dBTP (meter before: ${integrated} LUFS)`);
  expect(Math.abs(m.I - -14)).toBeLessThanOrEqual(1);
  expect(m.TP).toBeLessThanOrEqual(-1);
});
