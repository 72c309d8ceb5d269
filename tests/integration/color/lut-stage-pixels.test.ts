/**
 * The export's grade stage (app/render/color-stage.ts lut3dFilter) run through real ffmpeg on a
 * picture with hard chroma edges (testsrc2), measured in pixels against the exact reference: the
 * source decoded with accurate rounding and interpolated chroma, graded on the CPU with the same
 * LUT. The stage carries no swscale flags and no 4:4:4 hop (they cost CPU and changed nothing
 * that shows); these checks fail if it stops being exact (e.g. packed rgb24, whose default
 * conversion skips chroma interpolation), or if an ffmpeg stops converting to planar RGB exactly
 * by default (the premise of leaving the flags out).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGrade } from '../../../app/color/compile.js';
import { parseCube, writeCube } from '../../../app/color/cube.js';
import { applyLutRgba8 } from '../../../app/color/interp.js';
import { NEUTRAL_GRADE, type ColorGrade } from '../../../app/model/color.js';
import { lut3dFilter, lut3dStageFor, toRgbFilter } from '../../../app/render/color-stage.js';
import { psnr } from '../../helpers/color.js';
import { FFMPEG, makeTempDir, makeTestVideo } from '../../helpers/media-fixtures.js';

const W = 1280;
const H = 720;
const GRADE: ColorGrade = { ...NEUTRAL_GRADE, exposure: 0.3, contrast: 0.15, saturation: 1.25, temperature: 0.2 };
let tmp: { dir: string; cleanup: () => Promise<void> };
let src: string;
let cube: string;

beforeAll(async () => {
  tmp = await makeTempDir('shotline-lut-stage-');
  src = await makeTestVideo({ path: path.join(tmp.dir, 'src.mp4'), seconds: 1, width: W, height: H });
  cube = path.join(tmp.dir, 'grade.cube');
  fs.writeFileSync(cube, writeCube(compileGrade(GRADE, null)));
});

afterAll(() => tmp?.cleanup());

/** Frame 10 of the source through `vf`, as raw `pixFmt` bytes. */
function frame(vf: string, pixFmt: string): Buffer {
  return execFileSync(FFMPEG, ['-hide_banner', '-nostdin', '-v', 'error', '-i', src, '-vf', `select=eq(n\\,10),${vf}`, '-frames:v', '1', '-pix_fmt', pixFmt, '-f', 'rawvideo', '-'], { maxBuffer: 1 << 28 });
}

/** RGB (raw rgb24 bytes) to limited-range BT.709 4:2:0 with exact rounding. */
function rgbToYuv(rgb: Uint8Array): Buffer {
  return execFileSync(FFMPEG, ['-hide_banner', '-nostdin', '-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${W}x${H}`, '-i', '-', '-vf', 'scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv420p', '-pix_fmt', 'yuv420p', '-f', 'rawvideo', '-'], { input: rgb, maxBuffer: 1 << 28 });
}

/** PSNR (dB) over every byte of two equally long buffers (all planes of a raw frame). */
function psnrBytes(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i]! - b[i]!) ** 2;
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255) / (se / a.length));
}

describe('the grade stage in ffmpeg', () => {
  const stage = () => {
    const s = lut3dStageFor(GRADE, { kind: 'video', probe: { durationFlicks: 1, hasVideo: true, hasAudio: false, width: W, height: H, fps: { num: 30, den: 1 } } });
    if (!s) throw new Error('the grade compiled to no stage');
    return { ...s, file: cube };
  };

  it('converts to planar RGB exactly without flags (the premise of leaving them out)', () => {
    const plain = frame('scale=in_color_matrix=bt709,format=gbrp', 'gbrp');
    const exact = frame('scale=in_color_matrix=bt709:flags=accurate_rnd+full_chroma_int,format=gbrp', 'gbrp');
    expect(plain.length).toBe(W * H * 3);
    expect(plain.equals(exact)).toBe(true);
  });

  it('grades the exactly decoded picture (the CPU reference), unlike the packed-RGB fast path', () => {
    expect(stage().matrix).toBe('bt709'); // 720 lines, untagged: the browser's rule
    const lut = parseCube(fs.readFileSync(cube, 'utf8'));
    const source = frame(toRgbFilter('bt709'), 'rgb24');
    const reference = new Uint8Array(source.length);
    applyLutRgba8(lut, source, reference, 3);
    const lutPart = `lut3d=file=${cube}:interp=tetrahedral`;
    const filters = lut3dFilter(stage());
    // The stage up to the LUT, in RGB: planar, repacked losslessly for the comparison.
    const rgbOurs = frame(filters.slice(0, filters.indexOf(lutPart) + lutPart.length), 'rgb24');
    const rgbFast = frame(`scale=in_color_matrix=bt709,format=rgb24,${lutPart}`, 'rgb24');
    const dbOurs = psnr(rgbOurs, 3, reference, 3, W * H);
    const dbFast = psnr(rgbFast, 3, reference, 3, W * H);
    const dbUngraded = psnr(source, 3, reference, 3, W * H);
    console.log(`graded RGB vs exact CPU reference: stage ${dbOurs.toFixed(2)} dB, packed-RGB fast path ${dbFast.toFixed(2)} dB, ungraded ${dbUngraded.toFixed(2)} dB`);
    expect(dbOurs).toBeGreaterThanOrEqual(50);
    expect(dbFast).toBeLessThan(dbOurs - 5);
    expect(dbUngraded).toBeLessThan(30); // the grade is really in the picture

    // The whole stage: 4:2:0 out (no 4:4:4 left for the rest of the graph), close to the
    // reference converted back exactly.
    const ours = frame(filters, 'yuv420p');
    expect(ours.length).toBe((W * H * 3) / 2);
    const dbYuv = psnrBytes(ours, rgbToYuv(reference));
    console.log(`stage output vs exact reference in YUV 4:2:0: ${dbYuv.toFixed(2)} dB`);
    expect(dbYuv).toBeGreaterThanOrEqual(55);
  });
});
