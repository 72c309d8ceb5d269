/**
 * ffmpeg commands that read only the mix (no picture is decoded or encoded): the loudness
 * measurement of an export's first pass and the Export dialog's meter. The mix is the one
 * the export makes (buildAudioGraph), followed by an analysis filter, to a null output.
 */
import { buildAudioGraph } from './filtergraph.js';
import { planInputArgs } from './ffmpeg-args.js';
import type { RenderPlan } from './plan.js';
import { flicksToFfmpegTime } from '../time/flicks.js';

export interface MixAnalysisCommand {
  args: string[];
  /** The graph; written to `filterScriptPath` when one was given. */
  graph: string;
}

export function mixAnalysisArgs(plan: RenderPlan, analysis: string, opts: { resolvePath(assetPath: string): string; filterScriptPath?: string }): MixAnalysisCommand {
  const graph = `${buildAudioGraph(plan)};[aout]${analysis}[ameasured]`;
  // Inputs that only carry pictures (stills) are opened but never decoded: no stream of theirs is mapped.
  const args = ['-hide_banner', '-nostdin', '-y', ...planInputArgs(plan, opts.resolvePath)];
  if (opts.filterScriptPath) args.push('-filter_complex_script', opts.filterScriptPath);
  else args.push('-filter_complex', graph);
  args.push('-map', '[ameasured]', '-t', flicksToFfmpegTime(plan.durationFlicks), '-f', 'null', '-');
  return { args, graph };
}

/** The same analysis over raw PCM (a segmented export's joined mix). */
export function pcmAnalysisArgs(pcmPath: string, plan: Pick<RenderPlan, 'sampleRate' | 'channels'>, analysis: string, format = 'f32le'): string[] {
  return ['-hide_banner', '-nostdin', '-f', format, '-ar', String(plan.sampleRate), '-ac', String(plan.channels), '-i', pcmPath, '-af', analysis, '-f', 'null', '-'];
}
