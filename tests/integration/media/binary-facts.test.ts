// What ffmpeg answered (-version, -filters) is kept between processes while the binary is
// unchanged (main/media/binary-facts.ts): real ffmpeg behind a wrapper that counts its runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedFact } from '../../../main/media/binary-facts.js';
import { createNativeEngine, findNativeFfmpeg } from '../../../main/media/native-engine.js';
import { whichOnPath } from '../../../main/media/native-find.js';

let dir: string;
let facts: string;
let counter: string;
let real: string;

/** A wrapper named ffmpeg that logs each run's first argument, then runs the real binary. */
function writeWrapper(bin: string, extra = ''): void {
  fs.writeFileSync(bin, `#!/bin/sh\necho "$1" >> '${counter}'\n${extra}exec '${real}' "$@"\n`, { mode: 0o755 });
}
const runs = () => (fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8').trim().split('\n') : []);

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-facts-'));
  facts = path.join(dir, 'home', 'ffmpeg-facts.json');
  counter = path.join(dir, 'runs.txt');
  real = (await whichOnPath('ffmpeg'))!;
  expect(real).toBeTruthy();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('ffmpeg facts kept between processes', () => {
  it('asks the binary once, answers from the file while it is unchanged, and asks again once it changes', async () => {
    const bin = path.join(dir, 'bin-a', 'ffmpeg');
    fs.mkdirSync(path.dirname(bin));
    writeWrapper(bin);
    const first = await findNativeFfmpeg({ ffmpegPath: bin, factsFile: facts });
    expect(first?.version).toMatch(/^\d+\.\d+/);
    expect(runs()).toEqual(['-version']);
    const engine = await createNativeEngine(first!, { factsFile: facts });
    expect(engine.hasFilter('lut3d')).toBe(true);
    expect(engine.hasFilter('no-such-filter')).toBe(false);
    expect(runs()).toEqual(['-version', '-hide_banner']);

    // As a new process would: nothing is run, the answers are the same.
    const again = await findNativeFfmpeg({ ffmpegPath: bin, factsFile: facts });
    expect(again?.version).toBe(first!.version);
    expect(runs()).toHaveLength(2);
    const stored = JSON.parse(fs.readFileSync(facts, 'utf8')) as Record<string, { version: string; filters: string[] }>;
    expect(stored[bin]!.filters).toContain('lut3d');

    // The binary is replaced (size and mtime change): it is asked again.
    writeWrapper(bin, 'true\n');
    await findNativeFfmpeg({ ffmpegPath: bin, factsFile: facts });
    expect(runs()).toEqual(['-version', '-hide_banner', '-version']);
  });

  it('never stores a failed answer, and ignores a damaged file', async () => {
    const bin = path.join(dir, 'ffmpeg');
    fs.writeFileSync(bin, `#!/bin/sh\necho "$1" >> '${counter}'\nexit 1\n`, { mode: 0o755 });
    const ask = () => Promise.resolve(null);
    expect(await cachedFact(facts, bin, 'version', ask)).toBeNull();
    expect(fs.existsSync(facts)).toBe(false);
    // A setting pointing at a broken binary falls through to PATH on every run, not just the first.
    const saved = process.env.PATH;
    process.env.PATH = path.dirname(real);
    try {
      for (let i = 0; i < 2; i++) expect((await findNativeFfmpeg({ ffmpegPath: bin, factsFile: facts }))?.source).toBe('path');
    } finally {
      process.env.PATH = saved;
    }
    expect(runs()).toEqual(['-version', '-version']);

    fs.writeFileSync(facts, '{not json');
    let asked = 0;
    const v = await cachedFact(facts, real, 'version', async () => (asked++, '9.9'));
    expect([v, asked]).toEqual(['9.9', 1]);
    expect(await cachedFact(facts, real, 'version', async () => (asked++, 'other'))).toBe('9.9');
    expect(asked).toBe(1);
  });

  it('asks again when a kept fact has the wrong shape (a hand-edited file)', async () => {
    expect(await cachedFact(facts, real, 'filters', async () => ['lut3d', 'scale'])).toEqual(['lut3d', 'scale']);
    const stored = JSON.parse(fs.readFileSync(facts, 'utf8')) as Record<string, Record<string, unknown>>;
    for (const bad of ['lut3d', [1, 2], null]) {
      stored[real]!.filters = bad;
      fs.writeFileSync(facts, JSON.stringify(stored));
      expect(await cachedFact(facts, real, 'filters', async () => ['asked'])).toEqual(['asked']);
    }
    stored[real]!.version = 7;
    fs.writeFileSync(facts, JSON.stringify(stored));
    expect(await cachedFact(facts, real, 'version', async () => '6.1')).toBe('6.1');
    // The answer asked for replaces the damaged one in the file.
    expect(await cachedFact(facts, real, 'version', async () => 'not asked')).toBe('6.1');
  });
});
