/**
 * Where a slow store commit waits (issue 14): `npx tsx bench/store-probe.ts [PARENT_DIR]` builds the
 * store bench's 5,000-clip project under PARENT_DIR (default: the temp dir), runs N (env, default
 * 2000) clip.move edits and splits each SQLite commit, from /proc/thread-self/schedstat, into time on
 * a CPU, time waiting for a core and the rest (blocked: I/O); then times a near-full WAL checkpoint.
 * Linux only. A diagnostic, not a benchmark: it wraps private ProjectStore methods.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { secondsToFlicks } from '../app/time/flicks.js';
import { ProjectStore, PROJECT_FILE } from '../main/store/project-store.js';
import { ProjectSession } from '../main/session/project-session.js';
import { CLIPS, generate } from './store-project.js';


const hr = () => Number(process.hrtime.bigint()) / 1e6;
const base = process.argv[2] ?? os.tmpdir();
const dir = fs.mkdtempSync(path.join(base, 'shotline-store-probe-'));
generate(dir);
const store = ProjectStore.open(dir);
const session = new ProjectSession(store, {}, () => {});
const len = secondsToFlicks(2);
for (let i = 0; i < 200; i++) session.edit('clip.move', { clipId: `clip${(i * 2) % CLIPS}`, startFlicks: (CLIPS * 3 + i * 2) * len });
// split the commit: wrap db.prepare'd statements' run and the transaction
const parts: Record<string, number> = {};
const s = store as unknown as { writePatch: (p: unknown) => void; stmt: (sql: string) => { run: (...a: unknown[]) => unknown } };
const wp = s.writePatch.bind(store);
s.writePatch = (p) => { const t = hr(); try { wp(p); } finally { parts.writePatch = (parts.writePatch ?? 0) + hr() - t; } };
const commit = store.commit.bind(store);
const sched = () => fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
const split: { wall: number; cpu: number; runq: number }[] = [];
store.commit = (e) => { const s0 = sched(); const t = hr(); try { return commit(e); } finally { parts.commit = hr() - t; const s1 = sched(); split.push({ wall: parts.commit, cpu: (s1[0]! - s0[0]!) / 1e6, runq: (s1[1]! - s0[1]!) / 1e6 }); } };
const hi = store.historyInfo.bind(store);
store.historyInfo = () => { const t = hr(); try { return hi(); } finally { parts.history = hr() - t; } };
const rows: { total: number; commit: number; wp: number; hist: number; wal: number; cpu: number; runq: number; gc: number }[] = [];
// Garbage collections (observed) overlapping an edit, in ms of the edit's wall time.
const gcs: { start: number; end: number }[] = [];
const obs = new PerformanceObserver((list) => list.getEntries().forEach((e) => gcs.push({ start: e.startTime, end: e.startTime + e.duration })));
obs.observe({ entryTypes: ['gc'] });
const spans: { start: number; end: number }[] = [];
const N = Number(process.env.N ?? 2000);
const cpu0 = process.cpuUsage();
for (let i = 0; i < N; i++) {
  parts.writePatch = 0;
  const e0 = sched();
  const p0 = performance.now();
  const t = hr();
  session.edit('clip.move', { clipId: `clip${(i * 2) % CLIPS}`, startFlicks: (CLIPS + i * 2) * len });
  const total = hr() - t;
  spans.push({ start: p0, end: performance.now() });
  const e1 = sched();
  let wal = 0; try { wal = fs.statSync(path.join(dir, PROJECT_FILE + '-wal')).size; } catch {}
  rows.push({ total, commit: parts.commit!, wp: parts.writePatch!, hist: parts.history ?? 0, wal, cpu: (e1[0]! - e0[0]!) / 1e6, runq: (e1[1]! - e0[1]!) / 1e6, gc: 0 });
}
const cpuAll = process.cpuUsage(cpu0);
await new Promise((r) => setTimeout(r, 50)); // let the observer deliver the last GC entries
obs.disconnect();
rows.forEach((r, i) => {
  const sp = spans[i]!;
  r.gc = gcs.reduce((a, g) => a + Math.max(0, Math.min(g.end, sp.end) - Math.max(g.start, sp.start)), 0);
});
console.log('loop CPU per edit', ((cpuAll.user + cpuAll.system) / 1000 / N).toFixed(3), 'ms');
const pct = (xs: number[], p: number) => { const a = [...xs].sort((x, y) => x - y); return a[Math.min(a.length - 1, Math.floor((p / 100) * a.length))]!; };
const col = (k: keyof typeof rows[0]) => rows.map((r) => r[k]);
for (const k of ['total', 'commit', 'wp', 'hist'] as const) console.log(k.padEnd(7), 'p50', pct(col(k), 50).toFixed(3), 'p90', pct(col(k), 90).toFixed(3), 'p99', pct(col(k), 99).toFixed(3), 'max', Math.max(...col(k)).toFixed(2));
const rest = rows.map((r) => r.total - r.commit - r.hist);
console.log('rest   ', 'p50', pct(rest, 50).toFixed(3), 'p99', pct(rest, 99).toFixed(3));
const txnEnd = rows.map((r) => r.commit - r.wp);
console.log('commit-minus-writePatch (DELETE redo + INSERT log + COMMIT)', 'p50', pct(txnEnd, 50).toFixed(3), 'p99', pct(txnEnd, 99).toFixed(3));
const p99 = pct(col('total'), 99);
const slow = rows.filter((r) => r.total >= p99);
console.log(`slowest ${slow.length}: commit ${slow.reduce((a, r) => a + r.commit, 0).toFixed(1)} ms, rest ${slow.reduce((a, r) => a + r.total - r.commit, 0).toFixed(1)} ms`);
console.log('slow rows:', slow.slice(0, 25).map((r) => `${r.total.toFixed(1)}(c${r.commit.toFixed(1)})`).join(' '));
{
  // The whole edit, split by the kernel's accounting (on a CPU / waiting for a core / blocked) and by GC.
  const sum = (f: (r: typeof slow[0]) => number) => slow.reduce((a, r) => a + f(r), 0).toFixed(1);
  console.log(`edits >= p99 (${p99.toFixed(2)} ms), ${slow.length}: wall ${sum((r) => r.total)} ms = on CPU ${sum((r) => r.cpu)} (of which in GC ${sum((r) => r.gc)}) + waiting for a core ${sum((r) => r.runq)} + blocked ${sum((r) => r.total - r.cpu - r.runq)}; GCs in the run: ${gcs.length}`);
  console.log('slow edits (wall: cpu/gc/runq):', slow.map((r) => `${r.total.toFixed(1)}: ${r.cpu.toFixed(1)}/${r.gc.toFixed(1)}/${r.runq.toFixed(1)}`).join('  '));
}
{
  const cp99 = pct(split.map((x) => x.wall), 99);
  const sl = split.filter((x) => x.wall >= cp99);
  const sum = (f: (x: typeof sl[0]) => number) => sl.reduce((a, x) => a + f(x), 0);
  console.log(`commits >= p99 (${cp99.toFixed(2)} ms), ${sl.length}: wall ${sum((x) => x.wall).toFixed(1)} ms = on CPU ${sum((x) => x.cpu).toFixed(1)} + waiting for a core ${sum((x) => x.runq).toFixed(1)} + blocked (I/O) ${sum((x) => x.wall - x.cpu - x.runq).toFixed(1)}`);
  const all = (f: (x: typeof split[0]) => number) => split.reduce((a, x) => a + f(x), 0);
  console.log(`all ${split.length} commits: wall ${all((x) => x.wall).toFixed(0)} ms = CPU ${all((x) => x.cpu).toFixed(0)} + runqueue ${all((x) => x.runq).toFixed(0)} + blocked ${all((x) => x.wall - x.cpu - x.runq).toFixed(0)}`);
}
const walMax = Math.max(...col('wal'));
console.log('wal bytes: start', rows[0]!.wal, 'max', walMax, 'end', rows.at(-1)!.wal, 'checkpoint resets:', rows.filter((r, i) => i > 0 && r.wal < rows[i - 1]!.wal).length, 'bytes/edit', ((walMax - rows[0]!.wal) / rows.findIndex((r) => r.wal === walMax)).toFixed(0));
console.log('load', os.loadavg()[0]!.toFixed(1), 'dir', dir);
// What a checkpoint of a nearly full WAL costs (SQLite's autocheckpoint does this every ~4000 pages).
{
  const t = hr(); store.db.pragma('wal_checkpoint(TRUNCATE)'); const a = hr() - t;
  for (let i = 0; i < 600; i++) session.edit('clip.move', { clipId: `clip${(i * 2) % CLIPS}`, startFlicks: (CLIPS * 5 + i * 2) * len });
  const pages = fs.statSync(path.join(dir, PROJECT_FILE + '-wal')).size / 4096;
  const c0 = process.cpuUsage(); const t1 = hr(); store.db.pragma('wal_checkpoint(PASSIVE)'); const b = hr() - t1; const c = process.cpuUsage(c0);
  console.log(`checkpoint of ${pages.toFixed(0)} WAL pages: ${b.toFixed(1)} ms wall, ${((c.user + c.system) / 1000).toFixed(1)} ms CPU (first truncate ${a.toFixed(1)} ms)`);
}
store.close();
fs.rmSync(dir, { recursive: true, force: true });
