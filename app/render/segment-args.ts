/**
 * ffmpeg commands of a segmented export (see segments.ts for where the cuts fall):
 *
 *  1. each segment renders its picture to H.264 in its own MP4 (same encoder settings as a
 *     single-pass export) and its sound to raw PCM (f32le), in one ffmpeg run;
 *  2. the PCM pieces are joined byte for byte (each made exactly its sample count first),
 *     so the sound is one continuous stream with no encoder priming at the seams;
 *  3. one last run joins the pictures with the concat demuxer without re-encoding
 *     (`-c:v copy`; every segment starts on a keyframe) and encodes the sound to AAC once.
 *
 * Pure: paths come in, argument vectors and file texts go out.
 */
import type { ExportPreset } from '../export/presets.js';
import { flicksToFfmpegTime } from '../time/flicks.js';
import { audioCodecArgs, inputsAndGraph, outputTail, videoCodecArgs, type FfmpegArgsOptions } from './ffmpeg-args.js';
import type { RenderPlan } from './plan.js';
import { framesToSeconds } from './plan.js';

/** Raw PCM of segments: 32-bit float, interleaved stereo. */
export const SEGMENT_PCM = { format: 'f32le', codec: 'pcm_f32le', bytesPerSample: 4 } as const;

export interface SegmentFiles {
  /** Where the segment's filter graph is written (`-filter_complex_script`). */
  filterScriptPath: string;
  videoPath: string;
  audioPath: string;
}

/** One segment's run: picture to `videoPath` (H.264 MP4), sound to `audioPath` (raw PCM). */
export function segmentArgs(plan: RenderPlan, preset: ExportPreset, files: SegmentFiles, opts: Pick<FfmpegArgsOptions, 'resolvePath'>): { args: string[]; graph: string } {
  const { args, graph, videoOut, audioOut } = inputsAndGraph(plan, preset, { ...opts, filterScriptPath: files.filterScriptPath });
  const t = flicksToFfmpegTime(plan.durationFlicks);
  args.push('-map', videoOut, '-t', t, ...videoCodecArgs(plan, preset), '-an', '-f', 'mp4', files.videoPath);
  args.push('-map', audioOut, '-t', t, '-c:a', SEGMENT_PCM.codec, '-ar', String(plan.sampleRate), '-ac', String(plan.channels), '-f', SEGMENT_PCM.format, files.audioPath);
  return { args, graph };
}

/**
 * The concat demuxer's list. Each file's `duration` is its exact frame count in seconds, so
 * the next segment's timestamps continue on the frame grid whatever the MP4 reports.
 */
export function concatList(segments: { path: string; frames: number }[], plan: Pick<RenderPlan, 'fps'>): string {
  const lines = ['ffconcat version 1.0'];
  for (const s of segments) {
    // ffconcat quoting: inside '…', a quote is written '\''.
    lines.push(`file '${s.path.replace(/'/g, "'\\''")}'`);
    lines.push(`duration ${framesToSeconds(s.frames, plan.fps).toFixed(6)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The final run: the segments' pictures joined as they are, the sound encoded once, tagged, written. */
export function concatMuxArgs(plan: RenderPlan, preset: ExportPreset, files: { listPath: string; pcmPath: string; outPath: string }, metadata?: Record<string, string>, audioFilter?: string): string[] {
  return [
    '-hide_banner', '-nostdin', '-y',
    '-f', 'concat', '-safe', '0', '-i', files.listPath,
    '-f', SEGMENT_PCM.format, '-ar', String(plan.sampleRate), '-ac', String(plan.channels), '-i', files.pcmPath,
    '-map', '0:v:0', '-map', '1:a:0',
    // The joined mix's loudness pass (loudnorm with values measured on this very PCM).
    ...(audioFilter ? ['-af', audioFilter] : []),
    '-c:v', 'copy',
    ...audioCodecArgs(plan, preset),
    '-t', flicksToFfmpegTime(plan.durationFlicks),
    ...outputTail(files.outPath, plan, metadata),
  ];
}
