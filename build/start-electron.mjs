// `npm start`: build and open the desktop app, or explain how to use studio mode when the
// Electron binary is not installed (it cannot be downloaded on every machine).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let electronBinary = null;
try {
  electronBinary = require('electron');
} catch {
  /* binary missing */
}
if (typeof electronBinary !== 'string') {
  console.error('The Electron binary is not installed on this machine, so the desktop window cannot open.');
  console.error('Run the same app in your browser instead:  npm run studio');
  process.exit(1);
}
for (const args of [['run', 'build'], ['run', 'build:electron']]) {
  const r = spawnSync('npm', args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const r = spawnSync(electronBinary, ['.'], { stdio: 'inherit' });
process.exit(r.status ?? 0);
