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

/**
 * Inputs one ffmpeg run opens at most. Each open decoder holds its buffers from the start
 * (≈ 15 MB per 1080p input with one thread, see decoderThreads), so 32 keeps a run near
 * half a gigabyte; more per run saves little (a segment's start-up is ≈ 0.1 s).
 */
export const MAX_INPUTS_PER_RUN = 32;

/** Share of the progress bar the final join takes (copying the picture, encoding AAC). */
const JOIN_SHARE = 0.03;

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
}

export async function encodePlan(opts: EncodeOptions): Promise<void> {
  const { plan, engine } = opts;
  if (engine.kind !== 'native') {
    const { args } = planToFfmpegCommand(plan, opts.preset, opts.outPath, { resolvePath: opts.resolvePath, metadata: opts.metadata });
    await engine.run({ args, extraInputs: opts.extraInputs, expectedDurationFlicks: plan.durationFlicks, signal: opts.signal, onProgress: (p) => opts.onProgress?.(fractionOf(p, plan), p.etaSeconds) });
    return;
  }
  const scratch = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'shotline-export-'));
  try {
    const segments = splitRenderPlan(plan, { maxInputs: opts.maxInputsPerRun ?? MAX_INPUTS_PER_RUN });
    if (segments.length === 1) await singleRun(opts, scratch);
    else await segmentedRuns(opts, segments, scratch);
  } finally {
    await fs.promises.rm(scratch, { recursive: true, force: true }).catch(() => {});
  }
}

function fractionOf(p: FfmpegProgress, plan: RenderPlan): number {
  return p.fraction ?? p.outTimeFlicks / plan.durationFlicks;
}

async function singleRun(opts: EncodeOptions, scratch: string): Promise<void> {
  const { plan } = opts;
  const filterScriptPath = path.join(scratch, 'graph.txt');
  const cmd = planToFfmpegCommand(plan, opts.preset, opts.outPath, { resolvePath: opts.resolvePath, metadata: opts.metadata, filterScriptPath });
  await fs.promises.writeFile(filterScriptPath, cmd.graph);
  await opts.engine.run({
    args: cmd.args,
    expectedDurationFlicks: plan.durationFlicks,
    signal: opts.signal,
    onProgress: (p) => opts.onProgress?.(fractionOf(p, plan), p.etaSeconds),
  });
}

async function segmentedRuns(opts: EncodeOptions, segments: PlanSegment[], scratch: string): Promise<void> {
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
  await engine.run({
    args: concatMuxArgs(plan, opts.preset, { listPath, pcmPath, outPath: opts.outPath }, opts.metadata),
    expectedDurationFlicks: plan.durationFlicks,
    signal,
    onProgress: (p) => opts.onProgress?.(1 - JOIN_SHARE + JOIN_SHARE * Math.min(1, fractionOf(p, plan)), null),
  });
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
