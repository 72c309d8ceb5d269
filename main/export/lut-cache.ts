/**
 * Compiled grade LUTs for export. Each lut3d stage of a render plan names its compiled
 * .cube by content key (media/derived/luts/<key>.cube); this writes the missing ones
 * (compileGrade — the very function the Viewer's preview uses), atomically, and returns
 * their absolute paths (for compileRenderPlan) and the files the wasm engine must copy in.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileGrade } from '../../app/color/compile.js';
import { CubeParseError, parseCube, writeCube } from '../../app/color/cube.js';
import { escapeFilterPath, lut3dStages } from '../../app/render/color-stage.js';
import type { Lut3dStage } from '../../app/render/types.js';
import type { Lut3D, LutRef } from '../../app/model/color.js';
import { ShotlineError } from '../../app/errors.js';
import type { RenderPlan } from '../../app/render/plan.js';
import type { FfmpegEngine } from '../media/engine.js';
import { writeFileAtomic } from '../media/write-atomic.js';

export interface PreparedLuts {
  /** Absolute path of each compiled LUT by grade key (PlanResources.lutFiles). */
  lutFiles: Record<string, string>;
  /** The same files, once each: what the wasm engine must copy in (extraInputs). */
  files: string[];
}

/** Read, verify (content hash) and parse an imported LUT of the project. */
export async function loadProjectLut(projectDir: string, ref: LutRef): Promise<Lut3D> {
  const file = path.resolve(projectDir, ref.path);
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(file);
  } catch {
    throw new ShotlineError('media_unreadable', `The LUT "${ref.name}" is missing from the project (${file}).`, 'Import the .cube file again on the clip, or remove the LUT from its grade.');
  }
  if (createHash('sha256').update(bytes).digest('hex') !== ref.sha256)
    throw new ShotlineError('media_unreadable', `The LUT "${ref.name}" in the project is damaged (its content changed).`, 'Import the .cube file again.');
  try {
    return parseCube(bytes.toString('utf8'));
  } catch (e) {
    if (e instanceof CubeParseError) throw new ShotlineError('media_unreadable', `The LUT "${ref.name}" cannot be read: ${e.message}`);
    throw e;
  }
}

/** The compiled .cube text of a stage's grade. */
export async function compiledLutText(projectDir: string, stage: Lut3dStage): Promise<string> {
  const { grade } = stage;
  const imported = grade.lut && grade.lutStrength > 0 ? await loadProjectLut(projectDir, grade.lut) : null;
  return writeCube(compileGrade(grade, imported), { comments: [`Shotline grade ${stage.key}`, 'Compiled by app/color/compile.ts; preview and export sample this same LUT.'] });
}

export interface PrepareLutOptions {
  /** The engine that will run the graph: wasm finds extra files by their verbatim path text. */
  engine: Pick<FfmpegEngine, 'kind'>;
  /** Where LUTs go when the project path needs filter escaping and the engine is wasm. */
  scratchDir?: string;
}

/**
 * Every LUT the plan's grades need, found in the content-addressed cache or compiled now;
 * their paths go to compileRenderPlan (PlanResources.lutFiles) for the final plan.
 */
export async function prepareLutFiles(plan: RenderPlan, projectDir: string, opts: PrepareLutOptions): Promise<PreparedLuts> {
  const where = new Map<string, string>();
  for (const stage of lut3dStages(plan)) {
    if (where.has(stage.key)) continue;
    let abs = path.resolve(projectDir, stage.file);
    // The wasm engine swaps a real path for its in-memory one by plain text search, which
    // an escaped path would not match; such projects get their LUTs from a scratch folder.
    if (opts.engine.kind === 'wasm' && escapeFilterPath(abs) !== abs) {
      abs = path.join(opts.scratchDir ?? path.join(os.tmpdir(), 'shotline-luts'), `${stage.key}.cube`);
    }
    if (!fs.existsSync(abs)) {
      const text = await compiledLutText(projectDir, stage);
      await fs.promises.mkdir(path.dirname(abs), { recursive: true });
      await writeFileAtomic(abs, text);
    }
    where.set(stage.key, abs);
  }
  return { lutFiles: Object.fromEntries(where), files: [...new Set(where.values())] };
}
