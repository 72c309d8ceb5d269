/**
 * The built-in voice: real espeak-ng writing real WAV files. What a broken backend gets wrong:
 * silence or an empty file, speed ignored, timings outside the audio, a missing binary
 * reported as a crash instead of how to install it, a half-written file left at the target.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EspeakBackend } from '../../../main/speech/espeak.js';
import { readWav } from '../../../main/speech/wav.js';
import { ShotlineError } from '../../../app/errors.js';

function rms(samples: Int16Array): number {
  let s = 0;
  for (const v of samples) s += (v / 32768) ** 2;
  return Math.sqrt(s / samples.length);
}

describe('espeak-ng speech backend', () => {
  let tmp: string;
  let espeak: EspeakBackend;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-espeak-'));
    espeak = await EspeakBackend.create();
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('speaks a line into a non-silent WAV whose line timing lies inside the audio', async () => {
    const out = path.join(tmp, 'hello.wav');
    const r = await espeak.synthesize({ text: 'The lighthouse keeper climbs the stairs at dawn.', voice: 'en-us', speed: 1 }, { outPath: out });
    const wav = readWav(fs.readFileSync(out));
    expect(wav.durationSeconds).toBeGreaterThan(1.5);
    expect(wav.durationSeconds).toBeLessThan(6);
    expect(r.durationSeconds).toBeCloseTo(wav.durationSeconds, 3);
    expect(rms(wav.samples)).toBeGreaterThan(0.02);
    expect(r.timings).toHaveLength(1);
    const t = r.timings[0]!;
    expect(t.start).toBeGreaterThanOrEqual(0);
    expect(t.end).toBeGreaterThan(t.start + 1);
    expect(t.end).toBeLessThanOrEqual(wav.durationSeconds + 1e-9);
    // Only the target is left in the folder (no partial beside it).
    expect(fs.readdirSync(tmp)).toEqual(['hello.wav']);
  });

  it('speed 2 speaks the same line in well under the time; voices differ', async () => {
    const text = 'One, two, three, four, five, six, seven, eight, nine, ten.';
    const slow = await espeak.synthesize({ text, voice: 'en-us', speed: 1 }, { outPath: path.join(tmp, 's1.wav') });
    const fast = await espeak.synthesize({ text, voice: 'en-us', speed: 2 }, { outPath: path.join(tmp, 's2.wav') });
    const ratio = fast.timings[0]!.end / slow.timings[0]!.end;
    expect(ratio).toBeGreaterThan(0.2); // espeak-ng also shortens its pauses when fast
    expect(ratio).toBeLessThan(0.7);
    const female = await espeak.synthesize({ text, voice: 'en-us+f3', speed: 1 }, { outPath: path.join(tmp, 'f.wav') });
    expect(fs.readFileSync(female.path).equals(fs.readFileSync(slow.path))).toBe(false);
  });

  it('a line starting with "-" is text, not an option', async () => {
    const r = await espeak.synthesize({ text: '--help me, please', voice: null, speed: 1 }, { outPath: path.join(tmp, 'dash.wav') });
    expect(r.timings[0]!.end - r.timings[0]!.start).toBeGreaterThan(0.5);
  });

  it('refuses empty text, unknown voices, out-of-range speed and cloning with a reason', async () => {
    const out = path.join(tmp, 'bad.wav');
    await expect(espeak.synthesize({ text: '   ', voice: null, speed: 1 }, { outPath: out })).rejects.toThrow(/no text/);
    await expect(espeak.synthesize({ text: 'hi', voice: 'klingon', speed: 1 }, { outPath: out })).rejects.toThrow(/no voice "klingon"/);
    await expect(espeak.synthesize({ text: 'hi', voice: null, speed: 9 }, { outPath: out })).rejects.toThrow(/Speed 9/);
    await expect(espeak.synthesize({ text: 'hi', voice: null, speed: 1, voiceSample: { path: '/x.wav', cameoId: 'c1' } }, { outPath: out })).rejects.toThrow(/cloned voice/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('a missing espeak-ng is a clear error that says how to install it', async () => {
    const e = await EspeakBackend.create(path.join(tmp, 'no-such-espeak')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ShotlineError);
    expect((e as ShotlineError).message).toMatch(/needs espeak-ng, which was not found/);
    expect((e as ShotlineError).hint).toMatch(/apt install espeak-ng/);
  });

  it('cancel stops it and leaves nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    const out = path.join(tmp, 'canceled.wav');
    await expect(espeak.synthesize({ text: 'never said', voice: null, speed: 1 }, { outPath: out, signal: ac.signal })).rejects.toMatchObject({ code: 'canceled' });
    expect(fs.existsSync(out)).toBe(false);
  });

  it('cancel during a long run kills its whole process group: no espeak-ng, no child of it is left', async () => {
    // A long run: real espeak-ng, then a child that outlives it (as a slow or wedged synthesizer
    // would). Killing only the direct child would leave that grandchild running.
    const pids = path.join(tmp, 'pids');
    const slow = path.join(tmp, 'slow-espeak');
    fs.writeFileSync(slow, `#!/bin/sh\necho $$ >> '${pids}'\nespeak-ng "$@" || exit $?\ncase "$1" in --*) exit 0;; esac\nsleep 600 &\necho $! >> '${pids}'\nwait\n`, { mode: 0o755 });
    const backend = await EspeakBackend.create(slow);
    fs.writeFileSync(pids, '');
    const ac = new AbortController();
    const out = path.join(tmp, 'long.wav');
    const run = backend.synthesize({ text: 'A long line that is never finished.', voice: null, speed: 1 }, { outPath: out, signal: ac.signal });
    while (fs.readFileSync(pids, 'utf8').trim().split('\n').length < 2) await new Promise((r) => setTimeout(r, 50));
    const started = fs.readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    ac.abort();
    await expect(run).rejects.toMatchObject({ code: 'canceled' });
    // Gone or a zombie waiting for init to reap it: either way no longer running.
    const running = (pid: number) => {
      try {
        return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && started.some(running); i++) await new Promise((r) => setTimeout(r, 50));
    expect(started.filter(running)).toEqual([]);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(tmp).filter((f) => f.includes('partial'))).toEqual([]);
  }, 60_000);
});
