/** Storyboard edits: shots and their takes. */
import { z } from 'zod';
import { invalidEdit } from '../errors.js';
import { EMPTY_PROMPT, type Clip, type ProjectState, type Shot, type Take, type Aspect } from '../model/types.js';
import { orderedShots, assetSourceDuration } from '../timeline/query.js';
import { secondsToFlicks } from '../time/flicks.js';
import { defineCommand } from './define.js';
import { PatchBuilder } from './patch.js';
import { id, shotFields } from './schemas.js';

export const DEFAULT_SHOT_SECONDS = 4;

export function projectAspect(state: ProjectState): Aspect {
  const { width, height } = state.settings;
  if (width === height) return '1:1';
  return width > height ? '16:9' : '9:16';
}

function requireShot(state: ProjectState, shotId: string): Shot {
  const s = state.shots[shotId];
  if (!s) throw invalidEdit(`Shot ${shotId} does not exist.`);
  return s;
}

function requireTake(state: ProjectState, takeId: string): Take {
  const t = state.takes[takeId];
  if (!t) throw invalidEdit(`Take ${takeId} does not exist.`);
  return t;
}

/** Sort key between the shots at index-1 and index of `ordered` (fractional ranks: a move writes one row). */
function positionAt(ordered: Shot[], index: number): number {
  const before = ordered[index - 1]?.position;
  const after = ordered[index]?.position;
  if (before === undefined && after === undefined) return 1;
  if (before === undefined) return after! - 1;
  if (after === undefined) return before + 1;
  return (before + after) / 2;
}

function applyFields(shot: Shot, fields: z.infer<typeof shotFields>): Shot {
  const { prompt, ...rest } = fields;
  return { ...shot, ...rest, prompt: prompt ? { ...shot.prompt, ...prompt } : shot.prompt };
}

function takesOf(state: ProjectState, shotId: string): Take[] {
  return Object.values(state.takes)
    .filter((t) => t.shotId === shotId)
    .sort((a, b) => a.position - b.position);
}

export const shotAdd = defineCommand({
  label: 'Add shot',
  // `shotId`: an id the caller chose, so a window can select the new shot (and take the
  // user's typing into it) before main's answer arrives.
  args: z.object({ afterShotId: id.nullable().optional(), shotId: id.optional(), fields: shotFields.optional() }),
  run(state, args, ctx) {
    if (args.shotId && state.shots[args.shotId])
      throw invalidEdit(`The id ${args.shotId} is already in use; add the shot again.`);
    const ordered = orderedShots(state);
    let index = ordered.length;
    if (args.afterShotId) {
      requireShot(state, args.afterShotId);
      index = ordered.findIndex((s) => s.id === args.afterShotId) + 1;
    }
    if (args.fields?.referenceAssetId && !state.assets[args.fields.referenceAssetId])
      throw invalidEdit('The reference image is not in this project.');
    const shot: Shot = applyFields(
      {
        id: args.shotId ?? ctx.newId('shot'),
        position: positionAt(ordered, index),
        title: `Shot ${ordered.length + 1}`,
        prompt: EMPTY_PROMPT,
        durationFlicks: secondsToFlicks(DEFAULT_SHOT_SECONDS),
        aspect: projectAspect(state),
        chosenTakeId: null,
        seed: null,
        referenceAssetId: null,
        continuity: false,
        cameoIds: [],
        notes: '',
      },
      args.fields ?? {},
    );
    return new PatchBuilder().set('shots', shot).patch;
  },
});

export const shotUpdate = defineCommand({
  label: 'Edit shot',
  args: z.object({ shotId: id, fields: shotFields }),
  run(state, args) {
    const shot = requireShot(state, args.shotId);
    if (args.fields.referenceAssetId && !state.assets[args.fields.referenceAssetId])
      throw invalidEdit('The reference image is not in this project.');
    return new PatchBuilder().set('shots', applyFields(shot, args.fields)).patch;
  },
});

export const shotDuplicate = defineCommand({
  label: 'Duplicate shot',
  args: z.object({ shotId: id }),
  run(state, args, ctx) {
    const shot = requireShot(state, args.shotId);
    const ordered = orderedShots(state);
    const index = ordered.findIndex((s) => s.id === shot.id) + 1;
    const b = new PatchBuilder();
    const copyId = ctx.newId('shot');
    let chosen: string | null = null;
    for (const t of takesOf(state, shot.id)) {
      const tid = ctx.newId('take');
      if (t.id === shot.chosenTakeId) chosen = tid;
      b.set('takes', { ...t, id: tid, shotId: copyId, remixOf: null });
    }
    b.set('shots', { ...shot, id: copyId, title: `${shot.title} (copy)`, position: positionAt(ordered, index), chosenTakeId: chosen });
    return b.patch;
  },
});

export const shotMove = defineCommand({
  label: 'Reorder shots',
  args: z.object({ shotId: id, toIndex: z.number().int().min(0) }),
  run(state, args) {
    const shot = requireShot(state, args.shotId);
    const others = orderedShots(state).filter((s) => s.id !== shot.id);
    const index = Math.min(args.toIndex, others.length);
    return new PatchBuilder().set('shots', { ...shot, position: positionAt(others, index) }).patch;
  },
});

export const shotRemove = defineCommand({
  label: 'Delete shot',
  args: z.object({ shotId: id }),
  run(state, args) {
    requireShot(state, args.shotId);
    const b = new PatchBuilder().delete('shots', args.shotId);
    for (const t of takesOf(state, args.shotId)) b.delete('takes', t.id);
    // Clips assembled from the shot stay on the timeline; they just lose the link.
    for (const c of Object.values(state.clips)) if (c.shotId === args.shotId) b.set('clips', { ...c, shotId: null });
    return b.patch;
  },
});

export const takeAdd = defineCommand({
  label: 'Add take',
  args: z.object({ shotId: id, assetId: id, label: z.string().max(200).optional(), remixOf: id.nullable().optional() }),
  run(state, args, ctx) {
    const shot = requireShot(state, args.shotId);
    const asset = state.assets[args.assetId];
    if (!asset) throw invalidEdit('That media is not in this project.', 'Import it first.');
    if (asset.kind === 'audio') throw invalidEdit(`"${asset.name}" is audio only; a take needs a picture.`);
    if (args.remixOf) requireTake(state, args.remixOf);
    const existing = takesOf(state, shot.id);
    const take: Take = {
      id: ctx.newId('take'),
      shotId: shot.id,
      assetId: asset.id,
      position: (existing.at(-1)?.position ?? 0) + 1,
      label: args.label ?? `Take ${existing.length + 1}`,
      remixOf: args.remixOf ?? null,
    };
    const b = new PatchBuilder().set('takes', take);
    if (!shot.chosenTakeId) b.set('shots', { ...shot, chosenTakeId: take.id });
    return b.patch;
  },
});

export const takeChoose = defineCommand({
  label: 'Pick take',
  args: z.object({ takeId: id }),
  run(state, args) {
    const take = requireTake(state, args.takeId);
    const shot = requireShot(state, take.shotId);
    const b = new PatchBuilder().set('shots', { ...shot, chosenTakeId: take.id });
    // An assembled shot follows its pick: same place and trims where they still fit the new take.
    const sourceEnd = assetSourceDuration(state, take.assetId);
    // Its linked sound follows too; a take without sound drops it (the picture then plays
    // whatever sound its media has, so picking a take with sound again is heard).
    const hasSound = !!state.assets[take.assetId]?.probe.hasAudio;
    for (const c of Object.values(state.clips)) {
      if (c.shotId !== shot.id || c.assetId === take.assetId) continue;
      const onAudio = state.tracks[c.trackId]?.kind === 'audio';
      if (onAudio && !hasSound) {
        b.delete('clips', c.id);
        continue;
      }
      const inF = Math.min(c.inFlicks, Math.max(0, sourceEnd - 1));
      const outF = Math.min(c.outFlicks, sourceEnd);
      const next: Clip = { ...c, assetId: take.assetId, inFlicks: inF, outFlicks: Math.max(outF, inF + 1) };
      if (!hasSound && c.audioDetached) {
        delete next.audioDetached;
        delete next.linkId;
      }
      b.set('clips', next);
    }
    return b.patch;
  },
});

export const takeRemove = defineCommand({
  label: 'Delete take',
  args: z.object({ takeId: id }),
  run(state, args) {
    const take = requireTake(state, args.takeId);
    const shot = requireShot(state, take.shotId);
    const b = new PatchBuilder().delete('takes', take.id);
    for (const t of Object.values(state.takes)) if (t.remixOf === take.id) b.set('takes', { ...t, remixOf: null });
    if (shot.chosenTakeId === take.id) {
      const next = takesOf(state, shot.id).find((t) => t.id !== take.id);
      b.set('shots', { ...shot, chosenTakeId: next?.id ?? null });
    }
    return b.patch;
  },
});
