/**
 * The CPU application of a LUT (app/color/interp.ts, the reference the WebGL shader mirrors)
 * against ffmpeg's own lut3d on the same .cube file and the same RGB source frame.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGrade } from '../../../app/color/compile.js';
import { parseCube, writeCube } from '../../../app/color/cube.js';
import { applyLutRgba8 } from '../../../app/color/interp.js';
import type { LutInterp } from '../../../app/model/color.js';
import { decodeRgb24, psnr, randomGrade, tealOrangeCube } from '../../helpers/color.js';
import { ffmpeg, makeTempDir } from '../../helpers/media-fixtures.js';

const W = 320;
const H = 240;
let tmp: { dir: string; cleanup: () => Promise<void> };
let src: string;
let srcRgb: Buffer;

beforeAll(async () => {
  tmp = await makeTempDir('shotline-lut3d-');
  src = path.join(tmp.dir, 'src.png');
  // testsrc2 has every hue, hard edges and ramps; RGB PNG so no YUV conversion is involved.
  await ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=${W}x${H}`, '-frames:v', '1', '-pix_fmt', 'rgb24', src]);
  srcRgb = decodeRgb24(src);
});

afterAll(() => tmp?.cleanup());

/** ffmpeg's lut3d on the PNG, the CPU path on the same pixels: PSNR in dB and the worst code-value difference. */
function compare(cubeFile: string, interp: LutInterp): { db: number; worst: number; vsSource: number } {
  const theirs = decodeRgb24(src, { vf: `lut3d=file=${cubeFile}:interp=${interp}` });
  const lut = parseCube(fs.readFileSync(cubeFile, 'utf8'));
  const ours = new Uint8Array(srcRgb.length);
  applyLutRgba8(lut, srcRgb, ours, 3, interp);
  let worst = 0;
  for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - theirs[i]!));
  return { db: psnr(ours, 3, theirs, 3, W * H), worst, vsSource: psnr(srcRgb, 3, theirs, 3, W * H) };
}

describe('CPU LUT application vs ffmpeg lut3d', () => {
  it('matches on compiled random grades (tetrahedral and trilinear) at ≥ 45 dB', () => {
    for (const seed of [1, 2, 3]) {
      const cubeFile = path.join(tmp.dir, `grade-${seed}.cube`);
      fs.writeFileSync(cubeFile, writeCube(compileGrade(randomGrade(seed), null)));
      for (const interp of ['tetrahedral', 'trilinear'] as const) {
        const { db, worst, vsSource } = compare(cubeFile, interp);
        console.log(`seed ${seed} ${interp}: PSNR ${db === Infinity ? 'inf' : db.toFixed(2)} dB, worst ${worst} (ffmpeg output vs ungraded source: ${vsSource.toFixed(2)} dB)`);
        expect(db).toBeGreaterThanOrEqual(45);
        expect(vsSource).toBeLessThan(35); // the LUT really changed the picture
      }
    }
  });

  it('matches on a third-party style .cube (17 points, title, comments)', () => {
    const cubeFile = path.join(tmp.dir, 'teal orange.cube'.replace(' ', '_'));
    fs.writeFileSync(cubeFile, tealOrangeCube(17));
    const { db, worst } = compare(cubeFile, 'tetrahedral');
    console.log(`teal-orange 17³: PSNR ${db === Infinity ? 'inf' : db.toFixed(2)} dB, worst ${worst}`);
    expect(db).toBeGreaterThanOrEqual(45);
  });

  it('matches on a 65-point compiled grade with an imported LUT mixed in', () => {
    const imported = parseCube(tealOrangeCube(65));
    const sha = 'f'.repeat(64);
    const grade = randomGrade(7, { sha256: sha, path: `media/luts/${sha}.cube`, name: 't.cube', title: '', size: 65 });
    const lut = compileGrade(grade, imported);
    expect(lut.size).toBe(65);
    const cubeFile = path.join(tmp.dir, 'g65.cube');
    fs.writeFileSync(cubeFile, writeCube(lut));
    const { db } = compare(cubeFile, 'tetrahedral');
    console.log(`grade + 65³ LUT: PSNR ${db === Infinity ? 'inf' : db.toFixed(2)} dB`);
    expect(db).toBeGreaterThanOrEqual(45);
  });
});
