/**
 * `npm run bench -- scale` (issue 14): a 2,000-shot / 5,000-clip project and a 20-shot one,
 * both built through `shotline run`, each opened in `shotline studio` and driven in Debian
 * Chromium (bench/scale-ui.ts). Every figure of the big project is printed beside the same
 * figure of the small one from the same run, with the target.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStudio } from '../tests/helpers/studio-process.js';
import { printTable, type Row } from './report.js';
import { buildScaleProject, type ScaleSpec } from '../tests/helpers/scale-project.js';
import { launchChromium, measureUi, type UiFigures } from './scale-ui.js';

const BIG: ScaleSpec = { shots: Number(process.env.SCALE_SHOTS ?? 2000), clips: Number(process.env.SCALE_CLIPS ?? 5000) };
const SMALL: ScaleSpec = { shots: 20, clips: 50 };

async function measure(root: string, spec: ScaleSpec): Promise<UiFigures> {
  const t0 = performance.now();
  const dir = await buildScaleProject(path.join(root, `${spec.shots}`), spec);
  console.log(`built ${spec.shots} shots / ${spec.clips} clips through \`shotline run\` in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const studio = await startStudio({ project: dir, home: path.join(root, 'studio-home') });
  const browser = await launchChromium();
  try {
    const profile = process.env.SCALE_PROFILE ? `${process.env.SCALE_PROFILE}-${spec.shots}` : undefined;
    const trace = process.env.SCALE_TRACE ? `${process.env.SCALE_TRACE}-${spec.shots}` : undefined;
    return await measureUi(browser, studio.url, studio.token, (s) => console.log(`  [${spec.shots} shots] ${s}`), profile, trace);
  } finally {
    await browser.close();
    await studio.stop();
  }
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-scale-'));
try {
  const small = await measure(root, SMALL);
  const big = await measure(root, BIG);
  const name = `${BIG.shots} shots / ${BIG.clips} clips`;
  const base = '20 shots';
  const row = (label: string, k: keyof UiFigures, unit: string, target: string): Row => ({ name: `${name}: ${label}`, value: big[k], unit, baseline: small[k], baselineName: base, target });
  printTable([
    row('Edit view, first clip', 'editFirstClipMs', 'ms', '≤ 1000 ms'),
    row('Edit view, responsive', 'editResponsiveMs', 'ms', '≤ 1500 ms'),
    row('DOM elements, storyboard', 'domStoryboard', 'elements', '< 5000'),
    row('DOM elements, edit', 'domEdit', 'elements', '< 5000'),
    row('DOM elements, edit zoomed to fit', 'domEditZoomedOut', 'elements', '< 5000'),
    row('timeline scroll frame p95', 'scrollP95', 'ms', '≤ 33 ms'),
    row('clip drag frame p95', 'dragP95', 'ms', '≤ 33 ms'),
    row('click a shot → next frame', 'clickMs', 'ms', '≤ 50 ms and ≤ 1.5× small'),
    row('Add shot → next frame', 'addShotMs', 'ms', '≤ 50 ms and ≤ 1.5× small'),
    row('split → next frame', 'splitMs', 'ms', '≤ 50 ms and ≤ 1.5× small'),
    row('undo → next frame', 'undoMs', 'ms', '≤ 50 ms and ≤ 1.5× small'),
    row('JS heap after GC', 'heapMB', 'MB', '≤ 100 MB'),
  ]);
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
