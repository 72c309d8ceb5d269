/**
 * Where "Add shot" spends the time before its frame (issue 14): builds a project (20 shots by
 * default; ADD_PROBE_SHOTS=2000 ADD_PROBE_CLIPS=5000 for the big one), opens it in
 * `shotline studio`, clicks Add shot N times under a Chromium trace and prints, per add:
 * click → the first rAF after the new card is in the DOM (what `npm run bench -- scale` calls
 * "next frame"), click → the end of that frame's rendering (a message posted from the rAF runs
 * after the frame's style/layout/paint), and every Layout on the renderer's main thread from
 * the click to the end of that frame, marked forced when script was running around it (a
 * synchronous layout read) or frame when the frame's own lifecycle ran it. Then checks that the
 * new title is focused and all selected, as the user expects. Also per add and as a median: the
 * main thread's CPU time from the click to the end of that frame (trace thread time), which a
 * loaded machine inflates far less than the wall-clock figures. ADD_PROBE_NO_FOCUS=1 clicks
 * without focusing the button first, as `npm run bench -- scale` does.
 * `npx vite build --config build/vite.renderer.config.ts && npx tsx bench/add-shot-probe.ts [adds=5]`
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStudio } from '../tests/helpers/studio-process.js';
import { buildScaleProject } from '../tests/helpers/scale-project.js';
import { launchChromium, openStoryboard } from './scale-ui.js';
import type { TraceEvent } from './trace-event.js';

type Ev = TraceEvent;

const spec = { shots: Number(process.env.ADD_PROBE_SHOTS ?? 20), clips: Number(process.env.ADD_PROBE_CLIPS ?? 50) };
const adds = Number(process.argv[2] ?? 5);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-addprobe-'));
const tracePath = path.join(root, 'trace.json');
// Script running around a Layout means something read layout synchronously.
const SCRIPT = /^(FunctionCall|EventDispatch|v8\.callFunction|RunMicrotasks|TimerFire|FireAnimationFrame|v8\.run|V8\.Execute)$/;

try {
  const dir = await buildScaleProject(path.join(root, 'p'), spec);
  const studio = await startStudio({ project: dir, home: path.join(root, 'home') });
  const browser = await launchChromium();
  try {
    const { context, page } = await openStoryboard(browser, studio.url, studio.token);
    await page.waitForTimeout(1500);
    const rows: { frame: number; painted: number; t0: number; tEnd: number }[] = [];
    const cdp = process.env.ADD_PROBE_PROFILE ? await context.newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    await browser.startTracing(page, { path: tracePath, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.stack', 'blink', 'toplevel', 'v8.execute'] });
    for (let i = 0; i < adds; i++) {
      rows.push(
        await page.evaluate(
          (focusFirst: boolean) =>
            new Promise<{ frame: number; painted: number; t0: number; tEnd: number }>((resolve) => {
              const grid = () => document.querySelector<HTMLElement>('[data-testid="shot-grid"]');
              const n = Number(grid()!.dataset.shotCount);
              // A mouse press focuses the button before the click (the previous title blurs then).
              if (focusFirst) document.querySelector<HTMLElement>('[data-testid="add-shot"]')!.focus();
              const t0 = performance.now();
              const mo = new MutationObserver(() => {
                if (Number(grid()?.dataset.shotCount) !== n + 1) return;
                mo.disconnect();
                requestAnimationFrame(() => {
                  const frame = performance.now() - t0;
                  const ch = new MessageChannel();
                  ch.port1.onmessage = () => {
                    const tEnd = performance.now();
                    resolve({ frame, painted: tEnd - t0, t0: t0 + performance.timeOrigin, tEnd: tEnd + performance.timeOrigin });
                  };
                  ch.port2.postMessage(0);
                });
              });
              mo.observe(document.body, { childList: true, subtree: true, attributes: true });
              document.querySelector<HTMLElement>('[data-testid="add-shot"]')!.click();
            }),
          !process.env.ADD_PROBE_NO_FOCUS,
        ),
      );
      await page.waitForTimeout(400);
    }
    await browser.stopTracing();
    if (cdp) fs.writeFileSync(process.env.ADD_PROBE_PROFILE!, JSON.stringify(((await cdp.send('Profiler.stop')) as { profile: unknown }).profile));
    const focus = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      return { testid: el?.dataset.testid, start: el?.selectionStart, end: el?.selectionEnd, len: el?.value.length };
    });

    const events = (JSON.parse(fs.readFileSync(tracePath, 'utf8')) as { traceEvents: Ev[] }).traceEvents;
    const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
    const onMain = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined);
    // Trace timestamps are monotonic µs; the page's clock is ms since its origin. Align on
    // the click's EventDispatch nearest each t0 is overkill: use each add's own window.
    const clicks = onMain.filter((e) => e.name === 'EventDispatch' && e.args?.data && (e.args.data as { type?: string }).type === 'click').sort((a, b) => a.ts - b.ts);
    console.log(`${spec.shots} shots, load ${os.loadavg()[0]!.toFixed(1)}; focus after the adds: ${JSON.stringify(focus)}`);
    const cpus: number[] = [];
    rows.forEach((r, i) => {
      const click = clicks[i];
      const from = click?.ts ?? 0;
      const to = from + (r.tEnd - r.t0) * 1000;
      const layouts = onMain
        .filter((e) => e.name === 'Layout' && e.ts >= from && e.ts <= to)
        .map((l) => {
          const around = onMain.filter((e) => e !== l && e.ts <= l.ts && e.ts + e.dur! >= l.ts + l.dur!);
          const forced = around.some((e) => SCRIPT.test(e.name)) || Boolean((l.args as { beginData?: { stackTrace?: unknown[] } } | undefined)?.beginData?.stackTrace?.length);
          const by = (l.args as { beginData?: { stackTrace?: { functionName: string; url: string; lineNumber: number }[] } } | undefined)?.beginData?.stackTrace?.slice(0, 4);
          const path = around.map((e) => e.name).filter((n) => !/^(Blink\.|LocalFrameView)/.test(n)).slice(-3).join(' > ');
          return `${forced ? 'forced' : 'frame'} ${(l.dur! / 1000).toFixed(1)} ms at +${((l.ts - from) / 1000).toFixed(0)} [${path}${by ? ` from ${by.map((f) => `${f.functionName || '?'}@${f.url.split('/').pop()}:${f.lineNumber}`).join(' < ')}` : ''}]`;
        });
      const style = onMain.filter((e) => e.name === 'UpdateLayoutTree' && e.ts >= from && e.ts <= to).reduce((t, e) => t + e.dur! / 1000, 0);
      if (process.env.ADD_PROBE_SELF) console.log(selfTimes(onMain.filter((e) => e.ts >= from && e.ts <= to)));
      // Main-thread CPU from the click to the end of that frame (thread time of the top-level
      // tasks overlapping the window): what a busy machine stretches far less than wall time.
      const cpu = onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.ts < to && e.ts + e.dur! > from).reduce((t, e) => t + (e.tdur ?? e.dur!) / 1000, 0);
      cpus.push(cpu);
      const rafs = onMain.filter((e) => e.name === 'FireAnimationFrame' && e.ts >= from && e.ts <= to).map((e) => `+${((e.ts - from) / 1000).toFixed(0)}`);
      console.log(`add ${i + 1}: main-thread CPU ${cpu.toFixed(1)} ms; rAF at ${rafs.join(', ')}; next frame ${r.frame.toFixed(1)} ms, frame rendered ${r.painted.toFixed(1)} ms; style ${style.toFixed(1)} ms; layouts: ${layouts.join('; ') || 'none'}`);
    });
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`median of ${rows.length}: main-thread CPU ${med(cpus).toFixed(1)} ms, next frame ${med(rows.map((r) => r.frame)).toFixed(1)} ms, frame rendered ${med(rows.map((r) => r.painted)).toFixed(1)} ms`);
    await context.close();
  } finally {
    await browser.close();
    await studio.stop();
  }
} finally {
  if (!process.env.ADD_PROBE_KEEP) fs.rmSync(root, { recursive: true, force: true });
  else console.log(`trace: ${tracePath}`);
}

/** The top self times by event name among `list` (complete events nest on one thread). */
function selfTimes(list: Ev[]): string {
  list = [...list].sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const self = new Map<string, number>();
  const stack: { e: Ev; child: number }[] = [];
  const close = (f: { e: Ev; child: number }) => {
    self.set(f.e.name, (self.get(f.e.name) ?? 0) + f.e.dur! - f.child);
    const parent = stack[stack.length - 1];
    if (parent) parent.child += f.e.dur!;
  };
  for (const e of list) {
    while (stack.length && stack[stack.length - 1]!.e.ts + stack[stack.length - 1]!.e.dur! <= e.ts) close(stack.pop()!);
    stack.push({ e, child: 0 });
  }
  while (stack.length) close(stack.pop()!);
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([n, us]) => `${n} ${(us / 1000).toFixed(1)}`).join(', ');
}
