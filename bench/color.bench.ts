/**
 * Color benchmark: `npx tsx bench/color.bench.ts` (also part of `npm run bench`).
 *
 * Graded 1920×1080 frames per second in headless Chromium (Debian's, via playwright-core),
 * one page, one picture, one LUT (a compiled grade, 33³, through .cube text as export uses):
 *  - WebGL path: the Viewer's renderer (renderer/src/gl): upload the frame as a texture,
 *    tetrahedral 3D-LUT shader, wait for the GPU;
 *  - CPU canvas path (baseline): getImageData → app/color/interp.applyLutRgba8 → putImageData.
 * Reported: both rates, the ratio, and how far the two outputs differ (code values).
 * Without a GPU, Chromium's WebGL2 runs on SwiftShader (ANGLE → Vulkan → SwiftShader, on
 * the CPU); the renderer string is printed so the figure can be read for what it is.
 */
import path from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { NEUTRAL_GRADE, type ColorGrade } from '../app/model/color.js';
import { printTable, type Row } from './report.js';

const W = 1920;
const H = 1080;
const dir = path.dirname(new URL(import.meta.url).pathname);

const grade: ColorGrade = {
  ...NEUTRAL_GRADE,
  exposure: 0.3,
  contrast: 0.15,
  saturation: 1.2,
  temperature: 0.2,
  tint: -0.05,
  lift: { r: 0.01, g: 0, b: 0.02, m: 0.01 },
  gamma: { r: 1, g: 1.05, b: 0.95, m: 1.1 },
  gain: { r: 1.05, g: 1, b: 0.95, m: 1 },
};

/** Frames per second over repeated runs of `fn(frames)` (ms), taking the best run after a warm-up. */
async function rate(fn: (frames: number) => Promise<number>, frames: number, runs: number): Promise<number> {
  await fn(Math.max(1, Math.floor(frames / 4)));
  let best = Infinity;
  for (let i = 0; i < runs; i++) best = Math.min(best, await fn(frames));
  return (frames * 1000) / best;
}

async function main(): Promise<void> {
  const bundle = await build({ entryPoints: [path.join(dir, 'color-page.ts')], bundle: true, write: false, format: 'iife', target: 'es2022', logLevel: 'silent' });
  const script = bundle.outputFiles[0]!.text;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: script });
    const { renderer } = await page.evaluate(([g, w, h]) => window.colorBench.setup(g, w, h), [grade, W, H] as const);
    const diff = await page.evaluate(() => window.colorBench.compare());
    const glFps = await rate((n) => page.evaluate((k) => window.colorBench.gl(k), n), 40, 3);
    const cpuFps = await rate((n) => page.evaluate((k) => window.colorBench.cpu(k), n), 6, 3);
    const parts = await page.evaluate(() => window.colorBench.glParts(10));
    console.log(`WebGL renderer: ${renderer}`);
    console.log(`WebGL path per frame: upload ${parts.uploadMs.toFixed(1)} ms, shading without LUT ${parts.passMs.toFixed(1)} ms, with the tetrahedral LUT ${parts.lutPassMs.toFixed(1)} ms`);
    console.log(`WebGL vs CPU output: worst difference ${diff.worst} code value(s), ${diff.differing} of ${W * H * 3} channel values differ`);
    const rows: Row[] = [
      { name: 'graded 1080p frames/s, WebGL 3D-LUT shader', value: glFps, unit: 'fps', baseline: cpuFps, baselineName: 'CPU canvas path' },
      { name: 'graded 1080p frames/s, CPU canvas path (baseline)', value: cpuFps, unit: 'fps' },
    ];
    printTable(rows);
  } finally {
    await browser.close();
  }
}

await main();
