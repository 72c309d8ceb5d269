/**
 * Loudness of the final mix, through ffmpeg (the I/O half of app/export/loudness.ts):
 *  - `measureMixLoudness`: loudnorm's first pass over the mix alone (no picture decoded), or
 *    over a segmented export's joined PCM;
 *  - `meterMix`: the Export dialog's meter, ffmpeg's `ebur128` with true peak: integrated,
 *    short-term maximum, true peak and loudness range, with progress.
 * Filter graphs go through a script file (no argument-size limit) in a private temp folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ShotlineError } from '../../app/errors.js';
import { loudnormMeasureFilter, parseEbur128Frame, parseEbur128Summary, parseLoudnormJson, type LoudnessReport, type LoudnessTarget, type LoudnormMeasurement } from '../../app/export/loudness.js';
import { mixAnalysisArgs, pcmAnalysisArgs } from '../../app/render/mix-args.js';
import type { RenderPlan } from '../../app/render/plan.js';
import { FLICKS_PER_SECOND } from '../../app/time/flicks.js';
import type { FfmpegEngine } from '../media/engine.js';

interface MixRun {
  plan: RenderPlan;
  engine: FfmpegEngine;
  resolvePath(assetPath: string): string;
  signal?: AbortSignal;
  /** 0..1 of the mix read so far. */
  onProgress?(fraction: number): void;
}

/** Runs an analysis filter over the mix and returns ffmpeg's log. */
async function analyseMix(o: MixRun, analysis: string, pcm?: { path: string; format: string }): Promise<string[]> {
  const log: string[] = [];
  const scratch = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'shotline-loudness-'));
  try {
    let args: string[];
    if (pcm) args = pcmAnalysisArgs(pcm.path, o.plan, analysis, pcm.format);
    else if (o.engine.kind === 'native') {
      const filterScriptPath = path.join(scratch, 'mix.txt');
      const cmd = mixAnalysisArgs(o.plan, analysis, { resolvePath: o.resolvePath, filterScriptPath });
      await fs.promises.writeFile(filterScriptPath, cmd.graph);
      args = cmd.args;
    } else args = mixAnalysisArgs(o.plan, analysis, { resolvePath: o.resolvePath }).args;
    await o.engine.run({
      args,
      expectedDurationFlicks: o.plan.durationFlicks,
      signal: o.signal,
      onLog: (l) => log.push(l),
      onProgress: (p) => o.onProgress?.(Math.min(1, p.fraction ?? p.outTimeFlicks / o.plan.durationFlicks)),
    });
  } finally {
    await fs.promises.rm(scratch, { recursive: true, force: true }).catch(() => {});
  }
  return log;
}

/** loudnorm's first pass over the mix; null for a silent mix (nothing to normalise). */
export async function measureMixLoudness(o: MixRun & { target: LoudnessTarget; pcm?: { path: string; format: string } }): Promise<LoudnormMeasurement | null> {
  const log = await analyseMix(o, loudnormMeasureFilter(o.target), o.pcm);
  const m = parseLoudnormJson(log.join('\n'));
  if (!m) throw new ShotlineError('ffmpeg_failed', 'ffmpeg did not report the loudness of the mix (loudnorm printed nothing).', 'Try the export again; if it keeps happening, export with loudness off.');
  // −70 LUFS is the gate: below it there is no programme to measure (a silent timeline).
  if (!Number.isFinite(m.integrated) || m.integrated <= -70) return null;
  return m;
}

/** The meter: EBU R128 figures of the mix as the export would make it. */
export async function meterMix(o: MixRun): Promise<LoudnessReport> {
  let shortTermMax = -Infinity;
  const durationSeconds = o.plan.durationFlicks / FLICKS_PER_SECOND;
  // framelog=info: one line per 100 ms with the short-term loudness (the summary comes at the end).
  const lines = await analyseMix(o, 'ebur128=peak=true:framelog=info');
  for (const l of lines) {
    const f = parseEbur128Frame(l);
    if (f && f.shortTerm > shortTermMax) shortTermMax = f.shortTerm;
  }
  const s = parseEbur128Summary(lines.join('\n'));
  o.onProgress?.(1);
  return { integrated: floor(s.integrated), shortTermMax: floor(shortTermMax), truePeak: floor(s.truePeak), lra: Number.isFinite(s.lra) ? s.lra : 0, durationSeconds };
}

/** Silence reads −inf; JSON has no infinity, so the report floors at −120 (far below any gate). */
function floor(v: number): number {
  return Number.isFinite(v) ? Math.max(-120, v) : -120;
}
