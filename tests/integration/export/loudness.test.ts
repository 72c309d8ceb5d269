/**
 * Loudness targets, measured on the exported files with ffmpeg's own ebur128 (not with the
 * code under test): integrated within ±1 LU of the target and true peak ≤ −1 dBTP, for a quiet
 * source, a loud one and one that clips; the target is on the whole mix (a timeline made of a
 * quiet and a loud clip keeps their difference), and on the joined mix of a segmented export.
 * 'off' leaves the mix alone. The meter agrees with ffmpeg run on the same mix by hand.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Asset, ProjectState } from '../../../app/model/types.js';
import { compileRenderPlan } from '../../../app/render/plan.js';
import { meterMix } from '../../../main/export/loudness.js';
import { runExport } from '../../../main/export/run-export.js';
import type { FfmpegEngine } from '../../../main/media/engine.js';
import { FFMPEG, makeTempDir } from '../../helpers/media-fixtures.js';
import { assetFor, clip, native, project, rms, decodeMono } from './helpers.js';

function ffmpeg(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(FFMPEG, ['-hide_banner', '-nostdin', ...args], { maxBuffer: 64 << 20 }, (e, _o, err) => (e ? reject(new Error(String(err).slice(-1500))) : resolve(String(err)))),
  );
}

/** ebur128 of a file, by ffmpeg alone: integrated LUFS and true peak dBTP. */
async function measure(file: string): Promise<{ I: number; TP: number }> {
  const log = await ffmpeg(['-i', file, '-map', '0:a:0', '-af', 'ebur128=peak=true', '-f', 'null', '-']);
  const tail = log.slice(log.lastIndexOf('Summary:'));
  return { I: Number(/I:\s*(-?[\d.]+) LUFS/.exec(tail)![1]), TP: Number(/Peak:\s*(-?[\d.]+|-inf) dBFS/.exec(tail)![1]) };
}

let tmp: { dir: string; cleanup: () => Promise<void> };
let engine: FfmpegEngine;
const assets: Record<string, Asset> = {};

/** Sources, 8 s of stereo sound: speech-like (modulated tones + noise) at three levels (noise seeded: the same file every run). */
const SOURCES: Record<string, string> = {
  // About −64 LUFS: a quiet room tone with a tone on top.
  quiet: 'sine=f=330:sample_rate=48000,volume=0.006[a];anoisesrc=color=pink:amplitude=0.004:sample_rate=48000:seed=11[b];[a][b]amix=normalize=0,tremolo=f=3:d=0.6',
  // Loud pink noise, pushed into the 16-bit ceiling.
  loud: 'anoisesrc=color=pink:amplitude=1:sample_rate=48000:seed=12,volume=2,tremolo=f=2:d=0.5',
  // A sine driven 12 dB past full scale and hard-clipped at ±1: a square-ish wave whose true peak is over 0 dBTP.
  clipping: 'aevalsrc=exprs=clip(4*sin(2*PI*997*t)\\,-1\\,1):s=48000',
};

beforeAll(async () => {
  tmp = await makeTempDir('shotline-loudness-');
  engine = await native();
  fs.mkdirSync(path.join(tmp.dir, 'media'));
  for (const [name, graph] of Object.entries(SOURCES)) {
    const rel = `media/${name}.wav`;
    await ffmpeg(['-y', '-filter_complex', `${graph},aformat=channel_layouts=stereo,atrim=duration=8[out]`, '-map', '[out]', '-c:a', 'pcm_s16le', path.join(tmp.dir, rel)]);
    assets[name] = { ...(await assetFor(tmp.dir, name, rel)), kind: 'audio' };
  }
}, 120_000);
afterAll(() => tmp?.cleanup());

function audioOnly(name: string, clips: ReturnType<typeof clip>[]): ProjectState {
  return project(name, Object.values(assets), clips);
}

async function exportAs(state: ProjectState, preset: string, file: string, extra: { maxInputsPerRun?: number; loudness?: 'web' | 'broadcast' | 'off' } = {}) {
  const outPath = path.join(tmp.dir, 'out', file);
  fs.mkdirSync(path.dirname(outPath), { recursive: true });
  const r = await runExport({ state, projectDir: tmp.dir, engine, presetId: preset, fit: 'fit', outPath, overwrite: true, ...extra });
  return { r, m: await measure(outPath), outPath };
}

describe('export loudness targets (measured on the exported file)', () => {
  for (const name of ['quiet', 'loud', 'clipping'] as const) {
    it(`9:16 (web, −14 LUFS / −1 dBTP): ${name} source`, async () => {
      const before = await measure(path.join(tmp.dir, `media/${name}.wav`));
      const { r, m } = await exportAs(audioOnly(name, [clip('c', 'a1', name, 0, 0, 8)]), 'vertical-1080', `web-${name}.mp4`);
      console.log(`${name}: source I ${before.I} LUFS TP ${before.TP} dBTP → export I ${m.I} LUFS TP ${m.TP} dBTP (${r.loudness?.measured ? 'measured' : 'silent'})`);
      expect(Math.abs(m.I - -14)).toBeLessThanOrEqual(1);
      expect(m.TP).toBeLessThanOrEqual(-1);
      expect(r.loudness?.target).toBe('web');
      // The source was far from the target: the pass really did something.
      expect(Math.abs(before.I - -14)).toBeGreaterThan(3);
    }, 180_000);
  }

  it('broadcast (EBU R128, −23 LUFS / −1 dBTP): the clipping source', async () => {
    const { m } = await exportAs(audioOnly('b', [clip('c', 'a1', 'clipping', 0, 0, 8)]), 'broadcast-1080', 'broadcast.mp4');
    expect(Math.abs(m.I - -23)).toBeLessThanOrEqual(1);
    expect(m.TP).toBeLessThanOrEqual(-1);
  }, 180_000);

  it('the target is on the whole mix: a quiet clip then a loud one keep their difference', async () => {
    const st = audioOnly('mix', [clip('q', 'a1', 'quiet', 0, 0, 4), clip('l', 'a1', 'loud', 4, 0, 4)]);
    const { m, outPath } = await exportAs(st, 'vertical-1080', 'mix.mp4');
    expect(Math.abs(m.I - -14)).toBeLessThanOrEqual(1);
    expect(m.TP).toBeLessThanOrEqual(-1);
    const x = await decodeMono(outPath);
    const q = rms(x, 48000 * 1, 48000 * 3);
    const l = rms(x, 48000 * 5, 48000 * 7);
    // Per-clip normalisation would bring both to the same level; the mix's keeps the ~30 dB between them.
    expect(20 * Math.log10(l / q)).toBeGreaterThan(20);
  }, 180_000);

  it('a segmented export (more inputs than one run opens) normalises the joined mix', async () => {
    const clips = [0, 1, 2, 3].map((i) => clip(`s${i}`, 'a1', i % 2 ? 'clipping' : 'loud', i * 2, 0, 2));
    const { m } = await exportAs(audioOnly('seg', clips), 'vertical-1080', 'segmented.mp4', { maxInputsPerRun: 2 });
    expect(Math.abs(m.I - -14)).toBeLessThanOrEqual(1);
    expect(m.TP).toBeLessThanOrEqual(-1);
  }, 240_000);

  it("'off' leaves the mix as it is", async () => {
    const before = await measure(path.join(tmp.dir, 'media/quiet.wav'));
    const { r, m } = await exportAs(audioOnly('off', [clip('c', 'a1', 'quiet', 0, 0, 8)]), 'vertical-1080', 'off.mp4', { loudness: 'off' });
    expect(r.loudness).toBeUndefined();
    expect(Math.abs(m.I - before.I)).toBeLessThan(0.5);
  }, 180_000);

  it('the wasm engine (where no native ffmpeg exists) measures and normalises too', async () => {
    const { createWasmEngine } = await import('../../../main/media/wasm-engine.js');
    const wasm = await createWasmEngine();
    const outPath = path.join(tmp.dir, 'out', 'wasm.mp4');
    fs.mkdirSync(path.dirname(outPath), { recursive: true });
    const r = await runExport({ state: audioOnly('wasm', [clip('c', 'a1', 'quiet', 0, 0, 4)]), projectDir: tmp.dir, engine: wasm, presetId: '720p-draft', loudness: 'web', fit: 'fit', outPath, overwrite: true });
    const m = await measure(outPath);
    expect(r.loudness?.measured?.integrated).toBeLessThan(-40);
    expect(Math.abs(m.I - -14)).toBeLessThanOrEqual(1);
    expect(m.TP).toBeLessThanOrEqual(-1);
  }, 240_000);

  it('the meter reads what ffmpeg reads on the same mix', async () => {
    const st = audioOnly('meter', [clip('q', 'a1', 'quiet', 0, 0, 4), clip('l', 'a1', 'loud', 4, 0, 4, { volume: 0.5 })]);
    const plan = compileRenderPlan(st, { width: 1080, height: 1920, fit: 'fit' });
    const fractions: number[] = [];
    const rep = await meterMix({ plan, engine, resolvePath: (a) => path.join(tmp.dir, a), onProgress: (f) => fractions.push(f) });
    // The same mix by hand: quiet 0–4 s, then loud at half volume.
    const mixed = path.join(tmp.dir, 'out', 'meter-ref.wav');
    await ffmpeg(['-y', '-i', path.join(tmp.dir, 'media/quiet.wav'), '-i', path.join(tmp.dir, 'media/loud.wav'), '-filter_complex', '[0:a]atrim=0:4[q];[1:a]atrim=0:4,volume=0.5,adelay=4000:all=1[l];[q][l]amix=normalize=0:duration=longest[m]', '-map', '[m]', mixed]);
    const ref = await measure(mixed);
    expect(Math.abs(rep.integrated - ref.I)).toBeLessThanOrEqual(0.3);
    expect(Math.abs(rep.truePeak - ref.TP)).toBeLessThanOrEqual(0.3);
    // The loud half's 3-second windows are louder than the whole.
    expect(rep.shortTermMax).toBeGreaterThan(rep.integrated);
    expect(rep.lra).toBeGreaterThan(5);
    expect(rep.durationSeconds).toBeCloseTo(8, 5);
    expect(fractions.at(-1)).toBe(1);
  }, 120_000);
});
