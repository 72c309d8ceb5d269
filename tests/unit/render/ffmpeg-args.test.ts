import { describe, expect, it } from 'vitest';
import { findPreset, type ExportPreset } from '../../../app/export/presets.js';
import { decoderThreads, movieTimescale, planToFfmpegArgs } from '../../../app/render/ffmpeg-args.js';
import { compileRenderPlan, type RenderPlan } from '../../../app/render/plan.js';
import { videoAsset } from '../../helpers/state.js';
import { audioAsset, clip, imageAsset, s, timeline, track } from './fixtures.js';

const VERTICAL = findPreset('vertical-1080')!;
const resolvePath = (p: string) => `/proj/${p}`;

interface ParsedArgs {
  globals: string[];
  /** Options given before each -i, and its path. */
  inputs: { opts: string[]; path: string }[];
  graph: string;
  /** Everything after -filter_complex's value, up to (not including) the output path. */
  output: string[];
  outPath: string;
}

/** Splits an argument vector into its parts, so tests assert on structure, not on one long string. */
function parse(args: string[]): ParsedArgs {
  const inputs: ParsedArgs['inputs'] = [];
  let i = 0;
  const globals: string[] = [];
  while (args[i] !== '-threads' && args[i] !== '-loop' && args[i] !== '-filter_complex') globals.push(args[i++]!);
  let pending: string[] = [];
  while (args[i] !== '-filter_complex') {
    if (args[i] === '-i') {
      inputs.push({ opts: pending, path: args[i + 1]! });
      pending = [];
      i += 2;
    } else pending.push(args[i++]!);
  }
  expect(pending).toEqual([]);
  const graph = args[i + 1]!;
  const rest = args.slice(i + 2);
  return { globals, inputs, graph, output: rest.slice(0, -1), outPath: rest[rest.length - 1]! };
}

/** Value following `flag` (the first occurrence), e.g. opt(['-t','3'], '-t') → '3'. */
function opt(list: string[], flag: string): string | undefined {
  const i = list.indexOf(flag);
  return i >= 0 ? list[i + 1] : undefined;
}

function chains(graph: string): string[] {
  return graph.split(';');
}

/** The chain that produces `[label]`. */
function chainFor(graph: string, label: string): string {
  const c = chains(graph).find((x) => x.endsWith(`[${label}]`));
  expect(c, `chain for [${label}]`).toBeDefined();
  return c!;
}

function twoClipsAndGap(): RenderPlan {
  const st = timeline({
    assets: [videoAsset('a', 5), videoAsset('b', 5), imageAsset('logo'), audioAsset('m', 10)],
    tracks: [track('v2', 'video', 1)],
    clips: [
      clip('c1', 'v1', 'a', 0, 1, 3, { volume: 0.5, fadeInFlicks: s(0.25) }),
      clip('c2', 'v1', 'b', 3, 0.5, 2.5, { fadeOutFlicks: s(0.5) }),
      clip('o1', 'v2', 'logo', 1, 0, 1.5),
      clip('m1', 'a1', 'm', 0.5, 2, 4),
    ],
  });
  return compileRenderPlan(st, { width: 1080, height: 1920, fit: 'fit' });
}

describe('planToFfmpegArgs', () => {
  it('opens one input per clip with accurate -ss/-t before -i, and loops images', () => {
    const plan = twoClipsAndGap();
    const p = parse(planToFfmpegArgs(plan, VERTICAL, '/out/film.mp4', { resolvePath }));
    expect(p.globals).toEqual(['-hide_banner', '-nostdin', '-y']);
    expect(p.inputs).toHaveLength(plan.inputs.length);
    const byPath = Object.fromEntries(p.inputs.map((x) => [x.path, x.opts]));
    expect(byPath['/proj/media/a.mp4']).toEqual(['-threads', '2', '-ss', '1.000000', '-t', '2.000000']);
    expect(byPath['/proj/media/b.mp4']).toEqual(['-threads', '2', '-ss', '0.500000', '-t', '2.000000']);
    expect(byPath['/proj/media/m.wav']).toEqual(['-threads', '2', '-ss', '2.000000', '-t', '2.000000']);
    expect(byPath['/proj/media/logo.png']).toEqual(['-loop', '1', '-framerate', '30/1', '-t', '1.500000']);
    // Input order is plan order: stream specifiers in the graph refer to these indices.
    expect(p.inputs.map((x) => x.path)).toEqual(plan.inputs.map((x) => resolvePath(x.path)));
  });

  it('caps decoder threads per input, to one when there are many inputs (memory)', () => {
    const many = Array.from({ length: 9 }, (_, k) => clip(`c${k}`, 'v1', 'a', k, 0, 1));
    const st = timeline({ assets: [videoAsset('a', 5)], clips: many });
    const p = parse(planToFfmpegArgs(compileRenderPlan(st, { width: 1080, height: 1920, fit: 'fit' }), VERTICAL, '/o.mp4', { resolvePath }));
    expect(p.inputs).toHaveLength(9);
    for (const input of p.inputs) expect(opt(input.opts, '-threads')).toBe('1');
    expect(decoderThreads(8)).toBe(2);
  });

  it('concatenates the base track from clip segments and black gaps, each exactly its frame count', () => {
    const plan = twoClipsAndGap();
    const { graph } = parse(planToFfmpegArgs(plan, VERTICAL, '/out/film.mp4', { resolvePath }));
    const concat = chains(graph).find((c) => c.includes('concat='))!;
    expect(concat).toBe('[s0][s1][s2]concat=n=3:v=1:a=0[base]');
    // s0: clip c1 (input 0), 60 frames.
    const s0 = chainFor(graph, 's0');
    expect(s0.startsWith('[0:v:0]')).toBe(true);
    expect(s0).toContain('fps=30/1');
    expect(s0).toContain('scale=1080:1920:force_original_aspect_ratio=decrease');
    expect(s0).toContain('pad=1080:1920:(ow-iw)/2:(oh-ih)/2:color=black');
    expect(s0).toContain('setsar=1');
    expect(s0).toContain('trim=end_frame=60');
    // s1: the one-second gap.
    const s1 = chainFor(graph, 's1');
    expect(s1).toMatch(/^color=c=black:s=1080x1920:r=30\/1:d=1\.000000,/);
    expect(s1).toContain('trim=end_frame=30');
    expect(s1).toContain('setsar=1');
    // The stage filters come in plan order: fps before conform.
    expect(s0.indexOf('fps=')).toBeLessThan(s0.indexOf('scale='));
  });

  it('fill mode scales to cover and crops the centre', () => {
    const st = timeline({ assets: [videoAsset('a', 5)], clips: [clip('c1', 'v1', 'a', 0, 0, 1)] });
    const plan = compileRenderPlan(st, { width: 1080, height: 1920, fit: 'fill' });
    const { graph } = parse(planToFfmpegArgs(plan, VERTICAL, '/o.mp4', { resolvePath }));
    const s0 = chainFor(graph, 's0');
    expect(s0).toContain('scale=1080:1920:force_original_aspect_ratio=increase');
    expect(s0).toContain('crop=1080:1920');
    expect(s0).not.toContain(',pad=');
  });

  it('composites upper tracks as overlays shifted to their start and enabled only for their span', () => {
    const plan = twoClipsAndGap();
    const { graph, output } = parse(planToFfmpegArgs(plan, VERTICAL, '/out/film.mp4', { resolvePath }));
    const logoInput = plan.inputs.find((x) => x.clipId === 'o1')!.index;
    const ov = chainFor(graph, 'ov0_0');
    expect(ov.startsWith(`[${logoInput}:v:0]`)).toBe(true);
    expect(ov).toContain('color=black@0');
    expect(ov).toContain('trim=end_frame=45');
    expect(ov).toMatch(/setpts=PTS-STARTPTS\+round\(1\.000000\/TB\)\[ov0_0\]$/);
    const over = chainFor(graph, 'vl0_0');
    expect(over).toMatch(/^\[base\]\[ov0_0\]overlay=/);
    expect(over).toContain('eof_action=pass');
    expect(over).toMatch(/enable='between\(t,0\.98333\d,2\.48333\d\)'/);
    expect(chainFor(graph, 'vout')).toBe('[vl0_0]format=yuv420p[vout]');
    expect(output.slice(0, 4)).toEqual(['-map', '[vout]', '-map', '[aout]']);
  });

  it('mixes every audio source (trimmed, gain, fades, delayed on all channels) over full-length silence', () => {
    const plan = twoClipsAndGap();
    const { graph } = parse(planToFfmpegArgs(plan, VERTICAL, '/out/film.mp4', { resolvePath }));
    // 5 s at 48 kHz of silence: the mix lasts exactly as long as the picture.
    expect(chainFor(graph, 'silence')).toBe('anullsrc=r=48000:cl=stereo,atrim=end_sample=240000[silence]');
    expect(plan.audio.map((a) => a.clipId)).toEqual(['c1', 'm1', 'c2']);
    const [c1, m1, c2] = [chainFor(graph, 'a0'), chainFor(graph, 'a1'), chainFor(graph, 'a2')];
    expect(c1.startsWith(`[${plan.audio[0]!.input}:a:0]asetpts=PTS-STARTPTS`)).toBe(true);
    expect(c1).toContain('atrim=end_sample=96000');
    expect(c1).toContain('volume=0.5');
    expect(c1).toContain('afade=t=in:st=0:d=0.250000');
    expect(c1).not.toContain('adelay');
    expect(m1).toContain('adelay=delays=24000S:all=1');
    expect(m1).not.toContain('volume=');
    expect(m1).not.toContain('afade');
    expect(c2).toContain('afade=t=out:st=1.500000:d=0.500000');
    expect(c2).toContain('adelay=delays=144000S:all=1');
    for (const c of [c1, m1, c2]) expect(c).toContain('channel_layouts=stereo');
    const mix = chainFor(graph, 'aout');
    expect(mix).toMatch(/^\[silence\]\[a0\]\[a1\]\[a2\]amix=inputs=4:/);
    expect(mix).toContain('duration=first');
    expect(mix).toContain('normalize=0');
    expect(mix).toContain('aresample=48000');
    expect(mix).toContain('channel_layouts=stereo');
  });

  it('still produces a silent stereo track when nothing has sound', () => {
    const st = timeline({ assets: [imageAsset('still')], clips: [clip('i1', 'v1', 'still', 0, 0, 2)] });
    const plan = compileRenderPlan(st, { width: 1080, height: 1920, fit: 'fit' });
    const { graph } = parse(planToFfmpegArgs(plan, VERTICAL, '/o.mp4', { resolvePath }));
    expect(chainFor(graph, 'aout')).toMatch(/^\[silence\]amix=inputs=1:/);
  });

  it('encodes H.264 high/yuv420p + AAC stereo at the preset settings, for the plan duration, fast-start MP4', () => {
    const plan = twoClipsAndGap();
    const draft: ExportPreset = { ...findPreset('720p-draft')!, width: 1080, height: 1920 };
    const p = parse(planToFfmpegArgs(plan, draft, '/out/film.mp4', { resolvePath }));
    const o = p.output;
    expect(opt(o, '-t')).toBe('5.000000');
    expect(opt(o, '-c:v')).toBe('libx264');
    expect(opt(o, '-preset')).toBe('ultrafast');
    expect(opt(o, '-crf')).toBe('28');
    expect(opt(o, '-pix_fmt')).toBe('yuv420p');
    expect(opt(o, '-profile:v')).toBe('high');
    expect(opt(o, '-r')).toBe('30/1');
    expect(opt(o, '-c:a')).toBe('aac');
    expect(opt(o, '-b:a')).toBe('128k');
    expect(opt(o, '-ar')).toBe('48000');
    expect(opt(o, '-ac')).toBe('2');
    expect(opt(o, '-movflags')).toBe('+faststart');
    // Edit lists in a timescale that counts both 48 kHz samples and 30 fps frames exactly.
    expect(opt(o, '-movie_timescale')).toBe('48000');
    expect(opt(o, '-f')).toBe('mp4');
    expect(p.outPath).toBe('/out/film.mp4');
  });

  it('picks an MP4 movie timescale that counts samples and frames exactly', () => {
    expect(movieTimescale({ fps: { num: 30000, den: 1001 }, sampleRate: 48000 })).toBe(240000);
    expect(movieTimescale({ fps: { num: 24000, den: 1001 }, sampleRate: 48000 })).toBe(48000);
    expect(movieTimescale({ fps: { num: 25, den: 1 }, sampleRate: 44100 })).toBe(44100);
    expect(movieTimescale({ fps: { num: 30000, den: 1001 }, sampleRate: 44100 })).toBe(4410000);
  });

  it('writes metadata tags and rejects unsafe keys', () => {
    const plan = twoClipsAndGap();
    const meta = { title: 'My Film', comment: 'Made with Shotline | generated: a/b seed 1 "x=y"' };
    const args = planToFfmpegArgs(plan, VERTICAL, '/o.mp4', { resolvePath, metadata: meta });
    const tags = args.flatMap((a, i) => (args[i - 1] === '-metadata' ? [a] : []));
    expect(tags).toEqual(['title=My Film', `comment=${meta.comment}`]);
    expect(() => planToFfmpegArgs(plan, VERTICAL, '/o.mp4', { resolvePath, metadata: { 'bad key': 'x' } })).toThrow(/not valid/);
  });

  it('uses exact rational rates for NTSC frame rates', () => {
    const st = timeline({ assets: [videoAsset('a', 5)], clips: [clip('c1', 'v1', 'a', 0, 0, 1), clip('c2', 'v1', 'a', 2, 0, 1)] });
    st.settings.fps = { num: 30000, den: 1001 };
    const plan = compileRenderPlan(st, { width: 1080, height: 1920, fit: 'fit' });
    const p = parse(planToFfmpegArgs(plan, VERTICAL, '/o.mp4', { resolvePath }));
    expect(chainFor(p.graph, 's0')).toContain('fps=30000/1001');
    expect(chainFor(p.graph, 's1')).toContain(':r=30000/1001:');
    expect(opt(p.output, '-r')).toBe('30000/1001');
  });

  it('refuses a preset whose size differs from the plan', () => {
    const plan = twoClipsAndGap();
    expect(() => planToFfmpegArgs(plan, findPreset('1080p')!, '/o.mp4', { resolvePath })).toThrow(/1080×1920 but preset "1080p"/);
  });
});
