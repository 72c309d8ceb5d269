// `npm run typecheck`: one TypeScript program per layer, so the compiler enforces what each
// layer may use (docs/ARCHITECTURE.md), plus the root program for tests, benchmarks and scripts.
//   tsconfig.app.json       app/: no DOM, no Node types
//   tsconfig.renderer.json  renderer/: DOM, no Node
//   tsconfig.node.json      main/ + native/: Node, no DOM
//   tsconfig.json           tests/, bench/, build/, configs: both
// Two at a time (this is a 2-core machine's worth); incremental state in .cache/tsc/, so a
// second run only re-checks what changed. Prints each program's time.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const projects = ['tsconfig.app.json', 'tsconfig.renderer.json', 'tsconfig.node.json', 'tsconfig.json'];
const only = process.argv.slice(2);
const queue = projects.filter((p) => !only.length || only.includes(p));
const jobs = Math.max(1, Number(process.env.TYPECHECK_JOBS ?? 2));
const t0 = Date.now();
let failed = 0;

function run(project) {
  return new Promise((resolve) => {
    const start = Date.now();
    const child = spawn(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      if (code !== 0) failed++;
      process.stdout.write(out);
      console.log(`typecheck ${project}: ${code === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - start) / 1000).toFixed(1)} s`);
      resolve();
    });
  });
}

async function worker() {
  for (let p = queue.shift(); p; p = queue.shift()) await run(p);
}
await Promise.all(Array.from({ length: jobs }, worker));
console.log(`typecheck: ${failed ? `${failed} program(s) failed` : 'all programs ok'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
