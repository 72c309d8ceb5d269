/**
 * Where a V8 CPU profile's time went, by function (self time) and by renderer module
 * (inclusive of callees): `npx tsx bench/profile-summary.ts /tmp/p-2000-split-undo.cpuprofile`.
 * The profiles come from `SCALE_PROFILE=/tmp/p npm run bench -- scale`; build the renderer
 * with `--minify false` first so the names are readable.
 */
import fs from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top=25]');
const top = Number(process.argv[3] ?? 25);
const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop() ?? ''}:${n.callFrame.lineNumber + 1}`;

const self = new Map<string, number>();
const incl = new Map<string, number>();
let total = 0;
p.samples.forEach((id, i) => {
  const dt = (p.timeDeltas[i] ?? 0) / 1000;
  total += dt;
  const n = byId.get(id)!;
  self.set(label(n), (self.get(label(n)) ?? 0) + dt);
  // Inclusive: each distinct function on the stack once.
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur)!);
    if (seen.has(l)) continue;
    seen.add(l);
    incl.set(l, (incl.get(l) ?? 0) + dt);
  }
});
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title} (of ${total.toFixed(0)} ms profiled)`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${v.toFixed(1).padStart(9)} ms  ${k}`);
};
show('self time', self);
show('inclusive time', incl);
