/**
 * A timeline of 200 short clips exported in segments (a low input bound per ffmpeg run, so
 * CI gets ~14 segments cheaply; real exports cut at 32 inputs). Measured independently:
 * every output frame's colour against the clip the timeline puts there (so every segment
 * seam is checked to the frame), each clip's tone in its own span (picture and sound stay
 * in sync across seams), and the exact frame and sample counts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clip, ProjectState } from '../../../app/model/types.js';
import { compileRenderPlan } from '../../../app/render/plan.js';
import { splitRenderPlan } from '../../../app/render/segments.js';
import { runExport, type ExportProgress } from '../../../main/export/run-export.js';
import { FFMPEG, ffmpeg, ffprobeJson, makeTempDir, type FfprobeOutput } from '../../helpers/media-fixtures.js';
import { assetFor, clip, decodeMono, goertzel, native, partialsIn, project } from './helpers.js';

// NTSC rate on purpose: 1601.6 samples a frame, so segment seams fall between samples and the
// exact-sample join (and the concat list's frame durations) are really exercised.
const FPS = 30000 / 1001;
const SR = 48000;
const COLOURS = [
  { name: 'red', rgb: [255, 0, 0], hz: 400 },
  { name: 'lime', rgb: [0, 255, 0], hz: 1000 },
  { name: 'blue', rgb: [0, 0, 255], hz: 1600 },
  { name: 'white', rgb: [255, 255, 255], hz: 2200 },
] as const;
const CLIPS = 200;
const GAP_AFTER = 100;
const GAP_FRAMES = 5;
const MAX_INPUTS = 16;

let tmp: { dir: string; cleanup: () => Promise<void> };
let state: ProjectState;
let outPath: string;
/** Per output frame: index into COLOURS, or -1 for black (the gap). */
let expected: number[] = [];
let spans: { from: number; to: number; colour: number }[] = [];
let probe: FfprobeOutput;
let progress: ExportProgress[] = [];

async function colourSource(file: string, c: (typeof COLOURS)[number]): Promise<void> {
  await ffmpeg([
    '-f', 'lavfi', '-i', `color=c=${c.name}:s=320x180:r=30000/1001:d=3`,
    '-f', 'lavfi', '-i', `aevalsrc=0.5*sin(2*PI*${c.hz}*t):s=${SR}:d=3`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '15', '-c:a', 'aac', '-t', '3', file,
  ]);
}

beforeAll(async () => {
  tmp = await makeTempDir('shotline-export-seg-');
  fs.mkdirSync(path.join(tmp.dir, 'media'));
  await Promise.all(COLOURS.map((c) => colourSource(path.join(tmp.dir, `media/${c.name}.mp4`), c)));
  const assets = await Promise.all(COLOURS.map((c) => assetFor(tmp.dir, c.name, `media/${c.name}.mp4`)));
  const clips: Clip[] = [];
  let frame = 0;
  for (let i = 0; i < CLIPS; i++) {
    if (i === GAP_AFTER) {
      for (let k = 0; k < GAP_FRAMES; k++) expected.push(-1);
      frame += GAP_FRAMES;
    }
    const frames = 2 + (i % 3);
    const colour = (i * 7 + (i >> 2)) % COLOURS.length;
    // Trimmed: each clip reads from its own in point.
    const inS = ((i * 11) % 40) / FPS;
    clips.push(clip(`c${i}`, 'v1', COLOURS[colour]!.name, frame / FPS, inS, inS + frames / FPS));
    spans.push({ from: frame, to: frame + frames, colour });
    for (let k = 0; k < frames; k++) expected.push(colour);
    frame += frames;
  }
  state = project('Many Clips', assets, clips);
  state.settings = { ...state.settings, width: 1280, height: 720, fps: { num: 30000, den: 1001 } };
  outPath = path.join(tmp.dir, 'many.mp4');
  await runExport({ state, projectDir: tmp.dir, engine: await native(), presetId: '720p-draft', fit: 'fit', outPath, overwrite: false, maxInputsPerRun: MAX_INPUTS, onProgress: (p) => progress.push(p) });
  probe = await ffprobeJson(outPath);
}, 300_000);

afterAll(async () => {
  await tmp?.cleanup();
  expected = [];
  spans = [];
  progress = [];
});

/** Every output frame shrunk to 8×8 RGB (the centre pixel is the clip's colour, free of scaling edges). */
function centrePixels(file: string): Promise<number[][]> {
  return new Promise((resolve, reject) =>
    execFile(FFMPEG, ['-v', 'error', '-i', file, '-vf', 'scale=8:8', '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1'], { encoding: 'buffer', maxBuffer: 64 << 20 }, (e, out) => {
      if (e) return reject(e);
      const frames: number[][] = [];
      for (let o = 0; o + 192 <= out.length; o += 192) {
        const p = o + (4 * 8 + 4) * 3;
        frames.push([out[p]!, out[p + 1]!, out[p + 2]!]);
      }
      resolve(frames);
    }),
  );
}

function classify(rgb: number[]): number {
  if (rgb.every((v) => v < 40)) return -1;
  let best = 0;
  let bestD = Infinity;
  COLOURS.forEach((c, i) => {
    const d = c.rgb.reduce<number>((sum, v, k) => sum + (v - rgb[k]!) ** 2, 0);
    if (d < bestD) [best, bestD] = [i, d];
  });
  return best;
}

describe('segmented export of 200 short clips', () => {
  it('really runs in many segments', () => {
    const plan = compileRenderPlan(state, { width: 1280, height: 720, fit: 'fit' });
    const segments = splitRenderPlan(plan, { maxInputs: MAX_INPUTS });
    expect(segments.length).toBeGreaterThanOrEqual(12);
    expect(Math.max(...segments.map((s) => s.plan.inputs.length))).toBeLessThanOrEqual(MAX_INPUTS);
  });

  it('has exactly the timeline’s frames and samples', () => {
    const v = probe.streams.find((x) => x.codec_type === 'video')!;
    const a = probe.streams.find((x) => x.codec_type === 'audio')!;
    expect(v).toMatchObject({ codec_name: 'h264', width: 1280, height: 720, r_frame_rate: '30000/1001' });
    expect(a).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
    expect(Number(v.nb_frames)).toBe(expected.length);
    const seconds = expected.length / FPS;
    expect(Math.abs(Number(v.duration) - seconds)).toBeLessThan(0.5 / FPS);
    // Exactly the timeline's samples (its length rounded once, not per segment), as the MP4's
    // edit list states them: 604 frames at 30000/1001 → 967,366.4 → 967,366 samples.
    expect(a.time_base).toBe('1/48000');
    expect(Number(a.duration_ts)).toBe(Math.round((expected.length * 1001 * SR) / 30000));
    expect(partialsIn(tmp.dir)).toEqual([]);
  });

  it('shows the right clip on every frame, across every seam', async () => {
    const got = (await centrePixels(outPath)).map(classify);
    expect(got.length).toBe(expected.length);
    const wrong = got.flatMap((c, i) => (c === expected[i] ? [] : [`frame ${i}: ${c} ≠ ${expected[i]}`]));
    expect(wrong).toEqual([]);
  });

  it('plays each clip’s tone in its own span (sound in sync across seams)', async () => {
    const x = await decodeMono(outPath, SR);
    // The decoder keeps AAC's last-frame padding (the container's duration, checked above, does not):
    // at least every sample, at most one AAC frame more.
    const samples = Math.round((expected.length / FPS) * SR);
    expect(x.length).toBeGreaterThanOrEqual(samples);
    expect(x.length).toBeLessThan(samples + 1024);
    const off: string[] = [];
    for (const s of spans) {
      // The clip's span less 5 ms at each end (AAC smears a cut by a few samples).
      const from = Math.round((s.from / FPS) * SR) + 240;
      const to = Math.round((s.to / FPS) * SR) - 240;
      const powers = COLOURS.map((c) => goertzel(x, from, to, c.hz, SR));
      const best = powers.indexOf(Math.max(...powers));
      if (best !== s.colour) off.push(`frames ${s.from}-${s.to}: tone ${COLOURS[best]!.hz} Hz, expected ${COLOURS[s.colour]!.hz} Hz`);
    }
    expect(off).toEqual([]);
  });

  it('reports monotonic progress across the segments, ending at 1', () => {
    const f = progress.map((p) => p.fraction);
    for (let i = 1; i < f.length; i++) expect(f[i]!).toBeGreaterThanOrEqual(f[i - 1]!);
    expect(f.at(-1)).toBe(1);
    // Progress moved through the middle, not only at the end.
    expect(f.filter((v) => v > 0.2 && v < 0.8).length).toBeGreaterThan(2);
  });
});
