/**
 * Render plan + export preset → the ffmpeg argument vector (never a shell string).
 *
 * Inputs: one per clip, with `-ss`/`-t` before `-i` so ffmpeg only reads the span it needs
 * (input seeking is frame-accurate when transcoding: it decodes from the keyframe before
 * and drops up to the in point). Images are looped for the clip's length.
 * Then one filter graph (filtergraph.ts) and the H.264/AAC MP4 output settings.
 */
import { EXPORT_MATRIX } from '../color/matrix.js';
import { ShotlineError } from '../errors.js';
import type { ExportPreset } from '../export/presets.js';
import { flicksToFfmpegTime } from '../time/flicks.js';
import { buildFilterGraph } from './filtergraph.js';
import { resolveStabilizePaths } from './stabilize-stages.js';
import type { PlanInput, RenderPlan } from './plan.js';

export interface FfmpegArgsOptions {
  /** Turns an asset path (relative to the project folder) into the path ffmpeg opens. */
  resolvePath(assetPath: string): string;
  /** Container tags, e.g. title and comment (see metadata.ts). */
  metadata?: Record<string, string>;
  /**
   * Where the caller writes the filter graph for `-filter_complex_script` (ffmpeg 5.1; newer
   * ffmpeg spells it `-/filter_complex`). Without it the graph is inline, which is bounded by
   * the OS: Linux allows 128 KiB per argument and 2 MiB in all (a 5,000-clip graph is 1.5 MB).
   */
  filterScriptPath?: string;
  /**
   * Filters applied to the whole mix before it is encoded (the loudness pass: loudnorm with
   * the measured values, app/export/loudness.ts). Absent: the mix as the plan makes it.
   */
  audioPost?: string;
}

/** The ffmpeg command of an export: its arguments and the filter graph text they name. */
export interface FfmpegCommand {
  args: string[];
  /** The graph; already in `args` unless `filterScriptPath` was given (then write it there). */
  graph: string;
}

export function planToFfmpegArgs(plan: RenderPlan, preset: ExportPreset, outPath: string, opts: FfmpegArgsOptions): string[] {
  return planToFfmpegCommand(plan, preset, outPath, opts).args;
}

export function planToFfmpegCommand(plan: RenderPlan, preset: ExportPreset, outPath: string, opts: FfmpegArgsOptions): FfmpegCommand {
  const { args, graph, videoOut, audioOut } = inputsAndGraph(plan, preset, opts);
  args.push('-map', videoOut, '-map', audioOut);
  args.push('-t', flicksToFfmpegTime(plan.durationFlicks));
  args.push(...videoCodecArgs(plan, preset), ...audioCodecArgs(plan, preset));
  args.push(...outputTail(outPath, plan, opts.metadata));
  return { args, graph };
}

/** Inputs and the filter graph (inline or as a script) of a plan, checked against the preset. */
export function inputsAndGraph(plan: RenderPlan, preset: ExportPreset, opts: FfmpegArgsOptions): { args: string[]; graph: string; videoOut: string; audioOut: string } {
  // The plan fixes the picture; the preset contributes the encoder settings. A mismatch
  // means the caller compiled the plan for another preset.
  if (plan.width !== preset.width || plan.height !== preset.height)
    throw new ShotlineError('invalid_input', `The render plan is ${plan.width}×${plan.height} but preset "${preset.id}" is ${preset.width}×${preset.height}.`);
  // Files named inside filters (stabilize transforms) resolve like the media paths.
  const fg = buildFilterGraph(resolveStabilizePaths(plan, opts.resolvePath));
  let { graph, audioOut } = fg;
  if (opts.audioPost) {
    graph += `;${audioOut}${opts.audioPost}[apost]`;
    audioOut = '[apost]';
  }
  const args = ['-hide_banner', '-nostdin', '-y', ...planInputArgs(plan, opts.resolvePath)];
  if (opts.filterScriptPath) args.push('-filter_complex_script', opts.filterScriptPath);
  else args.push('-filter_complex', graph);
  return { args, graph, videoOut: fg.videoOut, audioOut };
}

/** Every input of a plan, as ffmpeg arguments. */
export function planInputArgs(plan: RenderPlan, resolvePath: (assetPath: string) => string): string[] {
  return plan.inputs.flatMap((input) => inputArgs(input, plan, resolvePath(input.path)));
}

/** H.264 settings of a preset (the same for a whole export and for each of its segments). */
export function videoCodecArgs(plan: RenderPlan, preset: ExportPreset): string[] {
  return [
    '-c:v', 'libx264',
    '-preset', preset.x264Preset,
    '-crf', String(preset.crf),
    '-pix_fmt', 'yuv420p',
    // Tagged, so no player has to guess (the graph converted every clip into this matrix).
    '-colorspace', EXPORT_MATRIX, '-color_primaries', EXPORT_MATRIX, '-color_trc', EXPORT_MATRIX, '-color_range', 'tv',
    '-profile:v', 'high',
    '-r', `${plan.fps.num}/${plan.fps.den}`,
  ];
}

export function audioCodecArgs(plan: RenderPlan, preset: ExportPreset): string[] {
  return [
    '-c:a', 'aac',
    '-b:a', `${preset.audioBitrateK}k`,
    '-ar', String(plan.sampleRate),
    '-ac', String(plan.channels),
  ];
}

/** Container flags, tags and the output file. */
export function outputTail(outPath: string, plan: Pick<RenderPlan, 'fps' | 'sampleRate'>, metadata: Record<string, string> = {}): string[] {
  // moov atom first: the file starts playing before it has fully downloaded.
  const args = ['-movflags', '+faststart', '-movie_timescale', String(movieTimescale(plan))];
  for (const [key, value] of Object.entries(metadata)) {
    if (!/^[A-Za-z0-9_]+$/.test(key)) throw new ShotlineError('invalid_input', `Metadata key "${key}" is not valid.`);
    // NUL would truncate the argument at the OS boundary.
    args.push('-metadata', `${key}=${value.replace(/\0/g, '')}`);
  }
  // The muxer is named, not guessed from the extension: the export writes a temp name.
  args.push('-f', 'mp4', outPath);
  return args;
}

/**
 * The MP4 movie timescale. The edit lists that trim AAC's priming and padding count in it, and
 * ffmpeg's default (1000) rounds the sound's length down to whole milliseconds: 22 samples lost
 * at 29.97 fps / 48 kHz. A multiple of the sample rate and of the frame rate's numerator keeps
 * both tracks' lengths exact (48 kHz at 29.97 fps: 240,000).
 */
export function movieTimescale(plan: Pick<RenderPlan, 'fps' | 'sampleRate'>): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const lcm = (plan.sampleRate / gcd(plan.sampleRate, plan.fps.num)) * plan.fps.num;
  return lcm <= 0x7fffffff ? lcm : plan.sampleRate;
}

/**
 * Decoder threads per input. ffmpeg opens every input's decoder up front and by default
 * gives each (cores + 1) frame threads with their own frame buffers: measured here, 40
 * 1080p clips took 1.3 GB with the default on 2 cores, 0.7 GB with 1 thread and no
 * slower (the base track decodes one clip at a time; x264 has the cores). On a 16-core
 * machine the default would be several GB. Few inputs keep 2 threads for decode speed.
 */
export function decoderThreads(inputCount: number): number {
  return inputCount > 8 ? 1 : 2;
}

function inputArgs(input: PlanInput, plan: RenderPlan, path: string): string[] {
  const length = flicksToFfmpegTime(input.readFlicks);
  const threads = ['-threads', String(decoderThreads(plan.inputs.length))];
  if (input.media === 'image') return ['-loop', '1', '-framerate', `${plan.fps.num}/${plan.fps.den}`, '-t', length, '-i', path];
  return [...threads, '-ss', flicksToFfmpegTime(input.sourceInFlicks), '-t', length, '-i', path];
}
