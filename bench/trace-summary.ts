/**
 * Where a Chromium trace's time went, per thread: self time by event name, wall and thread
 * CPU (`tdur`), for the renderer's main thread and compositor and the GPU/viz process's
 * compositor (software compositing here: --disable-gpu). The traces come from
 * `SCALE_TRACE=/tmp/t npm run bench -- scale` (one per project: /tmp/t-2000-scroll.json):
 * `npx tsx bench/trace-summary.ts /tmp/t-2000-scroll.json [top=12]`.
 * Compare CPU columns between builds: a busy machine stretches wall time, much less CPU time.
 */
import fs from 'node:fs';
import type { TraceEvent } from './trace-event.js';

type Ev = TraceEvent;

const file = process.argv[2];
if (!file) throw new Error('usage: trace-summary.ts <trace.json> [top=12]');
const top = Number(process.argv[3] ?? 12);
const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { traceEvents: Ev[] } | Ev[];
const events = Array.isArray(raw) ? raw : raw.traceEvents;

const threadName = new Map<string, string>();
for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
const WANTED = /^(CrRendererMain|Compositor|VizCompositorThread|CrGpuMain|CompositorTileWorker.*)$/;

const byThread = new Map<string, Ev[]>();
for (const e of events) {
  if (e.ph !== 'X' || e.dur === undefined) continue;
  const key = `${e.pid}:${e.tid}`;
  if (!WANTED.test(threadName.get(key) ?? '')) continue;
  let list = byThread.get(key);
  if (!list) byThread.set(key, (list = []));
  list.push(e);
}

for (const [key, list] of byThread) {
  // Self time: an event's time less its children's (complete events nest on a thread).
  list.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const self = new Map<string, { wall: number; cpu: number; n: number }>();
  const stack: { e: Ev; childWall: number; childCpu: number }[] = [];
  const close = (f: { e: Ev; childWall: number; childCpu: number }) => {
    const s = self.get(f.e.name) ?? { wall: 0, cpu: 0, n: 0 };
    s.wall += f.e.dur! - f.childWall;
    s.cpu += (f.e.tdur ?? f.e.dur!) - f.childCpu;
    s.n++;
    self.set(f.e.name, s);
    const parent = stack[stack.length - 1];
    if (parent) {
      parent.childWall += f.e.dur!;
      parent.childCpu += f.e.tdur ?? f.e.dur!;
    }
  };
  for (const e of list) {
    while (stack.length && stack[stack.length - 1]!.e.ts + stack[stack.length - 1]!.e.dur! <= e.ts) close(stack.pop()!);
    stack.push({ e, childWall: 0, childCpu: 0 });
  }
  while (stack.length) close(stack.pop()!);
  const total = [...self.values()].reduce((t, s) => ({ wall: t.wall + s.wall, cpu: t.cpu + s.cpu }), { wall: 0, cpu: 0 });
  console.log(`\n${threadName.get(key)} (${key}): ${(total.wall / 1000).toFixed(0)} ms wall, ${(total.cpu / 1000).toFixed(0)} ms CPU in traced events`);
  console.log('  self wall ms | self CPU ms |  count | event');
  for (const [name, s] of [...self].sort((a, b) => b[1].cpu - a[1].cpu).slice(0, top))
    console.log(`  ${(s.wall / 1000).toFixed(1).padStart(12)} | ${(s.cpu / 1000).toFixed(1).padStart(11)} | ${String(s.n).padStart(6)} | ${name}`);
}
