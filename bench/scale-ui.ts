/**
 * Drives the studio UI in Debian Chromium the way an editor uses it and measures what they
 * wait for (issue 14): switching to Edit, DOM size in each view, scroll and drag frames,
 * click / split / undo / Add shot to the next frame, JS heap. Everything is timed inside the
 * page (performance.now and requestAnimationFrame), so Playwright's round trips do not count.
 */
import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { percentile } from './report.js';

export interface UiFigures {
  editFirstClipMs: number;
  editResponsiveMs: number;
  domStoryboard: number;
  domEdit: number;
  domEditZoomedOut: number;
  scrollP95: number;
  dragP95: number;
  clickMs: number;
  addShotMs: number;
  splitMs: number;
  undoMs: number;
  heapMB: number;
}

export type Latency = 'click-shot' | 'add-shot' | 'split' | 'undo';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

/**
 * A page of the studio at `url` showing the storyboard, in a 1600×1000 context of its own.
 * tsx compiles the bench with esbuild's keepNames, which wraps the functions handed to
 * page.evaluate in a `__name(...)` helper that only exists in Node: the page gets a no-op one.
 */
export async function openStoryboard(browser: Browser, url: string, token: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const page = await context.newPage();
  await page.goto(`${url}/?token=${token}`);
  await page.getByTestId('workspace').waitFor({ timeout: 120_000 });
  await page.getByTestId('shot-card').first().waitFor({ timeout: 120_000 });
  return { context, page };
}

/** Put the playhead inside the third clip in view on V1 (where the benches split and undo). */
export async function playheadIntoClip(page: Page): Promise<void> {
  const clip = page.locator('[data-testid="track"][data-kind="video"] [data-testid="clip"]').nth(2);
  const box = (await clip.boundingBox())!;
  const ruler = (await page.getByTestId('ruler').boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.43, ruler.y + ruler.height / 2);
}

const domCount = (page: Page) => page.evaluate(() => document.getElementsByTagName('*').length);
const settle = (page: Page, ms = 1500) => page.waitForTimeout(ms);

/** Click the Edit tab; time to the first frame showing a clip, and until frames flow freely (no gap > 50 ms for 250 ms). */
export function switchToEdit(page: Page): Promise<{ first: number; responsive: number }> {
  return page.evaluate(
    () =>
      new Promise<{ first: number; responsive: number }>((resolve, reject) => {
        const frames: number[] = [];
        let clipAt: number | null = null;
        const t0 = performance.now();
        const hasClip = () => !!document.querySelector('[data-testid="clip"]');
        const mo = new MutationObserver(() => {
          if (clipAt === null && hasClip()) clipAt = performance.now();
        });
        mo.observe(document.body, { childList: true, subtree: true });
        const loop = () => {
          frames.push(performance.now());
          if (clipAt !== null) {
            const first = frames.find((f) => f >= clipAt!);
            // Responsive: the first frame after which frames keep coming at least every 50 ms for 250 ms.
            for (let i = frames.findIndex((f) => f >= clipAt!); i >= 0 && i < frames.length; i++) {
              let j = i;
              while (j + 1 < frames.length && frames[j + 1]! - frames[j]! <= 50) j++;
              if (frames[j]! - frames[i]! >= 250) {
                mo.disconnect();
                resolve({ first: first! - t0, responsive: frames[i]! - t0 });
                return;
              }
              i = j;
            }
          }
          if (performance.now() - t0 > 600_000) return reject(new Error('the Edit view did not respond in 10 minutes'));
          requestAnimationFrame(loop);
        };
        requestAnimationFrame(loop);
        (document.querySelector('[data-testid="tab-edit"]') as HTMLElement).click();
        if (clipAt === null && hasClip()) clipAt = performance.now();
      }),
  );
}

/** Milliseconds from an action to the first frame that shows its result. */
export function latency(page: Page, kind: Latency): Promise<number> {
  return page.evaluate(
    (kind) =>
      new Promise<number>((resolve, reject) => {
        const q = (s: string) => document.querySelector(s) as HTMLElement | null;
        const clipCount = () => document.querySelectorAll('[data-testid="clip"]').length;
        let act: () => void;
        let done: () => boolean;
        if (kind === 'click-shot') {
          const cards = [...document.querySelectorAll<HTMLElement>('[data-testid="shot-card"]')];
          const card = cards.slice(1).find((c) => c.getAttribute('aria-current') !== 'true')!;
          act = () => card.click();
          done = () => card.isConnected && card.getAttribute('aria-current') === 'true';
        } else if (kind === 'add-shot') {
          const n = Number(q('[data-testid="shot-grid"]')!.dataset.shotCount);
          act = () => q('[data-testid="add-shot"]')!.click();
          done = () => Number(q('[data-testid="shot-grid"]')?.dataset.shotCount) === n + 1;
        } else {
          const n = clipCount();
          act = () => q(kind === 'split' ? '[data-testid="split"]' : '[data-testid="undo"]')!.click();
          done = () => (kind === 'split' ? clipCount() > n : clipCount() < n);
        }
        const t0 = performance.now();
        const timer = setTimeout(() => reject(new Error(`${kind}: no visible result in 60 s`)), 60_000);
        const finish = () => {
          mo.disconnect();
          clearTimeout(timer);
          requestAnimationFrame(() => resolve(performance.now() - t0));
        };
        const mo = new MutationObserver(() => done() && finish());
        mo.observe(document.body, { childList: true, subtree: true, attributes: true });
        act();
        if (done()) finish();
      }),
    kind,
  );
}

/** Scroll the timeline by `px` every frame for `frames` frames; the frame intervals. */
function scrollFrames(page: Page, px: number, frames: number): Promise<number[]> {
  return page.evaluate(
    ([px, frames]) =>
      new Promise<number[]>((resolve) => {
        const el = document.querySelector('.timeline__scroll') as HTMLElement;
        const ts: number[] = [];
        const step = (t: number) => {
          ts.push(t);
          el.scrollLeft += px;
          if (ts.length < frames) requestAnimationFrame(step);
          else resolve(ts.slice(1).map((v, i) => v - ts[i]!));
        };
        requestAnimationFrame(step);
      }),
    [px, frames] as const,
  );
}

async function recordFrames<T>(page: Page, during: () => Promise<T>): Promise<number[]> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __on: boolean };
    w.__frames = [];
    w.__on = true;
    const loop = (t: number) => {
      w.__frames.push(t);
      if (w.__on) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  });
  await during();
  return page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __on: boolean };
    w.__on = false;
    return w.__frames.slice(1).map((v, i) => v - w.__frames[i]!);
  });
}

async function heapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return usedSize / 2 ** 20;
}

const median = (xs: number[]) => percentile(xs, 50);

/**
 * Each timed action starts from a settled editor, as a person's next action does: a split is
 * shown before main answers (renderer/src/actions/timeline.ts), and an undo clicked a few
 * milliseconds later waits for that answer first (edits reach main in order), so back-to-back
 * it would be timed with the split's round trip in it.
 */
export const ACTION_GAP_MS = 300;

/**
 * With `profileTo` set, a V8 CPU profile of `during` goes to `<profileTo>-<name>.cpuprofile`
 * (SCALE_PROFILE=/tmp/p: see bench/profile-summary.ts). Profiling slows the page, so the
 * figures of a profiled run are not the ones to report.
 */
async function profiled<T>(page: Page, profileTo: string | undefined, name: string, during: () => Promise<T>): Promise<T> {
  if (!profileTo) return during();
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  try {
    return await during();
  } finally {
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
    fs.writeFileSync(`${profileTo}-${name}.cpuprofile`, JSON.stringify(profile));
    await cdp.detach();
  }
}

/**
 * With `traceTo` set, a Chromium trace of `during` (main thread, compositor, viz) goes to
 * `<traceTo>-<name>.json` (SCALE_TRACE=/tmp/t: see bench/trace-summary.ts): where each
 * frame's time goes outside JavaScript (commit, paint, raster, hit tests). Thread CPU time
 * is in it too, which a busy machine inflates far less than wall time.
 */
async function traced<T>(page: Page, traceTo: string | undefined, name: string, during: () => Promise<T>): Promise<T> {
  const browser = page.context().browser();
  if (!traceTo || !browser) return during();
  const categories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'cc', 'viz', 'blink', 'gpu', 'toplevel'];
  await browser.startTracing(page, { path: `${traceTo}-${name}.json`, categories });
  try {
    return await during();
  } finally {
    await browser.stopTracing();
  }
}

/** Measure one project, already open in a studio at `url`. */
export async function measureUi(browser: Browser, url: string, token: string, log: (s: string) => void = () => {}, profileTo?: string, traceTo?: string): Promise<UiFigures> {
  const { context, page } = await openStoryboard(browser, url, token);
  try {
    await settle(page);
    const domStoryboard = await domCount(page);

    const clicks: number[] = [];
    for (let i = 0; i < 5; i++) {
      clicks.push(await latency(page, 'click-shot'));
      await settle(page, ACTION_GAP_MS);
    }
    const adds: number[] = [];
    await profiled(page, profileTo, 'add-shot', async () => {
      for (let i = 0; i < 3; i++) {
        adds.push(await latency(page, 'add-shot'));
        await settle(page, ACTION_GAP_MS);
      }
    });
    log(`storyboard: DOM ${domStoryboard}, click ${median(clicks).toFixed(0)} ms, add shot ${median(adds).toFixed(0)} ms`);

    const edit = await switchToEdit(page);
    log(`edit: first clip ${edit.first.toFixed(0)} ms, responsive ${edit.responsive.toFixed(0)} ms`);
    await settle(page);
    const domEdit = await domCount(page);

    const scroll = await traced(page, traceTo, 'scroll', () => profiled(page, profileTo, 'scroll', () => scrollFrames(page, 40, 150)));
    await page.evaluate(() => ((document.querySelector('.timeline__scroll') as HTMLElement).scrollLeft = 0));
    await settle(page, 500);

    await playheadIntoClip(page); // then split / undo there
    const splits: number[] = [];
    const undos: number[] = [];
    await profiled(page, profileTo, 'split-undo', async () => {
      for (let i = 0; i < 3; i++) {
        splits.push(await latency(page, 'split'));
        await settle(page, ACTION_GAP_MS);
        undos.push(await latency(page, 'undo'));
        await settle(page, ACTION_GAP_MS);
      }
    });

    // Drag a clip along its track for 40 pointer moves (dropped back where it started: no edit).
    const target = page.locator('[data-testid="track"][data-kind="video"] [data-testid="clip"]').nth(3);
    const tb = (await target.boundingBox())!;
    const drag = await traced(page, traceTo, 'drag', () => recordFrames(page, async () => {
      await page.mouse.move(tb.x + tb.width / 2, tb.y + tb.height / 2);
      await page.mouse.down();
      for (let i = 1; i <= 20; i++) await page.mouse.move(tb.x + tb.width / 2 + i * 6, tb.y + tb.height / 2);
      for (let i = 19; i >= 0; i--) await page.mouse.move(tb.x + tb.width / 2 + i * 6, tb.y + tb.height / 2);
      await page.mouse.up();
    }));

    await page.getByTestId('zoom-fit').click();
    await settle(page);
    const domEditZoomedOut = await domCount(page);
    const heap = await heapMB(page);

    return {
      editFirstClipMs: edit.first,
      editResponsiveMs: edit.responsive,
      domStoryboard,
      domEdit,
      domEditZoomedOut,
      scrollP95: percentile(scroll, 95),
      dragP95: percentile(drag, 95),
      clickMs: median(clicks),
      addShotMs: median(adds),
      splitMs: median(splits),
      undoMs: median(undos),
      heapMB: heap,
    };
  } finally {
    await context.close();
  }
}
