/**
 * The MLT writer, checked by rendering its file with `melt` (MLT 7, Kdenlive's and Shotcut's
 * engine) and comparing with Shotline's own export of the same timeline: same length in
 * frames, and the same source frame on every output frame (read back from frame-coded
 * pixels, so neither side's code is trusted). Covers trims, a split, a gap, 2× and ½× speed,
 * and reverse.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectState } from '../../../app/model/types.js';
import { DEFAULT_SPEED } from '../../../app/model/timing.js';
import { exportInterchange } from '../../../main/export/interchange.js';
import { runExport } from '../../../main/export/run-export.js';
import { makeTempDir } from '../../helpers/media-fixtures.js';
import { makeFrameCodedVideo, readFrameNumbers } from '../../helpers/timing-fixtures.js';
import { assetFor, clip, native, project } from '../export/helpers.js';

const W = 1280;
const H = 720;
let tmp: { dir: string; cleanup: () => Promise<void> };
let state: ProjectState;
let shotlineFrames: number[];
let meltFrames: number[];
let mltText: string;

function melt(file: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('melt', ['-quiet', file, '-consumer', `avformat:${out}`, 'vcodec=libx264', 'preset=ultrafast', 'acodec=aac'], { maxBuffer: 64 << 20 }, (err, _o, stderr) => {
      if (err) reject(new Error(`melt failed: ${String(stderr).slice(-1500)}`));
      else resolve();
    });
  });
}

beforeAll(async () => {
  tmp = await makeTempDir('shotline-mlt-');
  fs.mkdirSync(path.join(tmp.dir, 'media'));
  await makeFrameCodedVideo({ path: path.join(tmp.dir, 'media', 'coded.mp4'), seconds: 4, fps: 30, withAudio: true });
  const a = await assetFor(tmp.dir, 'coded', 'media/coded.mp4');
  const speed = (rate: number, reverse = false) => ({ speed: { ...DEFAULT_SPEED, rate, reverse } });
  state = project('Melt check', [a], [
    clip('trim', 'v1', 'coded', 0, 0.5, 1.5), // frames 15..44
    // gap 1.0 – 1.5
    clip('fast', 'v1', 'coded', 1.5, 2.0, 3.0, speed(2)), // 15 frames, every second source frame
    clip('splitA', 'v1', 'coded', 2.0, 0.2, 0.6), // a split: two halves that meet at source 0.6
    clip('splitB', 'v1', 'coded', 2.4, 0.6, 1.0),
    clip('slow', 'v1', 'coded', 2.8, 1.0, 2.0, speed(0.5)), // 2 s
    clip('back', 'v1', 'coded', 4.8, 3.0, 3.5, speed(1, true)), // 0.5 s backwards
  ]);
  state.settings.width = W;
  state.settings.height = H;
  const shotlineOut = path.join(tmp.dir, 'shotline.mp4');
  await runExport({ state, projectDir: tmp.dir, engine: await native(), presetId: '720p-draft', fit: 'fit', outPath: shotlineOut, overwrite: false });
  // Written the way the dialog does it with "copy media next to it"; the project's own media
  // is then deleted, so melt can only have read the hand-off folder.
  const handoff = path.join(tmp.dir, 'handoff');
  fs.mkdirSync(handoff);
  const mltPath = path.join(handoff, 'timeline.mlt');
  const written = await exportInterchange({ state, projectDir: tmp.dir, format: 'mlt', outPath: mltPath, copyMedia: true, overwrite: false });
  expect(written.mediaFiles).toBe(1);
  fs.rmSync(path.join(tmp.dir, 'media'), { recursive: true });
  mltText = fs.readFileSync(mltPath, 'utf8');
  const meltOut = path.join(tmp.dir, 'melt.mp4');
  await melt(mltPath, meltOut);
  [shotlineFrames, meltFrames] = await Promise.all([readFrameNumbers(shotlineOut, { width: W, height: H }), readFrameNumbers(meltOut, { width: W, height: H })]);
}, 240_000);

afterAll(async () => {
  await tmp?.cleanup();
});

describe('MLT writer rendered by melt', () => {
  it('has the same length in frames as Shotline’s export', () => {
    expect(shotlineFrames.length).toBe(159);
    expect(meltFrames.length).toBe(shotlineFrames.length);
  });

  it('shows the same source frame on every output frame (trims, gap, split, 2×, reverse)', () => {
    // Output frames 84..143 are the ½× clip: compared in the next test.
    const diffs = meltFrames.map((f, i) => (f === shotlineFrames[i] || (i >= 84 && i < 144) ? null : { i, melt: f, shotline: shotlineFrames[i] })).filter(Boolean);
    expect(diffs).toEqual([]);
    // And the timeline is what it says: spot checks on the source frames themselves.
    expect(meltFrames.slice(0, 3)).toEqual([15, 16, 17]);
    expect(meltFrames.slice(30, 45).every((f) => f === 0)).toBe(true); // the gap is black
    expect(meltFrames.slice(45, 48)).toEqual([60, 62, 64]);
    expect(meltFrames.slice(144, 147)).toEqual([104, 103, 102]);
  });

  it('slow motion: within one source frame (timewarp rounds to the nearest, Shotline holds the previous)', () => {
    const slow = meltFrames.slice(84, 144).map((f, j) => f - shotlineFrames[84 + j]!);
    expect(slow.every((d) => d === 0 || d === 1)).toBe(true);
    // Every even frame lands exactly on a source frame in both.
    expect(slow.filter((_, j) => j % 2 === 0).every((d) => d === 0)).toBe(true);
    expect(shotlineFrames.slice(84, 88)).toEqual([30, 30, 31, 31]);
  });

  it('uses timewarp producers for speed and one background track', () => {
    expect(mltText).toContain('<property name="mlt_service">timewarp</property>');
    expect(mltText).toContain('<property name="resource">-1:');
    expect(mltText.match(/<track producer=/g)).toHaveLength(3); // background, V1, A1
    expect(mltText).toContain('<property name="resource">-1:timeline media/coded.mp4</property>'); // relative to the .mlt
  });
});
