/**
 * Every export is BT.709, tagged so: an SD clip (BT.601 pixels, untagged, as generated takes and
 * phone footage come), an HD clip (BT.709) and a PNG still of the same red land in one 1080p file
 * and a player decoding it by its tags sees the same red for all three. Before the conversion an
 * SD clip scaled into an untagged HD file kept its 601 pixels and played visibly shifted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport } from '../../../main/export/run-export.js';
import { toRgbFilter } from '../../../app/render/color-stage.js';
import { decodeRgb24 } from '../../helpers/color.js';
import { ffmpeg, ffprobeJson, makeTempDir, type FfprobeOutput } from '../../helpers/media-fixtures.js';
import { assetFor, clip, native, project } from './helpers.js';

const RED = [200, 30, 30] as const;
const HEX = '0xC81E1E';
let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let outPath: string;
let probe: FfprobeOutput;

/** An untagged clip of solid RED encoded with `matrix`, as an encoder that writes no tags would. */
function solidClip(file: string, w: number, h: number, matrix: 'bt601' | 'bt709') {
  return ffmpeg(['-f', 'lavfi', '-i', `color=c=${HEX}:s=${w}x${h}:r=30:d=1`, '-vf', `scale=out_color_matrix=${matrix}:out_range=tv,format=yuv420p`, '-c:v', 'libx264', '-qp', '0', file]);
}

beforeAll(async () => {
  tmp = await makeTempDir('shotline-export-matrix-');
  const media = path.join(tmp.dir, 'media');
  fs.mkdirSync(media);
  await Promise.all([
    solidClip(path.join(media, 'sd.mp4'), 320, 240, 'bt601'),
    solidClip(path.join(media, 'hd.mp4'), 1280, 720, 'bt709'),
    ffmpeg(['-f', 'lavfi', '-i', `color=c=${HEX}:s=400x300`, '-frames:v', '1', path.join(media, 'still.png')]),
  ]);
  const assets = await Promise.all([assetFor(tmp.dir, 'sd', 'media/sd.mp4'), assetFor(tmp.dir, 'hd', 'media/hd.mp4'), assetFor(tmp.dir, 'still', 'media/still.png')]);
  const state = project('Matrix', assets, [clip('c1', 'v1', 'sd', 0, 0, 1), clip('c2', 'v1', 'hd', 1, 0, 1), clip('c3', 'v1', 'still', 2, 0, 1)]);
  outPath = path.join(tmp.dir, 'out.mp4');
  await runExport({ state, projectDir: tmp.dir, engine: await native(), presetId: '1080p', fit: 'fill', outPath, overwrite: false });
  probe = await ffprobeJson(outPath);
}, 120_000);

afterAll(async () => {
  await tmp?.cleanup();
});

describe('export colour matrix', () => {
  it('tags the file BT.709 (matrix, primaries, transfer) in limited range', () => {
    const v: unknown = probe.streams.find((s) => s.codec_type === 'video');
    expect(v).toMatchObject({ color_space: 'bt709', color_primaries: 'bt709', color_transfer: 'bt709', color_range: 'tv' });
  });

  it('an SD clip, an HD clip and a still of the same red play as that red (decoded by the tag)', () => {
    const W = 1920;
    const H = 1080;
    // Frame 15 of each one-second clip, decoded with BT.709 as a player reading the tags does.
    for (const [i, name] of ['sd', 'hd', 'still'].entries()) {
      const rgb = decodeRgb24(outPath, { seconds: i + 0.5, vf: toRgbFilter('bt709') });
      const at = ((H / 2) * W + W / 2) * 3;
      const px = [rgb[at]!, rgb[at + 1]!, rgb[at + 2]!];
      for (let c = 0; c < 3; c++) expect(Math.abs(px[c]! - RED[c]!), `${name} channel ${c}: ${px.join(',')}`).toBeLessThanOrEqual(4);
    }
  });
});
