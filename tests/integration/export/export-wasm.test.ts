/**
 * The wasm engine (the fallback where no native ffmpeg exists) runs the same arguments:
 * a tiny 1 s 320x240 timeline must come out right through it too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FfmpegEngine } from '../../../main/media/engine.js';
import { runExport } from '../../../main/export/run-export.js';
import { ffprobeJson, makeTempDir, makeTestVideo } from '../../helpers/media-fixtures.js';
import { assetFor, clip, decodeMono, dominantHz, partialsIn, project, psnrAgainstSource, SD_TO_709 } from './helpers.js';

const WASM_MODULE = path.resolve(import.meta.dirname, '../../../main/media/wasm-engine.ts');
const haveWasm = fs.existsSync(WASM_MODULE);
if (!haveWasm) console.warn(`Skipping the wasm export test: ${WASM_MODULE} does not exist yet.`);

let tmp: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  tmp = await makeTempDir('shotline-export-wasm-');
}, 60_000);

afterAll(async () => {
  await tmp?.cleanup();
});

describe.skipIf(!haveWasm)('export through the wasm engine', () => {
  it('exports a 1 s 320x240 timeline: streams, duration, picture and tone', async () => {
    // Imported by path at run time so this file still loads while the module is missing.
    const { createWasmEngine } = (await import(WASM_MODULE)) as { createWasmEngine: () => Promise<FfmpegEngine> };
    const engine = await createWasmEngine();
    fs.mkdirSync(path.join(tmp.dir, 'media'));
    await makeTestVideo({ path: path.join(tmp.dir, 'media/src.mp4'), seconds: 1.5, width: 320, height: 240, fps: 30, toneHz: 660, withAudio: true });
    const asset = await assetFor(tmp.dir, 'src', 'media/src.mp4');
    const state = project('Wasm', [asset], [clip('c1', 'v1', 'src', 0, 0.2, 1.2)]);
    const outPath = path.join(tmp.dir, 'wasm.mp4');
    const res = await runExport({ state, projectDir: tmp.dir, engine, presetId: '720p-draft', fit: 'fit', outPath, overwrite: false });
    expect(res.bytes).toBe(fs.statSync(outPath).size);
    expect(partialsIn(tmp.dir)).toEqual([]);

    const probe = await ffprobeJson(outPath);
    const v = probe.streams.find((x) => x.codec_type === 'video')!;
    const a = probe.streams.find((x) => x.codec_type === 'audio')!;
    expect(v).toMatchObject({ codec_name: 'h264', width: 1280, height: 720 });
    expect(a).toMatchObject({ codec_name: 'aac', channels: 2, sample_rate: '48000' });
    expect(Number(v.nb_frames)).toBe(30);
    expect(Math.abs(Number(probe.format.duration) - 1)).toBeLessThanOrEqual(1 / 30);

    // Frame 15 of the export is source frame 0.2 s * 30 + 15 = 21.
    const psnr = await psnrAgainstSource(outPath, 15, path.join(tmp.dir, 'media/src.mp4'), 21, `${SD_TO_709}scale=1280:720:force_original_aspect_ratio=decrease:force_divisible_by=2,setsar=1,pad=1280:720:(ow-iw)/2:(oh-ih)/2:color=black`);
    expect(psnr).toBeGreaterThanOrEqual(35);
    const samples = await decodeMono(outPath);
    expect(dominantHz(samples, 4800, 43200)).toBeCloseTo(660, -1);
  }, 180_000);
});
