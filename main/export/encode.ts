/**
 * Encoding a compiled render plan into the export's partial file.
 *
 * Native ffmpeg gets the filter graph through a script file (no argument-size limit); a plan
 * with more inputs than one ffmpeg run should open is rendered in segments
 * (app/render/segments.ts) that are joined without re-encoding the picture
 * (app/render/segment-args.ts). The wasm engine keeps the single inline run: it has no
 * exec argument limit, cannot write two outputs, and its in-memory filesystem would not
 * hold a feature's segments anyway.
 *
 * Scratch files (scripts, segments, PCM) live in a private temp folder removed on every
 * outcome; only the partial beside the target is the caller's (partials.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExportPreset } from '../../app/export/presets.js';
import { planToFfmpegCommand } from '../../app/render/ffmpeg-args.js';
import type { RenderPlan } from '../../app/render/plan.js';
import { concatList, concatMuxArgs, SEGMENT_PCM, segmentArgs } from '../../app/render/segment-args.js';
import { splitRenderPlan, type PlanSegment } from '../../app/render/segments.js';
import { ShotlineError } from '../../app/errors.js';
import type { FfmpegEngine, FfmpegProgress } from '../media/engine.js';
import { loudnormApplyFilter, type LoudnessTarget, type LoudnormMeasurement } from '../../app/export/loudness.js';
import { measureMixLoudness } from './loudness.js';

/**
 * Inputs one ffmpeg run opens at most. Each open decoder holds its buffers from the start
 * (≈ 15 MB per 1080p input with one thread, see decoderThreads), so 32 keeps a run near
 * half a gigabyte; more per run saves little (a segment's start-up is ≈ 0.1 s).
 */
export const MAX_INPUTS_PER_RUN = 32;

/** Share of the progress bar the final join takes (copying the picture, encoding AAC). */
const JOIN_SHARE = 0.03;
/** Share the loudness measurement of a single-run export takes (the mix alone, no picture). */
const MEASURE_SHARE = 0.08;

/** What the loudness pass did: the target, what the mix measured before it (null: silent, left alone). */
export interface LoudnessOutcome {
  target: LoudnessTarget['id'];
  measured: LoudnormMeasurement | null;
}

export interface EncodeOptions {
  plan: RenderPlan;
  preset: ExportPreset;
  engine: FfmpegEngine;
  /** The file ffmpeg writes (the export's partial). */
  outPath: string;
  resolvePath(assetPath: string): string;
  metadata?: Record<string, string>;
  /** Files named inside the graph (LUTs), for the wasm engine. */
  extraInputs?: string[];
  signal?: AbortSignal;
  /** 0..1 of the encoding, and ffmpeg's ETA when it has one. */
  onProgress?(fraction: number, etaSeconds: number | null): void;
  /** Overrides MAX_INPUTS_PER_RUN (tests use small values to get many segments cheaply). */
  maxInputsPerRun?: number;
  /** Normalise the final mix to this target (two passes: measure, then loudnorm with the measured values). */
  loudness?: LoudnessTarget | null;
}

export async function encodePlan(opts: EncodeOptions): Promise<LoudnessOutcome | null> {
  const { plan, engine } = opts;
  const segments = engine.kind === 'native' ? splitRenderPlan(plan, { maxInputs: opts.maxInputsPerRun ?? MAX_INPUTS_PER_RUN }) : null;
  // One run: measure the mix alone first, then encode with loudnorm on the mix. Segments: the
  // joined PCM is measured and normalised in the final join (segmentedRuns).
  let outcome: LoudnessOutcome | null = null;
  let audioPost: string | undefined;
  let share = 0;
  if (opts.loudness && (!segments || segments.length === 1)) {
    share = MEASURE_SHARE;
    const measured = await measureMixLoudness({ plan, engine, resolvePath: opts.resolvePath, signal: opts.signal, target: opts.loudness, onProgress: (f) => opts.onProgress?.(share * f, null) });
    outcome = { target: opts.loudness.id, measured };
    if (measured) audioPost = loudnormApplyFilter(opts.loudness, measured, plan.sampleRate);
  }
  const run: EncodeOptions = { ...opts, onProgress: (f, eta) => opts.onProgress?.(share + (1 - share) * f, eta) };
  if (!segments) {
    const { args } = planToFfmpegCommand(plan, opts.preset, opts.outPath, { resolvePath: opts.resolvePath, metadata: opts.metadata, audioPost });
    await engine.run({ args, extraInputs: opts.extraInputs, expectedDurationFlicks: plan.durationFlicks, signal: opts.signal, onProgress: (p) => run.onProgress?.(fractionOf(p, plan), p.etaSeconds) });
    return outcome;
  }
  const scratch = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'shotline-export-'));
  try {
    if (segments.length === 1) await singleRun(run, scratch, audioPost);
    else outcome = await segmentedRuns(run, segments, scratch);
  } finally {
    await fs.promises.rm(scratch, { recursive: true, force: true }).catch(() => {});
  }
  return outcome;
}

function fractionOf(p: FfmpegProgress, plan: RenderPlan): number {
  return p.fraction ?? p.outTimeFlicks / plan.durationFlicks;
}

async function singleRun(opts: EncodeOptions, scratch: string, audioPost: string | undefined): Promise<void> {
  const { plan } = opts;
  const filterScriptPath = path.join(scratch, 'graph.txt');
  const cmd = planToFfmpegCommand(plan, opts.preset, opts.outPath, { resolvePath: opts.resolvePath, metadata: opts.metadata, filterScriptPath, audioPost });
  await fs.promises.writeFile(filterScriptPath, cmd.graph);
  await opts.engine.run({
    args: cmd.args,
    expectedDurationFlicks: plan.durationFlicks,
    signal: opts.signal,
    onProgress: (p) => opts.onProgress?.(fractionOf(p, plan), p.etaSeconds),
  });
}

async function segmentedRuns(opts: EncodeOptions, segments: PlanSegment[], scratch: string): Promise<LoudnessOutcome | null> {
  const { plan, engine, signal } = opts;
  const pcmPath = path.join(scratch, 'audio.pcm');
  const pcm = await fs.promises.open(pcmPath, 'w');
  const frameBytes = SEGMENT_PCM.bytesPerSample * plan.channels;
  const done: { path: string; frames: number }[] = [];
  try {
    for (const [i, seg] of segments.entries()) {
      if (signal?.aborted) throw new ShotlineError('canceled', 'Export canceled.');
      const files = {
        filterScriptPath: path.join(scratch, `graph${i}.txt`),
        videoPath: path.join(scratch, `seg${i}.mp4`),
        audioPath: path.join(scratch, `seg${i}.pcm`),
      };
      const cmd = segmentArgs(seg.plan, opts.preset, files, { resolvePath: opts.resolvePath });
      await fs.promises.writeFile(files.filterScriptPath, cmd.graph);
      const before = seg.startFrame / plan.frameCount;
      const share = (seg.endFrame - seg.startFrame) / plan.frameCount;
      await engine.run({
        args: cmd.args,
        expectedDurationFlicks: seg.plan.durationFlicks,
        signal,
        onProgress: (p) => opts.onProgress?.((1 - JOIN_SHARE) * (before + share * Math.min(1, fractionOf(p, seg.plan))), null),
      });
      await appendExact(pcm, files.audioPath, seg.samples * frameBytes);
      await fs.promises.rm(files.audioPath, { force: true });
      done.push({ path: files.videoPath, frames: seg.endFrame - seg.startFrame });
    }
  } finally {
    await pcm.close();
  }
  const listPath = path.join(scratch, 'segments.ffconcat');
  await fs.promises.writeFile(listPath, concatList(done, plan));
  // The loudness of the joined mix (the whole film, not each segment), applied in the join.
  let outcome: LoudnessOutcome | null = null;
  let audioFilter: string | undefined;
  if (opts.loudness) {
    const measured = await measureMixLoudness({ plan, engine, resolvePath: opts.resolvePath, signal, target: opts.loudness, pcm: { path: pcmPath, format: SEGMENT_PCM.format } });
    outcome = { target: opts.loudness.id, measured };
    if (measured) audioFilter = loudnormApplyFilter(opts.loudness, measured, plan.sampleRate);
  }
  await engine.run({
    args: concatMuxArgs(plan, opts.preset, { listPath, pcmPath, outPath: opts.outPath }, opts.metadata, audioFilter),
    expectedDurationFlicks: plan.durationFlicks,
    signal,
    onProgress: (p) => opts.onProgress?.(1 - JOIN_SHARE + JOIN_SHARE * Math.min(1, fractionOf(p, plan)), null),
  });
  return outcome;
}

/**
 * Appends a segment's PCM to the joined stream, cut or padded with silence to exactly
 * `bytes` (its share of the whole timeline's samples), so no seam drifts by even a sample.
 */
async function appendExact(out: fs.promises.FileHandle, file: string, bytes: number): Promise<void> {
  const data = await fs.promises.readFile(file);
  const body = data.subarray(0, Math.min(bytes, data.length));
  await out.write(body);
  if (body.length < bytes) await out.write(Buffer.alloc(bytes - body.length));
}
