#!/usr/bin/env node
// The `shotline` command. It runs the prebuilt bundle dist/cli/main.mjs when `npm run build`
// made one and no source changed since, and otherwise the TypeScript sources through tsx, so
// the CLI, the studio server and the tests always execute the code on disk (bin/cli-entry.mjs
// says how it decides; SHOTLINE_CLI=source|bundle picks one).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chooseCliEntry } from './cli-entry.mjs';

let entry;
try {
  entry = chooseCliEntry(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));
} catch (e) {
  process.stderr.write(`shotline: ${e.message}\n`);
  process.exit(2);
}
if (entry.kind === 'source') (await import('tsx/esm/api')).register();
await import(pathToFileURL(entry.file).href);
