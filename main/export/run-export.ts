/**
 * Export: timeline → render plan → ffmpeg → MP4, atomically.
 *
 * Order matters: everything that can be checked cheaply is checked before encoding
 * (preset, plan, output folder, target, sources); ffmpeg then writes a hidden partial in
 * the target's folder, which is flushed and renamed over the target only on success. On
 * failure or cancel the partial is deleted, and an existing file at the target is never
 * touched before the rename.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ShotlineError } from '../../app/errors.js';
import { EXPORT_PRESETS, findPreset, type FitMode } from '../../app/export/presets.js';
import { exportMetadata } from '../../app/render/metadata.js';
import { compileRenderPlan } from '../../app/render/plan.js';
import type { ProjectState } from '../../app/model/types.js';
import type { Flicks } from '../../app/time/flicks.js';
import type { FfmpegEngine } from '../media/engine.js';
import { commitPartial, discardPartial, reservePartial } from './partials.js';
import { alreadyExists, checkOutputTarget, checkReverseMemory, checkSources, diskFull, folderNotWritable } from './preflight.js';
import { ProgressReporter, type ExportProgress } from './progress.js';
import { prepareStabilizeForExport } from '../stabilize/export.js';
import type { RecordSink } from '../stabilize/record.js';
import { prepareLutFiles } from './lut-cache.js';
import { backfillColorTags } from './color-tags.js';
import { encodePlan, type LoudnessOutcome } from './encode.js';
import { loudnessTarget, type LoudnessTargetId } from '../../app/export/loudness.js';
import { faultPoint } from '../util/fault.js';

export { cleanStalePartials, type CleanStaleOptions } from './partials.js';
export type { ExportProgress } from './progress.js';

export interface RunExportOptions {
  state: ProjectState;
  /** Project folder; asset paths are relative to it. */
  projectDir: string;
  engine: FfmpegEngine;
  presetId: string;
  fit: FitMode;
  outPath: string;
  overwrite: boolean;
  signal?: AbortSignal;
  onProgress?(p: ExportProgress): void;
  /** Where what the export learns is recorded (the open project): stabilize analyses, backfilled colour tags. */
  record?: RecordSink;
  /** Memory a reversed span may take (default: half the machine's RAM); see app/render/reverse-memory.ts. */
  reverseMemoryBudget?: number;
  /** Inputs one ffmpeg run may open before the export renders in segments (encode.ts; tests lower it). */
  maxInputsPerRun?: number;
  /**
   * Called (and must persist what it needs) just before the finished file is moved into place:
   * the file keeps its identity (device, inode, size) through the move, so a run killed after
   * the move can recognise its own finished output instead of exporting again.
   */
  beforeCommit?(mark: ExportCommitMark): void;
  /**
   * A step on the finished, still hidden file before it is moved into place (content
   * credentials: main/provenance). It may rewrite the file in place; its warnings join the result's.
   */
  /** Burn the moving "AI-generated" mark over generated footage (app/render/watermark.ts). */
  watermark?: boolean;
  afterEncode?(partialPath: string): Promise<{ warnings?: string[]; signedMs?: number }>;
  /** The mix's loudness target; absent: the preset's (app/export/presets.ts). */
  loudness?: LoudnessTargetId;
}

/** Identifies the file an export put at its target; see RunExportOptions.beforeCommit. */
export interface ExportCommitMark {
  dev: number;
  ino: number;
  bytes: number;
  result: ExportResult;
}

/** True when `outPath` is the very file a run recorded in `mark` before it was killed. */
export async function isCommittedOutput(mark: ExportCommitMark, outPath: string): Promise<boolean> {
  try {
    const st = await fs.promises.stat(outPath);
    return st.dev === mark.dev && st.ino === mark.ino && st.size === mark.bytes && mark.result.outPath === path.resolve(outPath);
  } catch {
    return false;
  }
}

export interface ExportResult {
  outPath: string;
  durationFlicks: Flicks;
  bytes: number;
  /** Things the user should know about the result (e.g. deshake used instead of vid.stab). */
  warnings?: string[];
  /** Time the afterEncode step (C2PA signing) took, ms. */
  signedMs?: number;
  /** The loudness pass: its target and what the mix measured before it (null: a silent mix, left alone). */
  loudness?: LoudnessOutcome;
}

export async function runExport(opts: RunExportOptions): Promise<ExportResult> {
  const { state, engine, fit, overwrite, signal } = opts;
  const preset = findPreset(opts.presetId);
  if (!preset)
    throw new ShotlineError('invalid_input', `Unknown export preset "${opts.presetId}".`, `Use one of: ${EXPORT_PRESETS.map((p) => p.id).join(', ')}.`);
  if (fit !== 'fit' && fit !== 'fill') throw new ShotlineError('invalid_input', `Unknown fit mode "${String(fit)}".`, 'Use "fit" (letterbox) or "fill" (crop).');

  const outPath = path.resolve(opts.outPath);
  const dir = path.dirname(outPath);
  const resolvePath = (assetPath: string) => path.resolve(opts.projectDir, assetPath);
  const planOptions = { width: preset.width, height: preset.height, fit };
  const plan = compileRenderPlan(state, planOptions, { watermark: opts.watermark });
  checkReverseMemory(plan, state, opts.reverseMemoryBudget ?? os.totalmem() / 2);
  await checkOutputTarget(outPath, overwrite);
  await checkSources(plan, resolvePath, outPath);
  if (signal?.aborted) throw canceled();

  const progress = new ProgressReporter(opts.onProgress);
  progress.report(0, null, 'Preparing export');
  let partial: string;
  let result: ExportResult;
  try {
    partial = await reservePartial(outPath);
  } catch (e) {
    throw folderNotWritable(dir, e);
  }

  try {
    // `plan` says what the export needs; the files are prepared, then the final plan is compiled from them.
    // Stabilized clips need their motion analysis: from the cache, or run now (main/stabilize).
    const stab = await prepareStabilizeForExport({ plan, state, projectDir: opts.projectDir, engine, signal, record: opts.record, onProgress: (f, m) => progress.report(f, null, m) });
    // Graded clips: their compiled LUTs, from the content-addressed cache or written now (lut-cache.ts),
    // and their sources' colour tags (recorded at import; backfilled once for older assets).
    const luts = await prepareLutFiles(plan, opts.projectDir, { engine });
    const tagged = await backfillColorTags({ state, plan, projectDir: opts.projectDir, engine, record: opts.record, signal });
    const final = compileRenderPlan(tagged, planOptions, { ...stab.resources, lutFiles: luts.lutFiles, watermark: opts.watermark });
    const loudness = await encodePlan({
      loudness: loudnessTarget(opts.loudness ?? preset.loudness),
      plan: final,
      preset,
      engine,
      outPath: partial,
      resolvePath,
      metadata: exportMetadata(state, plan),
      extraInputs: luts.files,
      signal,
      maxInputsPerRun: opts.maxInputsPerRun,
      onProgress: (f, eta) => progress.encoding(stab.share + (1 - stab.share) * f, eta),
    });
    // Canceled after ffmpeg finished but before the file is in place: still a cancel.
    if (signal?.aborted) throw canceled();
    progress.report(progress.last, 0, 'Finishing');
    const after = opts.afterEncode ? await opts.afterEncode(partial) : {};
    if (signal?.aborted) throw canceled();
    const silent = loudness && !loudness.measured ? ['The mix is silent, so its loudness was left alone.'] : [];
    const warnings = [...stab.warnings, ...silent, ...(after.warnings ?? [])];
    const bytes = (await fs.promises.stat(partial)).size;
    if (bytes === 0) throw new ShotlineError('ffmpeg_failed', 'ffmpeg finished without writing the export.', 'Try again; if it keeps happening, try the other ffmpeg engine in Settings.');
    result = { outPath, durationFlicks: plan.durationFlicks, bytes, ...(warnings.length ? { warnings } : {}), ...(after.signedMs !== undefined ? { signedMs: after.signedMs } : {}), ...(loudness ? { loudness } : {}) };
    const st = await fs.promises.stat(partial);
    opts.beforeCommit?.({ dev: st.dev, ino: st.ino, bytes, result });
    await commitPartial(partial, outPath, overwrite);
    faultPoint('export-committed');
  } catch (e) {
    await discardPartial(partial);
    throw withAssetNames(exportError(e, { dir, outPath, aborted: signal?.aborted ?? false }), state);
  }
  // Outside the try: the file is in place, so nothing may delete it now.
  progress.report(1, 0, 'Export finished');
  return result;
}

function canceled(): ShotlineError {
  return new ShotlineError('canceled', 'Export canceled.');
}

/** Rephrases failures in terms of the export (the engine only knows the temp file's name). */
function exportError(e: unknown, ctx: { dir: string; outPath: string; aborted: boolean }): ShotlineError {
  if (ctx.aborted) return canceled();
  if (e instanceof ShotlineError) {
    if (e.code === 'canceled') return canceled();
    if (e.code === 'disk_full' || (e.code === 'ffmpeg_failed' && /No space left on device|Disk quota exceeded/i.test(e.message))) return diskFull(ctx.dir);
    return e;
  }
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'EEXIST') return alreadyExists(ctx.outPath);
  if (code === 'ENOSPC' || code === 'EDQUOT') return diskFull(ctx.dir);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return folderNotWritable(ctx.dir, e);
  return new ShotlineError('internal', `Export failed: ${e instanceof Error ? e.message : String(e)}`);
}

/** ffmpeg only knows media/<sha256>.<ext>; the user knows the name they imported. */
function withAssetNames(e: ShotlineError, state: ProjectState): ShotlineError {
  let message = e.message;
  for (const a of Object.values(state.assets)) {
    const file = path.basename(a.path);
    if (message.includes(`"${file}"`)) message = message.replace(`"${file}"`, `"${a.name}" (${a.path})`);
  }
  return message === e.message ? e : new ShotlineError(e.code, message, e.hint);
}
