/**
 * bin/cli-entry.mjs: the `shotline` command runs the prebuilt bundle only while every source
 * file that went into it is unchanged, and the TypeScript sources otherwise. A wrong answer here
 * runs old code after an edit (or never uses the bundle), so each way it can be stale is checked.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseCliEntry } from '../../../bin/cli-entry.mjs';

let root: string;
const builtAt = Date.parse('2026-11-26T12:00:00Z');
const before = new Date(builtAt - 60_000);
const after = new Date(builtAt + 60_000);

function write(rel: string, text: string, mtime: Date): void {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  fs.utimesSync(file, mtime, mtime);
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-cli-entry-'));
  write('main/cli/main.ts', 'main', before);
  write('app/x.ts', 'x', before);
  write('dist/cli/main.mjs', 'bundle', after);
  write('dist/cli/manifest.json', JSON.stringify({ builtAt, entry: 'main.mjs', inputs: ['main/cli/main.ts', 'app/x.ts'] }), after);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('chooseCliEntry', () => {
  it('runs the bundle when every input is older than the build', () => {
    expect(chooseCliEntry(root, {})).toEqual({ kind: 'bundle', file: path.join(root, 'dist/cli/main.mjs') });
  });

  it('runs the sources when an input changed after the build, and says which', () => {
    fs.utimesSync(path.join(root, 'app/x.ts'), after, after);
    const e = chooseCliEntry(root, {});
    expect(e.kind).toBe('source');
    expect(e.file).toBe(path.join(root, 'main/cli/main.ts'));
    expect(e.kind === 'source' && e.reason).toMatch(/app\/x\.ts changed/);
  });

  it('keeps the bundle for a file touched but unchanged since the build (a rebase), by its SHA-256', () => {
    const sha = (t: string) => crypto.createHash('sha256').update(t).digest('hex');
    write('dist/cli/manifest.json', JSON.stringify({ builtAt, entry: 'main.mjs', inputs: ['main/cli/main.ts', 'app/x.ts'], hashes: { 'main/cli/main.ts': sha('main'), 'app/x.ts': sha('x') } }), after);
    fs.utimesSync(path.join(root, 'app/x.ts'), after, after);
    expect(chooseCliEntry(root, {}).kind).toBe('bundle');
    write('app/x.ts', 'y', after); // the text differs: stale
    expect(chooseCliEntry(root, {})).toMatchObject({ kind: 'source', reason: expect.stringMatching(/app\/x\.ts changed/) });
    write('app/x.ts', 'x', before);
    write('main/cli/main.ts', 'main', after); // touched, and kept without a hash: stale
    write('dist/cli/manifest.json', JSON.stringify({ builtAt, entry: 'main.mjs', inputs: ['main/cli/main.ts', 'app/x.ts'], hashes: { 'app/x.ts': sha('x') } }), after);
    expect(chooseCliEntry(root, {}).kind).toBe('source');
  });

  it('treats a change within the build millisecond as newer', () => {
    const same = new Date(builtAt);
    fs.utimesSync(path.join(root, 'main/cli/main.ts'), same, same);
    expect(chooseCliEntry(root, {}).kind).toBe('source');
  });

  it('runs the sources when an input is gone, the bundle is missing, or there is no manifest', () => {
    fs.rmSync(path.join(root, 'app/x.ts'));
    expect(chooseCliEntry(root, {})).toMatchObject({ kind: 'source', reason: expect.stringMatching(/app\/x\.ts is gone/) });
    write('app/x.ts', 'x', before);
    fs.rmSync(path.join(root, 'dist/cli/main.mjs'));
    expect(chooseCliEntry(root, {})).toMatchObject({ kind: 'source', reason: expect.stringMatching(/incomplete/) });
    fs.rmSync(path.join(root, 'dist'), { recursive: true });
    expect(chooseCliEntry(root, {})).toMatchObject({ kind: 'source', reason: expect.stringMatching(/no CLI bundle/) });
  });

  it('SHOTLINE_CLI=source always runs the sources; =bundle refuses a stale bundle with the fix', () => {
    expect(chooseCliEntry(root, { SHOTLINE_CLI: 'source' }).kind).toBe('source');
    expect(chooseCliEntry(root, { SHOTLINE_CLI: 'bundle' }).kind).toBe('bundle');
    fs.utimesSync(path.join(root, 'app/x.ts'), after, after);
    expect(() => chooseCliEntry(root, { SHOTLINE_CLI: 'bundle' })).toThrow(/app\/x\.ts changed.*npm run build/);
    expect(() => chooseCliEntry(root, { SHOTLINE_CLI: 'fast' })).toThrow(/must be "source" or "bundle"/);
  });
});
