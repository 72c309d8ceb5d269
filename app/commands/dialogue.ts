/**
 * `dialogue.place`: voiced lines onto the timeline, as one undoable edit (the "Voice dialogue"
 * job calls it once its audio is imported). Placement rules: app/dialogue/placement.ts.
 */
import { z } from 'zod';
import { invalidEdit } from '../errors.js';
import type { Track } from '../model/types.js';
import { dialogueRefOf, placeDialogue } from '../dialogue/placement.js';
import { defineCommand } from './define.js';
import { PatchBuilder } from './patch.js';
import { id } from './schemas.js';

export const dialoguePlace = defineCommand({
  label: 'Voice dialogue',
  args: z.object({ shotId: id, voicings: z.array(z.object({ line: z.number().int().min(0).max(49), assetId: id })).min(1).max(50) }).strict(),
  run(state, args, ctx) {
    const shot = state.shots[args.shotId];
    if (!shot) throw invalidEdit(`Shot ${args.shotId} does not exist.`);
    const seen = new Set<number>();
    for (const v of args.voicings) {
      if (seen.has(v.line)) throw invalidEdit(`Line ${v.line + 1} is voiced twice in one edit.`);
      seen.add(v.line);
      if (v.line >= shot.prompt.dialogue.length) throw invalidEdit(`"${shot.title}" has no dialogue line ${v.line + 1}.`);
      const asset = state.assets[v.assetId];
      if (!asset || !asset.probe.hasAudio) throw invalidEdit('The voiced line is not audio in this project.', 'Voice the line again.');
      const ref = dialogueRefOf(asset);
      if (!ref || ref.shotId !== shot.id || ref.line !== v.line) throw invalidEdit(`That audio does not voice line ${v.line + 1} of "${shot.title}".`);
    }
    const p = placeDialogue(state, shot, args.voicings);
    const b = new PatchBuilder();
    const trackIds = new Map<string, string>();
    for (const t of p.newTracks) {
      const track: Track = { id: ctx.newId('track'), kind: 'audio', index: t.index, name: t.name, muted: false };
      trackIds.set(t.key, track.id);
      b.set('tracks', track);
    }
    for (const cid of p.remove) b.delete('clips', cid);
    for (const c of p.add) b.set('clips', { ...c, id: ctx.newId('clip'), trackId: trackIds.get(c.trackId) ?? c.trackId });
    return b.patch;
  },
});
