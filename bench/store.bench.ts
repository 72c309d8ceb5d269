/**
 * Store benchmark: open a generated project with 2,000 shots and 5,000 clips (target ≤ 100 ms)
 * and commit one edit (target p99 ≤ 2 ms). Baselines measured in the same run: reading the
 * same rows with raw better-sqlite3 (no mapping), and a raw one-row UPDATE transaction.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { secondsToFlicks } from '../app/time/flicks.js';
import { ProjectStore, PROJECT_FILE } from '../main/store/project-store.js';
import { ProjectSession } from '../main/session/project-session.js';
import { CLIPS, generate, SHOTS } from './store-project.js';
import { percentile, printTable, type Row } from './report.js';


function time<T>(fn: () => T): [number, T] {
  const t0 = process.hrtime.bigint();
  const v = fn();
  return [Number(process.hrtime.bigint() - t0) / 1e6, v];
}

export async function runStoreBench(): Promise<Row[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-bench-store-'));
  try {
    generate(dir);
    const opens: number[] = [];
    const raws: number[] = [];
    for (let i = 0; i < 7; i++) {
      const [raw] = time(() => {
        const db = new Database(path.join(dir, PROJECT_FILE));
        for (const t of ['assets', 'shots', 'takes', 'tracks', 'clips']) db.prepare(`SELECT * FROM ${t}`).all();
        db.close();
      });
      raws.push(raw);
      const [ms, state] = time(() => {
        const s = ProjectStore.open(dir);
        const st = s.loadState();
        s.close();
        return st;
      });
      if (Object.keys(state.clips).length !== CLIPS) throw new Error('bench project did not load fully');
      opens.push(ms);
    }

    const store = ProjectStore.open(dir);
    const session = new ProjectSession(store, {}, () => {});
    const edits: number[] = [];
    const len = secondsToFlicks(2);
    // Warm-up (JIT, statement cache) is not measured, for Shotline and baseline alike.
    for (let i = 0; i < 200; i++) session.edit('clip.move', { clipId: `clip${(i * 2) % CLIPS}`, startFlicks: (CLIPS * 3 + i * 2) * len });
    // Where the tail comes from: garbage collections (observed) that overlap an edit.
    const gcs: { start: number; end: number; kind: number }[] = [];
    const obs = new PerformanceObserver((list) => list.getEntries().forEach((e) => gcs.push({ start: e.startTime, end: e.startTime + e.duration, kind: (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0 })));
    obs.observe({ entryTypes: ['gc'] });
    const starts: number[] = [];
    const editCpu: number[] = [];
    // Where a slow edit's time went: the SQLite transaction (store.commit) or the rest (the
    // command on the in-memory state, applying the patch, history labels).
    const commitMs: number[] = [];
    const commit = store.commit.bind(store);
    let lastCommit = 0;
    store.commit = (entry) => {
      const t0 = process.hrtime.bigint();
      try {
        return commit(entry);
      } finally {
        lastCommit = Number(process.hrtime.bigint() - t0) / 1e6;
      }
    };
    for (let i = 0; i < 1000; i++) {
      // Each move lands on its own free slot past the end of the track (overlap checks included).
      starts.push(performance.now());
      const cpu0 = process.cpuUsage();
      const [ms] = time(() => session.edit('clip.move', { clipId: `clip${(i * 2) % CLIPS}`, startFlicks: (CLIPS + i * 2) * len }));
      const cpu = process.cpuUsage(cpu0);
      edits.push(ms);
      commitMs.push(lastCommit);
      // CPU time of the edit (this process, all threads): what it costs with no one else on the machine.
      editCpu.push((cpu.user + cpu.system) / 1000);
    }
    await new Promise((r) => setTimeout(r, 50));
    obs.disconnect();
    const withGc = edits.map((ms, i) => gcs.some((g) => g.start < starts[i]! + ms && g.end > starts[i]!));
    // The commit's disk part. Each edit appends its dirty pages to the WAL (synchronous=NORMAL: no
    // fsync per commit); SQLite folds the WAL back into the database inside whichever commit
    // crosses wal_autocheckpoint pages, and that checkpoint fsyncs the WAL and the database file.
    // Its wall time beyond its CPU time is the disk, not the code.
    store.commit = commit;
    const walFile = path.join(dir, `${PROJECT_FILE}-wal`);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const walEdits = 600;
    for (let i = 0; i < walEdits; i++) session.edit('clip.move', { clipId: `clip${(i * 2) % CLIPS}`, startFlicks: (CLIPS * 5 + i * 2) * len });
    const walBytes = fs.statSync(walFile).size;
    const ckCpu0 = process.cpuUsage();
    const [ckMs] = time(() => store.db.pragma('wal_checkpoint(PASSIVE)'));
    const ckCpu = process.cpuUsage(ckCpu0);
    const autoPages = store.db.pragma('wal_autocheckpoint', { simple: true }) as number;
    const pageSize = store.db.pragma('page_size', { simple: true }) as number;
    const bytesPerEdit = walBytes / walEdits;
    const rawUpdates: number[] = [];
    const upd = store.db.prepare('UPDATE clips SET start_flicks = ? WHERE id = ?');
    const txn = store.db.transaction((v: number, id: string) => upd.run(v, id));
    for (let i = 0; i < 200; i++) txn(i, `clip${(i * 2) % CLIPS}`);
    for (let i = 0; i < 1000; i++) rawUpdates.push(time(() => txn(i * 1000, `clip${(i * 2) % CLIPS}`))[0]);
    await session.close();

    const med = (xs: number[]) => percentile(xs, 50);
    const p99 = percentile(edits, 99);
    const slow = edits.map((ms, i) => [ms, i] as const).filter(([ms]) => ms >= p99);
    const noGc = edits.filter((_, i) => !withGc[i]);
    const load = os.loadavg()[0]!.toFixed(1);
    const cores = os.cpus().length;
    const slowCommit = slow.map(([, i]) => commitMs[i]!);
    const slowRest = slow.map(([ms, i]) => ms - commitMs[i]!);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    console.log(
      `store edit tail, the ${slow.length} slowest edits: ${sum(slowCommit).toFixed(1)} ms in the SQLite commit, ${sum(slowRest).toFixed(1)} ms in the rest (command, patch, history); ` +
        `all 1000: commit p50 ${percentile(commitMs, 50).toFixed(3)} ms / p99 ${percentile(commitMs, 99).toFixed(3)} ms.`,
    );
    // With more runnable processes than cores, a sub-millisecond edit is preempted now and then
    // for a whole time slice: the wall p99 then measures the scheduler, not the store.
    if (os.loadavg()[0]! > cores / 2)
      console.log(
        `store edit p99: the machine is busy (load ${load} on ${cores} cores), so the wall-clock p99 cannot show whether ≤ 2 ms holds; ` +
          `the p99 of CPU time per edit (${percentile(editCpu, 99).toFixed(3)} ms) is the figure to read. Rerun on a quiet machine (load < ${cores / 2}).`,
      );
    console.log(
      `store edit tail (load ${load}): ${gcs.length} GCs during 1000 edits (${gcs.filter((g) => g.kind === 4).length} full mark-compact); ` +
        `${slow.filter(([, i]) => withGc[i]).length} of the ${slow.length} edits at or above p99 overlapped a GC; ` +
        `p99 of edits without a GC ${percentile(noGc, 99).toFixed(3)} ms; p99 of CPU time per edit ${percentile(editCpu, 99).toFixed(3)} ms ` +
        `(p50 ${percentile(editCpu, 50).toFixed(3)} ms). Wall beyond CPU is the scheduler: on a loaded machine the process is preempted mid-edit.`,
    );
    console.log(
      `store commit and the disk: an edit appends ${(bytesPerEdit / 1024).toFixed(1)} KB to the WAL (${(bytesPerEdit / pageSize).toFixed(1)} pages), so SQLite's autocheckpoint ` +
        `(${autoPages} pages) lands in one edit of every ~${Math.round((autoPages * pageSize) / bytesPerEdit)}; a checkpoint of ${Math.round(walBytes / pageSize)} pages took ${ckMs.toFixed(1)} ms wall, ` +
        `${((ckCpu.user + ckCpu.system) / 1000).toFixed(1)} ms CPU here (the rest is fsync: the disk). Idle checkpoints (1 s after the last edit) keep it out of ordinary editing.`,
    );
    return [
      { name: `store: open ${SHOTS} shots + ${CLIPS} clips (median of 7)`, value: med(opens), unit: 'ms', baseline: med(raws), baselineName: 'raw SELECT of the same rows', target: '≤ 100 ms' },
      { name: 'store: one edit committed, p50', value: med(edits), unit: 'ms', baseline: med(rawUpdates), baselineName: 'raw one-row UPDATE txn, p50' },
      { name: `store: one edit committed, p99 (1000 edits, load ${load})`, value: p99, unit: 'ms', baseline: percentile(rawUpdates, 99), baselineName: 'raw one-row UPDATE txn, p99', target: '≤ 2 ms' },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) printTable(await runStoreBench());
