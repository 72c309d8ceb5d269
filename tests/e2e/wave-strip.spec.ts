/**
 * Timeline waveforms drawn on one canvas per track strip (issue 14), read back as pixels in
 * Chromium against `shotline studio`: a sound that is loud for 2 s then silent draws tall bars
 * over its loud half and flat ones over its silent half, inside its clip's waveform band and
 * nowhere else; what the user sees (a screenshot, so the clip really leaves the band open over
 * the canvas) matches; a volume change repaints that clip's span only and lowers its bars; a
 * fade-in ramps them; scrolling a page away moves the strip and draws the clips there; a
 * picture with sound gets its band under the filmstrip. Screenshots: test-results/screenshots/wave-strip-*.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { ProjectSnapshot } from '../../app/api/contract.js';
import { tracksOfKind } from '../../app/timeline/query.js';
import { FLICKS_PER_SECOND } from '../../app/time/flicks.js';
import { ffmpeg, makeTestVideo } from '../helpers/media-fixtures.js';
import { startStudio, type StudioProcess } from '../helpers/studio-process.js';

const SHOTS = path.resolve('test-results/screenshots');
const F = FLICKS_PER_SECOND;
let tmp: string;
let studio: StudioProcess;

test.beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-e2e-wave-'));
  fs.mkdirSync(SHOTS, { recursive: true });
  studio = await startStudio({ home: path.join(tmp, 'home') });
});

test.afterAll(async () => {
  await studio?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const snapshot = () => studio.ok<ProjectSnapshot>('project.snapshot');

/**
 * Per lane-pixel column of a track's strip canvas, over [from, to) lane pixels: how many
 * pixels of the column are bar (bright and blue-white: red > 110 and blue > 150, where the clip
 * backgrounds have red < 70 and the rubber band's yellow has blue ≈ 100), and
 * how many are painted at all (alpha > 0). Read from the canvas itself.
 */
async function stripColumns(page: Page, trackId: string, from: number, to: number): Promise<{ bar: number[]; painted: number[]; repainted: string }> {
  return page.evaluate(
    ([trackId, from, to]) => {
      const c = document.querySelector(`[data-lane-track-id="${trackId}"] [data-testid="wave-strip"]`) as HTMLCanvasElement;
      const left = Number(c.dataset.left);
      const scale = c.width / c.getBoundingClientRect().width;
      const img = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      const bar: number[] = [];
      const painted: number[] = [];
      for (let x = from; x < to; x++) {
        const px = Math.floor((x - left) * scale);
        let b = 0;
        let p = 0;
        for (let y = 0; y < c.height; y++) {
          const i = (y * c.width + px) * 4;
          if (px < 0 || px >= c.width) continue;
          if (img.data[i + 3]! > 0) p++;
          if (img.data[i]! > 110 && img.data[i + 2]! > 150 && img.data[i + 3]! > 0) b++;
        }
        bar.push(Math.round(b / scale));
        painted.push(Math.round(p / scale));
      }
      return { bar, painted, repainted: c.dataset.repainted ?? '' };
    },
    [trackId, from, to] as const,
  );
}

/** A clip's box in lane pixels (from its data attributes at the current zoom). */
async function laneBox(clip: Locator): Promise<{ x0: number; x1: number }> {
  const [box, lane] = await Promise.all([clip.boundingBox(), clip.locator('xpath=..').boundingBox()]);
  return { x0: box!.x - lane!.x, x1: box!.x + box!.width - lane!.x };
}

const max = (xs: number[]) => Math.max(...xs);

/** A screenshot decoded by ffmpeg: the tallest bar column over its left and right halves (4 px in from each edge). */
function screenColumns(png: string): { loudMax: number; silentMax: number } {
  const probe = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', png], { encoding: 'utf8' });
  const [w, h] = probe.stdout.trim().split(',').map(Number) as [number, number];
  const raw = spawnSync('ffmpeg', ['-v', 'error', '-i', png, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 << 20 }).stdout;
  const column = (x: number) => {
    let n = 0;
    for (let y = 0; y < h; y++) if (raw[(y * w + x) * 3]! > 110 && raw[(y * w + x) * 3 + 2]! > 150) n++;
    return n;
  };
  let loudMax = 0;
  let silentMax = 0;
  for (let x = 4; x < w / 2 - 4; x++) loudMax = Math.max(loudMax, column(x));
  for (let x = Math.ceil(w / 2) + 4; x < w - 4; x++) silentMax = Math.max(silentMax, column(x));
  return { loudMax, silentMax };
}

test('waveforms on one canvas per track strip: drawn where the sound is, repainted where it changed', async ({ page }) => {
  // Loud (−6 dBFS tone) for 2 s, then digital silence for 2 s.
  const sound = path.join(tmp, 'loud-then-silent.wav');
  await ffmpeg(['-f', 'lavfi', '-i', 'aevalsrc=if(lt(t\\,2)\\,0.5*sin(2*PI*440*t)\\,0):s=48000:d=4', '-c:a', 'pcm_s16le', sound]);
  const picture = await makeTestVideo({ path: path.join(tmp, 'picture.mp4'), seconds: 3, width: 320, height: 180, withAudio: true, toneHz: 330, amplitude: 0.4 });
  await page.goto(`${studio.url}/?token=${studio.token}`);
  await page.getByTestId('new-project-dir').fill(path.join(tmp, 'films', 'waves'));
  await page.getByTestId('new-project-name').fill('Waves');
  await page.getByTestId('new-project-create').click();
  await expect(page.getByTestId('workspace')).toBeVisible();
  await page.getByTestId('import-input').setInputFiles([sound, picture]);
  await expect.poll(async () => Object.values((await snapshot()).state.assets).filter((a) => a.derivatives.peaks).length, { timeout: 60_000 }).toBe(2);

  const snap = await snapshot();
  const v1 = tracksOfKind(snap.state, 'video')[0]!;
  const a1 = tracksOfKind(snap.state, 'audio')[0]!;
  const snd = Object.values(snap.state.assets).find((a) => a.name === 'loud-then-silent.wav')!;
  const pic = Object.values(snap.state.assets).find((a) => a.name === 'picture.mp4')!;
  const add = (trackId: string, assetId: string, start: number, seconds: number) =>
    studio.ok('edit.apply', { command: 'clip.add', args: { trackId, assetId, startFlicks: start * F, inFlicks: 0, outFlicks: seconds * F, linkAudio: false } });
  await add(a1.id, snd.id, 0, 4);
  await add(a1.id, snd.id, 5, 4);
  await add(a1.id, snd.id, 120, 4); // two minutes on: 7,200 px at 60 px/s, pages beyond the first strip
  await add(a1.id, snd.id, 40, 4); // 2,400 px: in the strip both two and three pages on
  await add(v1.id, pic.id, 0, 3);
  const ids = Object.values((await snapshot()).state.clips);
  const [s1, s2, s4, s3] = ids.filter((c) => c.trackId === a1.id).sort((a, b) => a.startFlicks - b.startFlicks);
  const p1 = ids.find((c) => c.trackId === v1.id)!;

  await page.getByTestId('tab-edit').click();
  const timeline = page.getByTestId('timeline');
  const clip1 = timeline.locator(`[data-clip-id="${s1!.id}"]`);
  const clip2 = timeline.locator(`[data-clip-id="${s2!.id}"]`);
  await expect(clip2).toBeVisible();
  // One strip canvas per track, no canvas per clip.
  await expect(timeline.locator('canvas')).toHaveCount(2);
  const b1 = await laneBox(clip1);
  const b2 = await laneBox(clip2);
  expect(b1.x1 - b1.x0).toBeCloseTo(240, -1); // 4 s at 60 px/s

  // Loud half: bars most of the band's 30 px (a −6 dB peak is 89 % on the −54 dB scale); silent half: 1 px.
  await expect.poll(async () => max((await stripColumns(page, a1.id, b1.x0 + 4, b1.x0 + 116)).bar), { timeout: 30_000 }).toBeGreaterThan(20);
  const loud = await stripColumns(page, a1.id, b1.x0 + 4, b1.x0 + 116);
  const silent = await stripColumns(page, a1.id, b1.x0 + 124, b1.x1 - 4);
  expect(loud.bar.filter((h) => h > 20).length).toBeGreaterThan(loud.bar.length * 0.5); // 2 px bars, 1 px gaps
  expect(max(silent.bar)).toBeLessThanOrEqual(2);
  expect(max(silent.painted)).toBe(30); // the clip's background fills the band (30 px)
  // Between the clips (4 s … 5 s) the strip is empty: the lane shows through.
  const gap = await stripColumns(page, a1.id, b1.x1 + 3, b2.x0 - 3);
  expect(max(gap.painted)).toBe(0);

  // The strip's band is exactly the clips' waveform band (the part each clip leaves open),
  // ending where the clip's padding box ends, on both kinds of track.
  for (const [trackId, clipId] of [
    [a1.id, s1!.id],
    [v1.id, p1.id],
  ] as const) {
    const strip = (await timeline.locator(`[data-lane-track-id="${trackId}"] [data-testid="wave-strip"]`).boundingBox())!;
    const wave = (await timeline.locator(`[data-clip-id="${clipId}"] [data-testid="clip-wave"]`).boundingBox())!;
    const innerBottom = await timeline.locator(`[data-clip-id="${clipId}"]`).evaluate((el) => el.getBoundingClientRect().top + el.clientTop + el.clientHeight);
    expect(Math.abs(strip.y - wave.y)).toBeLessThan(0.5);
    expect(Math.abs(strip.y + strip.height - (wave.y + wave.height))).toBeLessThan(0.5);
    expect(Math.abs(strip.y + strip.height - innerBottom)).toBeLessThan(0.5);
  }

  // What is on screen: the clip leaves its band open, so the screenshot shows the bars there.
  const wave1 = (await clip1.getByTestId('clip-wave').boundingBox())!;
  const shotFile = path.join(tmp, 'wave1.png');
  await page.screenshot({ path: shotFile, clip: { x: wave1.x, y: wave1.y, width: wave1.width, height: wave1.height } });
  const onScreen = screenColumns(shotFile);
  expect(onScreen.loudMax).toBeGreaterThan(20);
  expect(onScreen.silentMax).toBeLessThanOrEqual(3);
  await timeline.screenshot({ path: path.join(SHOTS, 'wave-strip-loud-silent.png') });

  // The picture's sound: a band under its filmstrip, bars from its tone.
  const bp = await laneBox(timeline.locator(`[data-clip-id="${p1.id}"]`));
  await expect.poll(async () => max((await stripColumns(page, v1.id, bp.x0 + 4, bp.x1 - 4)).bar)).toBeGreaterThan(10);

  // A volume change on clip 2 repaints its span only: clip 1's pixels (and a marker painted on
  // the canvas over clip 1) stay; clip 2's loud bars drop to a tenth.
  const before1 = await stripColumns(page, a1.id, b1.x0, b1.x1);
  const before2 = await stripColumns(page, a1.id, b2.x0 + 4, b2.x0 + 116);
  expect(max(before2.bar)).toBeGreaterThan(20);
  // The marker: one magenta pixel in the gap between the clips (no clip's span covers it).
  const markAt = Math.round((b1.x1 + b2.x0) / 2);
  await page.evaluate(([trackId, x]) => {
    const c = document.querySelector(`[data-lane-track-id="${trackId}"] [data-testid="wave-strip"]`) as HTMLCanvasElement;
    const ctx = c.getContext('2d')!;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#ff00ff';
    ctx.fillRect(x - Number(c.dataset.left), 0, 1, 1);
  }, [a1.id, markAt] as const);
  await studio.ok('edit.apply', { command: 'clip.setEffects', args: { clipId: s2!.id, effects: { volume: 0.1 } } });
  await expect.poll(async () => max((await stripColumns(page, a1.id, b2.x0 + 4, b2.x0 + 116)).bar)).toBeLessThan(5);
  const after1 = await stripColumns(page, a1.id, b1.x0, b1.x1);
  expect(after1.bar).toEqual(before1.bar);
  const repainted = after1.repainted.split(' ').map((s) => s.split(':').map(Number));
  expect(repainted).toHaveLength(1);
  const stripLeft = Number(await timeline.locator(`[data-lane-track-id="${a1.id}"] [data-testid="wave-strip"]`).getAttribute('data-left'));
  expect(repainted[0]![0]).toBeGreaterThanOrEqual(b2.x0 - stripLeft - 3);
  expect(repainted[0]![1]).toBeLessThanOrEqual(b2.x1 - stripLeft + 3);
  const marker = await page.evaluate(([trackId, x]) => {
    const c = document.querySelector(`[data-lane-track-id="${trackId}"] [data-testid="wave-strip"]`) as HTMLCanvasElement;
    return [...c.getContext('2d')!.getImageData(x - Number(c.dataset.left), 0, 1, 1).data];
  }, [a1.id, markAt] as const);
  expect(marker).toEqual([255, 0, 255, 255]);

  // A 1 s fade-in on clip 1: its first bars ramp up from silence, the rest are as before.
  await studio.ok('edit.apply', { command: 'clip.setEffects', args: { clipId: s1!.id, effects: { fadeInFlicks: F } } });
  await expect.poll(async () => max((await stripColumns(page, a1.id, b1.x0 + 2, b1.x0 + 8)).bar)).toBeLessThan(6);
  const ramp = await stripColumns(page, a1.id, b1.x0 + 2, b1.x0 + 60);
  expect(max(ramp.bar.slice(0, 15))).toBeLessThan(max(ramp.bar.slice(40)));
  expect(max((await stripColumns(page, a1.id, b1.x0 + 64, b1.x0 + 116)).bar)).toBeGreaterThan(20);
  await timeline.screenshot({ path: path.join(SHOTS, 'wave-strip-volume-fade.png') });

  // Scroll one half-screen page at a time: from the second page on, the strip keeps its size and
  // moves along the lane; its pixels are shifted and only the newly exposed edge is painted. The
  // clip at 40 s, in the strip on both pages, is intact.
  const strip = timeline.locator(`[data-lane-track-id="${a1.id}"] [data-testid="wave-strip"]`);
  const toPage = (n: number) =>
    page.evaluate((n) => {
      const el = document.querySelector('.timeline__scroll') as HTMLElement;
      const half = Math.max(200, (el.clientWidth - 148) / 2); // HEADER_WIDTH 148 (geometry.ts)
      el.scrollLeft = n * half;
      return half;
    }, n);
  const half = await toPage(2);
  await expect.poll(async () => Number(await strip.getAttribute('data-left'))).toBe(Math.floor(half));
  const clip4 = timeline.locator(`[data-clip-id="${s4!.id}"]`);
  const b4 = await laneBox(clip4);
  await expect.poll(async () => max((await stripColumns(page, a1.id, b4.x0 + 4, b4.x1 - 4)).bar)).toBeGreaterThan(20);
  const before4 = await stripColumns(page, a1.id, b4.x0 + 4, b4.x1 - 4);
  await toPage(3);
  await expect.poll(async () => Number(await strip.getAttribute('data-left'))).toBe(Math.floor(2 * half));
  const shifted = await stripColumns(page, a1.id, b4.x0 + 4, b4.x1 - 4);
  expect(shifted.bar).toEqual(before4.bar);
  const stripWidth = (await strip.boundingBox())!.width;
  const painted = shifted.repainted.split(' ').map((x) => x.split(':').map(Number) as [number, number]);
  expect(painted.reduce((n, [a, b]) => n + (b - a), 0)).toBeLessThan(stripWidth * 0.4);

  // Scroll two minutes on: the strip moves with the lane's window and draws the clip there.
  await page.evaluate(() => ((document.querySelector('.timeline__scroll') as HTMLElement).scrollLeft = 120 * 60 - 300));
  const clip3 = timeline.locator(`[data-clip-id="${s3!.id}"]`);
  await expect(clip3).toBeVisible();
  const b3 = await laneBox(clip3);
  await expect.poll(async () => max((await stripColumns(page, a1.id, b3.x0 + 4, b3.x0 + 116)).bar)).toBeGreaterThan(20);
  expect(Number(await timeline.locator(`[data-lane-track-id="${a1.id}"] [data-testid="wave-strip"]`).getAttribute('data-left'))).toBeGreaterThan(3000);
  await timeline.screenshot({ path: path.join(SHOTS, 'wave-strip-scrolled.png') });
});
