/**
 * Color grading end to end, in Debian Chromium against a real studio (WebGL2 through
 * SwiftShader when there is no GPU): a malformed .cube is refused with its line number, a
 * real .cube and a random grade are set through the Color tab, the Viewer's WebGL output is
 * read back and compared with the exported frame decoded by ffmpeg (PSNR ≥ 40 dB).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { gradeKey } from '../../app/color/hash.js';
import { parseCube, writeCube } from '../../app/color/cube.js';
import { compileGrade } from '../../app/color/compile.js';
import { applyLutRgba8 } from '../../app/color/interp.js';
import type { ColorGrade } from '../../app/model/color.js';
import type { ProjectSnapshot } from '../../app/api/contract.js';
import type { Job } from '../../app/jobs/types.js';
import { tracksOfKind } from '../../app/timeline/query.js';
import { toRgbFilter } from '../../app/render/color-stage.js';
import { decodeRgb24, makeGradientVideo, psnr, randomGrade, tealOrangeCube } from '../helpers/color.js';
import { startStudio, type StudioProcess } from '../helpers/studio-process.js';

const SHOTS = path.resolve('test-results/screenshots');
// A 2.68:1 picture 716 lines tall: the 1080p export letterboxes it without scaling (182
// lines of black above and below), so the exported frame holds the graded pixels 1:1. Below
// 720 lines Chromium decodes untagged video as BT.601, as the export does (docs/color.md).
const W = 1920;
const H = 716;
const TOP = (1080 - H) / 2;
let tmp: string;
let studio: StudioProcess;

test.beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-e2e-color-'));
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

test('grade a clip in the Color tab: the WebGL preview is the export', async ({ page }) => {
  const seed = Number(process.env.SHOTLINE_COLOR_SEED ?? Math.floor(Math.random() * 1e6));
  console.log(`random grade seed: ${seed} (set SHOTLINE_COLOR_SEED to repeat)`);
  const video = makeGradientVideo(path.join(tmp, 'gradient.mp4'), { width: W, height: H, seconds: 1 });
  const cube = path.join(tmp, 'Teal Orange.cube');
  fs.writeFileSync(cube, tealOrangeCube(17));
  const bad = path.join(tmp, 'broken.cube');
  const lines = tealOrangeCube(17).split('\n');
  lines[40] = '0.25 0.5'; // line 41
  fs.writeFileSync(bad, lines.join('\n'));

  // A project with the clip on V1.
  await page.goto(`${studio.url}/?token=${studio.token}`);
  await page.getByTestId('new-project-dir').fill(path.join(tmp, 'films', 'graded'));
  await page.getByTestId('new-project-name').fill('Graded');
  await page.getByTestId('new-project-create').click();
  await expect(page.getByTestId('workspace')).toBeVisible();
  await page.getByTestId('import-input').setInputFiles([video]);
  await expect(page.getByTestId('media-bin').getByTestId('asset-thumb')).toHaveCount(1, { timeout: 60_000 });
  let snap = await snapshot();
  const v1 = tracksOfKind(snap.state, 'video')[0]!;
  const asset = Object.values(snap.state.assets)[0]!;
  await studio.ok('edit.apply', { command: 'clip.add', args: { trackId: v1.id, assetId: asset.id, startFlicks: 0 } });
  await page.getByTestId('tab-edit').click();
  const clipEl = page.getByTestId('timeline').locator('[data-kind="video"] [data-testid="clip"]');
  await expect(clipEl).toHaveCount(1);
  await clipEl.click();
  await page.getByTestId('inspector-tab-color').click();
  await expect(page.getByTestId('color-panel')).toBeVisible();

  // WebGL2 is there (SwiftShader without a GPU).
  const gl = await page.evaluate(() => {
    const c = document.createElement('canvas').getContext('webgl2');
    const dbg = c?.getExtension('WEBGL_debug_renderer_info');
    return c ? String(dbg ? c.getParameter(dbg.UNMASKED_RENDERER_WEBGL) : c.getParameter(c.RENDERER)) : null;
  });
  console.log(`WebGL2 renderer: ${gl}`);
  expect(gl).not.toBeNull();

  // A malformed .cube is refused with its line number; nothing changes.
  await page.getByTestId('color-lut-input').setInputFiles(bad);
  await expect(page.getByTestId('toast').filter({ hasText: 'broken.cube' })).toContainText('line 41: expected 3 numbers (R G B), found 2.');
  snap = await snapshot();
  expect(Object.values(snap.state.clips)[0]!.effects.color).toBeUndefined();
  expect(fs.existsSync(path.join(snap.dir, 'media/luts')) ? fs.readdirSync(path.join(snap.dir, 'media/luts')) : []).toEqual([]);

  // The real .cube, then a random grade typed into the numeric fields.
  await page.getByTestId('color-lut-input').setInputFiles(cube);
  await expect(page.getByTestId('color-lut-name')).toContainText('Teal Orange Test');
  const target = randomGrade(seed);
  const fields: [string, number][] = [
    ['exposure', target.exposure],
    ['contrast', target.contrast],
    ['saturation', target.saturation],
    ['temperature', target.temperature],
    ['tint', target.tint],
    ...(['lift', 'gamma', 'gain'] as const).flatMap((w) => (['m', 'r', 'g', 'b'] as const).map((c): [string, number] => [`${w}-${c}`, target[w][c]])),
    ['lutStrength', 0.5 + (seed % 50) / 100],
  ];
  for (const [name, value] of fields) {
    const field = page.getByTestId(`color-${name}-value`);
    await field.fill(String(value));
    await field.press('Enter');
  }
  // Every edit is in (one per field, plus the LUT), and the Viewer drew that very grade.
  await expect.poll(async () => (await snapshot()).history.undoLabel).toBe('Change color grade');
  await expect.poll(async () => Object.values((await snapshot()).state.clips)[0]!.effects.color?.lutStrength).toBeCloseTo(0.5 + (seed % 50) / 100, 5);
  snap = await snapshot();
  const grade = Object.values(snap.state.clips)[0]!.effects.color as ColorGrade;
  expect(grade.lut?.title).toBe('Teal Orange Test');
  // Typed values land on the slider steps (0.01, lift 0.005).
  expect(Math.abs(grade.exposure - target.exposure)).toBeLessThanOrEqual(0.0051);
  expect(Math.abs(grade.gain.b - target.gain.b)).toBeLessThanOrEqual(0.0051);
  expect(Math.abs(grade.lift.r - target.lift.r)).toBeLessThanOrEqual(0.0026);
  const key = gradeKey(grade);
  await expect.poll(() => page.evaluate(() => window.__shotlineViewer?.state().gradeKey ?? ''), { timeout: 30_000 }).toBe(key);
  await expect(page.getByTestId('viewer-graded')).toHaveAttribute('data-grade-key', key);
  await expect(page.getByTestId('timeline').getByTestId('clip-badge-color')).toHaveText('LUT');
  await expect(page.getByTestId('color-scopes')).toHaveAttribute('data-ready', 'true');

  const shot = await page.evaluate(() => window.__shotlineViewer!.readPixels());
  expect(shot).not.toBeNull();
  expect([shot!.width, shot!.height]).toEqual([W, H]);
  const preview = new Uint8Array(Buffer.from(shot!.data, 'base64'));

  // Before/after split on, then the screenshot of the Color tab.
  await page.getByTestId('viewer-compare').click();
  await expect(page.getByTestId('viewer-split')).toBeVisible();
  await page.getByTestId('viewer-split').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('viewer-split')).toHaveAttribute('aria-valuenow', '51');
  await page.getByTestId('color-panel').evaluate((el) => el.closest('.inspector__body')?.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, 'color.png') });

  // Presets: save the grade under a name; it lands in the project.
  await page.getByTestId('color-preset-name').fill('Harbour dusk');
  await page.getByTestId('color-preset-save').click();
  await expect.poll(async () => (await snapshot()).state.settings.gradePresets?.map((p) => p.name)).toEqual(['Harbour dusk']);

  // Export and compare the exported frame with the WebGL read-back.
  const out = path.join(tmp, 'graded.mp4');
  const job = await studio.ok<Job>('export.start', { preset: '1080p', outPath: out, fit: 'fit' });
  await expect
    .poll(async () => {
      const j = (await studio.ok<Job[]>('jobs.list')).find((x) => x.id === job.id)!;
      if (j.state === 'failed') throw new Error(`export failed: ${j.error?.message}`);
      return j.state;
    }, { timeout: 120_000 })
    .toBe('succeeded');
  const t = 0.5 / 30;
  // Decoded as a player reads the export's tags (every export is BT.709; exact arithmetic).
  const exported = decodeRgb24(out, { seconds: t, vf: `crop=${W}:${H}:0:${TOP},${toRgbFilter('bt709')}` });
  const db = psnr(preview, 4, exported, 3, W * H);

  // For the record: each against the source frame graded on the CPU with the same LUT.
  const imported = parseCube(fs.readFileSync(path.join(snap.dir, grade.lut!.path), 'utf8'));
  const lut = parseCube(writeCube(compileGrade(grade, imported)));
  const source = decodeRgb24(video, { seconds: t, vf: toRgbFilter('bt601') });
  const cpu = new Uint8Array(source.length);
  applyLutRgba8(lut, source, cpu, 3);
  const dbPreviewCpu = psnr(preview, 4, cpu, 3, W * H);
  const dbExportCpu = psnr(exported, 3, cpu, 3, W * H);
  console.log(`PSNR WebGL preview vs exported frame: ${db.toFixed(2)} dB (preview vs CPU-graded source ${dbPreviewCpu.toFixed(2)} dB, export vs CPU-graded source ${dbExportCpu.toFixed(2)} dB)`);
  expect(db).toBeGreaterThanOrEqual(40);
});
