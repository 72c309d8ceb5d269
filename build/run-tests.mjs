// `npm test`: lint (layering), typecheck, unit + integration tests (vitest), renderer build and
// CLI bundle (what `npm run build` makes), end-to-end tests (Playwright in Debian Chromium against
// `shotline studio`, which runs from that bundle). Vitest runs before the bundle exists, so the
// CLI tests there run the sources through tsx, as in a fresh clone.
// Ends with one plain "N passed, N failed" line summing both runners.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const results = 'test-results';
fs.mkdirSync(results, { recursive: true });
const steps = [
  ['lint', 'npx', ['eslint', '.']],
  ['typecheck', 'node', ['build/typecheck.mjs']],
  ['vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${results}/vitest.json`]],
  ['build', 'npx', ['vite', 'build', '--config', 'build/vite.renderer.config.ts', '--logLevel', 'warn']],
  ['cli-bundle', 'node', ['build/build-cli.mjs']],
  ['e2e', 'npx', ['playwright', 'test']],
];
const only = process.argv.slice(2);
let failedSteps = [];
for (const [name, cmd, args] of steps) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  console.log(`=== ${name}: ${r.status === 0 ? 'ok' : `FAILED (exit ${r.status})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (r.status !== 0) failedSteps.push(name);
  if (r.status !== 0 && (name === 'build' || name === 'cli-bundle')) break; // e2e needs the build
}

function count(file, pick) {
  try {
    return pick(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    return { passed: 0, failed: 0, skipped: 0 };
  }
}
const v = count(`${results}/vitest.json`, (j) => ({ passed: j.numPassedTests, failed: j.numFailedTests, skipped: j.numPendingTests + (j.numTodoTests ?? 0) }));
const e = count(`${results}/e2e.json`, (j) => ({ passed: j.stats.expected, failed: j.stats.unexpected + (j.stats.flaky ?? 0) * 0, skipped: j.stats.skipped }));
const passed = v.passed + e.passed;
const failed = v.failed + e.failed + failedSteps.filter((s) => s === 'lint' || s === 'typecheck' || s === 'build' || s === 'cli-bundle').length;
console.log(`\nvitest: ${v.passed} passed, ${v.failed} failed; e2e: ${e.passed} passed, ${e.failed} failed; steps failed: ${failedSteps.join(', ') || 'none'}`);
console.log(`${passed} passed, ${failed} failed, ${v.skipped + e.skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
