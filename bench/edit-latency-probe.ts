/**
 * Repeated edit latencies on one project, untraced (issue 14): click a shot, Add shot, and in
 * the Edit view split + undo, each timed like `npm run bench -- scale` (the action → the first
 * rAF after its result is in the DOM), N times each, so a change to one of them can be
 * compared by medians between builds at the same load without the whole scale bench.
 * The project is built once under PROBE_DIR (default /tmp/shotline-latency-probe) and reused.
 * `npx vite build --config build/vite.renderer.config.ts && npx tsx bench/edit-latency-probe.ts [n=12]`
 * (PROBE_SHOTS / PROBE_CLIPS: 2000 / 5000 by default).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStudio } from '../tests/helpers/studio-process.js';
import { buildScaleProject } from '../tests/helpers/scale-project.js';
import { ACTION_GAP_MS, launchChromium, latency, openStoryboard, playheadIntoClip, switchToEdit, type Latency } from './scale-ui.js';
import { percentile } from './report.js';

const spec = { shots: Number(process.env.PROBE_SHOTS ?? 2000), clips: Number(process.env.PROBE_CLIPS ?? 5000) };
const n = Number(process.argv[2] ?? 12);
// Between actions (PROBE_GAP_MS=0: back to back, where an undo waits for the split's answer).
const gap = Number(process.env.PROBE_GAP_MS ?? ACTION_GAP_MS);
const root = path.join(process.env.PROBE_DIR ?? path.join(os.tmpdir(), 'shotline-latency-probe'), `${spec.shots}x${spec.clips}`);
const dir = path.join(root, `project-${spec.shots}x${spec.clips}`);
if (!fs.existsSync(dir)) await buildScaleProject(root, spec);
const studio = await startStudio({ project: dir, home: path.join(root, 'home-probe') });
const browser = await launchChromium();
const fmt = (xs: number[]) => `median ${percentile(xs, 50).toFixed(1)} p90 ${percentile(xs, 90).toFixed(1)} [${xs.map((x) => x.toFixed(0)).join(' ')}]`;
try {
  const { context, page } = await openStoryboard(browser, studio.url, studio.token);
  await page.waitForTimeout(1500);
  const load0 = os.loadavg()[0]!;
  /** `n` rounds of `first` then `second`, `gap` ms apart; each one's latencies. */
  const alternate = async (first: Latency, second: Latency): Promise<[number[], number[]]> => {
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < n; i++) {
      a.push(await latency(page, first));
      await page.waitForTimeout(gap);
      b.push(await latency(page, second));
      await page.waitForTimeout(gap);
    }
    return [a, b];
  };
  const [clicks, adds] = await alternate('click-shot', 'add-shot');
  await switchToEdit(page);
  await page.waitForTimeout(1500);
  await playheadIntoClip(page);
  const [splits, undos] = await alternate('split', 'undo');
  console.log(`${spec.shots} shots, load ${load0.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)}`);
  console.log(`click   ${fmt(clicks)}\nadd     ${fmt(adds)}\nsplit   ${fmt(splits)}\nundo    ${fmt(undos)}`);
  await context.close();
} finally {
  await browser.close();
  await studio.stop();
}
