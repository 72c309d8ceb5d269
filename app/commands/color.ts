/**
 * Color edits, each one patch (so undoable like every command):
 *  - clip.setGrade: one clip's grade (null removes it);
 *  - clip.pasteGrade: the same grade onto several clips at once (copy/paste, apply preset);
 *  - gradePreset.save / gradePreset.delete: named grades kept in the project settings
 *    (ProjectSettings.gradePresets), which main/store already persists as one JSON value.
 */
import { z } from 'zod';
import { defineCommand } from './define.js';
import { PatchBuilder } from './patch.js';
import { id } from './schemas.js';
import { invalidEdit } from '../errors.js';
import type { Clip, ProjectState } from '../model/types.js';
import { gradeSchema } from '../color/schema.js';
import { primariesAreNeutral, type ColorGrade, type GradePreset } from '../model/color.js';

export const MAX_PRESETS = 200;

function gradableClip(state: ProjectState, clipId: string): Clip {
  const clip = state.clips[clipId];
  if (!clip) throw invalidEdit(`Clip ${clipId} does not exist.`);
  const asset = state.assets[clip.assetId];
  if (asset && (asset.kind === 'audio' || (asset.kind === 'video' && !asset.probe.hasVideo)))
    throw invalidEdit(`"${asset.name}" has no picture to grade.`);
  return clip;
}

/** The clip with `grade`; a grade that does nothing and names no LUT is stored as no grade. */
function withGrade(clip: Clip, grade: ColorGrade | null): Clip {
  const { color: _old, ...rest } = clip.effects;
  const keep = grade && !(primariesAreNeutral(grade) && grade.lut === null);
  return { ...clip, effects: keep ? { ...rest, color: grade } : rest };
}

export const clipSetGrade = defineCommand({
  label: 'Change color grade',
  args: z.object({ clipId: id, grade: gradeSchema.nullable() }),
  run(state, args) {
    const clip = gradableClip(state, args.clipId);
    return new PatchBuilder().set('clips', withGrade(clip, args.grade)).patch;
  },
});

export const clipPasteGrade = defineCommand({
  label: 'Paste color grade',
  args: z.object({ clipIds: z.array(id).min(1).max(10_000), grade: gradeSchema.nullable() }),
  run(state, args) {
    const b = new PatchBuilder();
    for (const cid of new Set(args.clipIds)) b.set('clips', withGrade(gradableClip(state, cid), args.grade));
    return b.patch;
  },
});

const presetName = z.string().trim().min(1).max(100);

export const gradePresetSave = defineCommand({
  label: 'Save grade preset',
  /** A preset with the same name (case-insensitive) is replaced. */
  args: z.object({ name: presetName, grade: gradeSchema }),
  run(state, args, ctx) {
    const presets = state.settings.gradePresets ?? [];
    const same = presets.find((p) => p.name.toLowerCase() === args.name.toLowerCase());
    if (!same && presets.length >= MAX_PRESETS) throw invalidEdit(`A project keeps at most ${MAX_PRESETS} grade presets.`, 'Delete one you no longer use.');
    const preset: GradePreset = { id: same?.id ?? ctx.newId('preset'), name: args.name, grade: args.grade };
    const next = same ? presets.map((p) => (p.id === same.id ? preset : p)) : [...presets, preset];
    return new PatchBuilder().settings({ ...state.settings, gradePresets: next }).patch;
  },
});

export const gradePresetDelete = defineCommand({
  label: 'Delete grade preset',
  args: z.object({ presetId: id }),
  run(state, args) {
    const presets = state.settings.gradePresets ?? [];
    if (!presets.some((p) => p.id === args.presetId)) throw invalidEdit('That grade preset does not exist.');
    return new PatchBuilder().settings({ ...state.settings, gradePresets: presets.filter((p) => p.id !== args.presetId) }).patch;
  },
});
