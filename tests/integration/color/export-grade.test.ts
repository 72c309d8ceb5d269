/**
 * Export of a graded clip, measured independently: the exported frame (decoded by plain
 * ffmpeg) against the source frame graded on the CPU with the same compiled LUT. Also: the
 * LUT cache, .cube import into the project, a project path that needs filter escaping,
 * a missing LUT, and the wasm engine (extraInputs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGrade } from '../../../app/color/compile.js';
import { parseCube, writeCube } from '../../../app/color/cube.js';
import { gradeKey } from '../../../app/color/hash.js';
import { applyLutRgba8 } from '../../../app/color/interp.js';
import type { ColorGrade, LutRef } from '../../../app/model/color.js';
import type { ProjectState } from '../../../app/model/types.js';
import { runExport } from '../../../main/export/run-export.js';
import { prepareLutFiles } from '../../../main/export/lut-cache.js';
import { backfillColorTags } from '../../../main/export/color-tags.js';
import { lut3dStages, toRgbFilter } from '../../../app/render/color-stage.js';
import { compileRenderPlan } from '../../../app/render/plan.js';
import type { FfmpegEngine } from '../../../main/media/engine.js';
import { importLut } from '../../../main/services/import-lut.js';
import { decodeRgb24, makeGradientVideo, psnr, randomGrade, tealOrangeCube } from '../../helpers/color.js';
import { ffmpeg, makeTempDir } from '../../helpers/media-fixtures.js';
import { assetFor, clip, native, project } from '../export/helpers.js';

const W = 1280;
const H = 720;
let tmp: { dir: string; cleanup: () => Promise<void> };
/** A project folder whose path needs escaping inside a filter graph. */
let dir: string;
let src: string;
let lutRef: LutRef;
let grade: ColorGrade;
let state: ProjectState;

beforeAll(async () => {
  tmp = await makeTempDir('shotline-grade-export-');
  dir = path.join(tmp.dir, "it's a film, [graded]; take:2");
  fs.mkdirSync(path.join(dir, 'media'), { recursive: true });
  src = makeGradientVideo(path.join(dir, 'media', 'src.mp4'), { width: W, height: H, seconds: 1 });
  const cubeFile = path.join(tmp.dir, 'Teal Orange.cube');
  fs.writeFileSync(cubeFile, tealOrangeCube(17));
  lutRef = await importLut(dir, { filePath: cubeFile, name: 'Teal Orange.cube' });
  grade = randomGrade(42, lutRef);
  const asset = await assetFor(dir, 'src', 'media/src.mp4');
  state = project('Graded', [asset], [clip('c1', 'v1', 'src', 0, 0, 1, { color: grade })]);
});

afterAll(() => tmp?.cleanup());

/** The source and the export are 720-line and untagged: decoded as BT.709, as a browser does. */
const BT709 = toRgbFilter('bt709');

/** Frame at `t` of the source, graded on the CPU with the compiled LUT of `g`. */
function cpuGraded(g: ColorGrade, t: number): Uint8Array {
  const lut = parseCube(writeCube(compileGrade(g, parseCube(fs.readFileSync(path.join(dir, g.lut!.path), 'utf8')))));
  const rgb = decodeRgb24(src, { seconds: t, vf: BT709 });
  const out = new Uint8Array(rgb.length);
  applyLutRgba8(lut, rgb, out, 3);
  return out;
}

async function exportWith(engine: FfmpegEngine, st: ProjectState, name: string, preset = '720p-draft'): Promise<string> {
  const outPath = path.join(tmp.dir, name);
  await runExport({ state: st, projectDir: dir, engine, presetId: preset, fit: 'fit', outPath, overwrite: true });
  return outPath;
}

describe('exporting a graded clip', () => {
  it('imports the .cube content-addressed into media/luts', () => {
    expect(lutRef).toMatchObject({ name: 'Teal Orange.cube', title: 'Teal Orange Test', size: 17, path: `media/luts/${lutRef.sha256}.cube` });
    expect(fs.readFileSync(path.join(dir, lutRef.path), 'utf8')).toBe(tealOrangeCube(17));
  });

  it('refuses a malformed .cube with its line number and stores nothing', async () => {
    const bad = path.join(tmp.dir, 'bad.cube');
    const lines = tealOrangeCube(17).split('\n');
    lines[20] = '0.5 oops 0.5';
    fs.writeFileSync(bad, lines.join('\n'));
    const before = fs.readdirSync(path.join(dir, 'media/luts'));
    // The line number, never the file's content (a LUT path could be any file: issue 8).
    const err = await importLut(dir, { filePath: bad, name: 'bad.cube' }).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/^"bad\.cube" is not a usable \.cube LUT: line 21: .* is not a number\.$/);
    expect(err?.message).not.toContain('oops');
    fs.writeFileSync(bad, 'LUT_1D_SIZE 4096\n');
    await expect(importLut(dir, { filePath: bad, name: 'bad.cube' })).rejects.toThrow(/line 1: LUT_1D_SIZE: 1D LUTs are not supported/);
    expect(fs.readdirSync(path.join(dir, 'media/luts'))).toEqual(before);
  });

  it('matches the CPU-graded source frame (native engine, escaped project path)', async () => {
    const out = await exportWith(await native(), state, 'graded.mp4');
    // The compiled LUT is cached by content key in the project.
    const cached = path.join(dir, 'media/derived/luts', `${gradeKey(grade)}.cube`);
    expect(fs.existsSync(cached)).toBe(true);
    const lut = parseCube(fs.readFileSync(cached, 'utf8'));
    const expected = compileGrade(grade, parseCube(tealOrangeCube(17)));
    expect(lut.size).toBe(expected.size);
    expect(Array.from(lut.data.slice(0, 300))).toEqual(Array.from(expected.data.slice(0, 300)));

    const t = 0.5 + 0.5 / 30;
    const exported = decodeRgb24(out, { seconds: t, vf: BT709 });
    const reference = cpuGraded(grade, t);
    const ungraded = decodeRgb24(src, { seconds: t, vf: BT709 });
    const db = psnr(exported, 3, reference, 3, W * H);
    const dbUngraded = psnr(exported, 3, ungraded, 3, W * H);
    console.log(`exported vs CPU-graded source: ${db.toFixed(2)} dB (vs ungraded source: ${dbUngraded.toFixed(2)} dB)`);
    expect(db).toBeGreaterThanOrEqual(40);
    expect(dbUngraded).toBeLessThan(30); // the grade really is in the picture
  });

  it('decodes a tagged source by its tag, an untagged one by its height', async () => {
    const tagged = path.join(dir, 'media', 'tagged601.mp4');
    await ffmpeg(['-i', src, '-c:v', 'libx264', '-preset', 'ultrafast', '-colorspace', 'smpte170m', '-t', '0.2', tagged]);
    const [a1, a2] = [await assetFor(dir, 'tagged', 'media/tagged601.mp4'), state.assets.src!];
    const st = project('Tags', [a1, a2], [clip('c1', 'v1', 'tagged', 0, 0, 0.2, { color: grade }), clip('c2', 'v1', 'src', 0.2, 0, 0.2, { color: grade })]);
    // The probe recorded the tag at import: the plan decodes the tagged source by it, the other by its height.
    expect(a1.probe.color).toMatchObject({ matrix: 'smpte170m' });
    const plan = compileRenderPlan(st, { width: 1280, height: 720, fit: 'fit' });
    expect(lut3dStages(plan).map((x) => x.matrix)).toEqual(['bt601', 'bt709']);
    const prepared = await prepareLutFiles(plan, dir, { engine: await native() });
    const lut = path.join(dir, 'media/derived/luts', `${gradeKey(grade)}.cube`);
    expect(prepared).toEqual({ lutFiles: { [gradeKey(grade)]: lut }, files: [lut] });
    const final = compileRenderPlan(st, { width: 1280, height: 720, fit: 'fit' }, { lutFiles: prepared.lutFiles });
    expect(lut3dStages(final).map((x) => [x.file, x.matrix])).toEqual([[lut, 'bt601'], [lut, 'bt709']]);

    // An asset imported before tags were recorded: the export backfills them through the probe, once.
    const old = { ...a1, probe: { ...a1.probe } };
    delete old.probe.color;
    const oldState = project('Tags', [old, a2], Object.values(st.clips));
    expect(lut3dStages(compileRenderPlan(oldState, { width: 1280, height: 720, fit: 'fit' })).map((x) => x.matrix)).toEqual(['bt709', 'bt709']);
    const patches: unknown[] = [];
    const backfilled = await backfillColorTags({
      state: oldState,
      plan: compileRenderPlan(oldState, { width: 1280, height: 720, fit: 'fit' }),
      projectDir: dir,
      engine: await native(),
      record: { state: oldState, systemPatch: (p) => patches.push(p) },
    });
    expect(backfilled.assets.tagged!.probe.color).toEqual(a1.probe.color);
    expect(patches).toEqual([{ assets: { tagged: { ...old, probe: { ...old.probe, color: a1.probe.color } } } }]);
    expect(lut3dStages(compileRenderPlan(backfilled, { width: 1280, height: 720, fit: 'fit' })).map((x) => x.matrix)).toEqual(['bt601', 'bt709']);
  });

  it('fails clearly when a LUT the grade uses is missing from the project', async () => {
    const sha = '0'.repeat(64);
    const missing = { ...grade, exposure: 0.123, lut: { ...lutRef, sha256: sha, path: `media/luts/${sha}.cube`, name: 'Gone.cube' } };
    const st = project('Missing', Object.values(state.assets), [clip('c1', 'v1', 'src', 0, 0, 0.2, { color: missing })]);
    await expect(exportWith(await native(), st, 'missing.mp4')).rejects.toThrow(/The LUT "Gone.cube" is missing from the project/);
    expect(fs.existsSync(path.join(tmp.dir, 'missing.mp4'))).toBe(false);
  });

  it('the wasm engine gets the LUT through extraInputs and renders the same picture', async () => {
    const wasmModule = path.resolve(import.meta.dirname, '../../../main/media/wasm-engine.ts');
    const { createWasmEngine } = (await import(wasmModule)) as { createWasmEngine: () => Promise<FfmpegEngine> };
    const short = project('Wasm', Object.values(state.assets), [clip('c1', 'v1', 'src', 0, 0, 0.2, { color: grade })]);
    const wasmOut = await exportWith(await createWasmEngine(), short, 'wasm.mp4');
    const nativeOut = await exportWith(await native(), short, 'native-short.mp4');
    const t = 0.1 + 0.5 / 30;
    const wasmFrame = decodeRgb24(wasmOut, { seconds: t, vf: BT709 });
    const db = psnr(wasmFrame, 3, cpuGraded(grade, t), 3, W * H);
    const same = psnr(wasmFrame, 3, decodeRgb24(nativeOut, { seconds: t, vf: BT709 }), 3, W * H);
    console.log(`wasm export vs CPU-graded source: ${db.toFixed(2)} dB; wasm vs native export: ${same.toFixed(2)} dB`);
    expect(db).toBeGreaterThanOrEqual(40);
  }, 180_000);
});
