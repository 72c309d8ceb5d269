/**
 * The visible "AI-generated" mark, checked by pixels: on black footage, bright pixels appear
 * exactly over the generated clip's frames and never over the imported clip's, and the mark
 * changes corner after its period. The manifest records it (watermarked) or its absence.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Asset, ProjectState } from '../../../app/model/types.js';
import { buildExportManifest } from '../../../app/provenance/manifest.js';
import { runExport } from '../../../main/export/run-export.js';
import { FFMPEG, makeTempDir } from '../../helpers/media-fixtures.js';
import { assetFor, clip, native, project } from '../export/helpers.js';

const W = 640;
const H = 360;
let tmp: { dir: string; cleanup: () => Promise<void> };
let state: ProjectState;
let frames: Uint8Array[];

function black(file: string, seconds: number): void {
  execFileSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', `color=c=black:s=320x180:r=30:d=${seconds}`, '-f', 'lavfi', '-i', `anullsrc=r=48000:cl=stereo`, '-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', file]);
}

/** Bright-pixel count and centroid x of a gray frame. */
function bright(px: Uint8Array): { count: number; cx: number } {
  let count = 0;
  let sx = 0;
  for (let i = 0; i < px.length; i++)
    if (px[i]! > 128) {
      count++;
      sx += i % W;
    }
  return { count, cx: count ? sx / count : -1 };
}

beforeAll(async () => {
  tmp = await makeTempDir('shotline-wm-');
  fs.mkdirSync(path.join(tmp.dir, 'media'));
  black(path.join(tmp.dir, 'media', 'cam.mp4'), 2);
  black(path.join(tmp.dir, 'media', 'gen.mp4'), 5);
  const [cam, gen] = await Promise.all([assetFor(tmp.dir, 'cam', 'media/cam.mp4'), assetFor(tmp.dir, 'gen', 'media/gen.mp4')]);
  const generated: Asset = { ...gen, provenance: { source: 'generated', backend: 'local-onnx', model: 'tiny', prompt: 'p', seed: 1, parameters: {}, inputAssetIds: [], createdAt: '2026-11-26T00:00:00Z' } };
  state = project('Mark', [cam, generated], [clip('c1', 'v1', 'cam', 0, 0, 2), clip('c2', 'v1', 'gen', 2, 0, 5)]);
  const out = path.join(tmp.dir, 'out.mp4');
  await runExport({ state, projectDir: tmp.dir, engine: await native(), presetId: '720p-draft', fit: 'fit', outPath: out, overwrite: false, watermark: true });
  const raw = execFileSync(FFMPEG, ['-v', 'error', '-i', out, '-vf', `scale=${W}:${H},format=gray`, '-f', 'rawvideo', '-'], { maxBuffer: 1 << 28 });
  frames = [];
  for (let o = 0; o + W * H <= raw.length; o += W * H) frames.push(new Uint8Array(raw.buffer, raw.byteOffset + o, W * H));
}, 180_000);

afterAll(async () => {
  await tmp?.cleanup();
});

describe('visible AI-generated mark', () => {
  it('appears on every generated frame and on no imported frame', () => {
    expect(frames).toHaveLength(210);
    const counts = frames.map((f) => bright(f).count);
    expect(counts.slice(0, 60).every((c) => c === 0)).toBe(true);
    expect(counts.slice(60).every((c) => c > 50)).toBe(true);
  });

  it('moves: left side first, right side after its 4 s period', () => {
    const at = (s: number) => bright(frames[Math.round(s * 30)]!).cx;
    expect(at(2.5)).toBeLessThan(W / 3);
    expect(at(3.5)).toBeLessThan(W / 3);
    expect(at(4.5)).toBeGreaterThan((2 * W) / 3);
    expect(at(6.5)).toBeGreaterThan((2 * W) / 3);
  });

  it('is recorded in the manifest, and so is turning it off', () => {
    const facts = { title: 't', width: 1280, height: 720, fit: 'fit' as const, presetId: '720p-draft', appVersion: 'test', includePrompts: false };
    const on = buildExportManifest(state, { ...facts, watermark: 'on' }).definition as { assertions: { label: string; data: { actions?: { action: string }[] } }[] };
    expect(on.assertions[0]!.data.actions!.map((a) => a.action)).toContain('c2pa.watermarked');
    const off = buildExportManifest(state, { ...facts, watermark: 'off' }).definition as { assertions: { label: string; data: unknown }[] };
    expect(off.assertions.find((a) => a.label === 'com.shotline.watermark')?.data).toEqual({ visibleMark: false, reason: 'Turned off by the user at export' });
  });
});
