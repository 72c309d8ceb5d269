/** Invariants every committed state satisfies; tests run them after every command, undo and redo. */
import type { ProjectState } from '../model/types.js';
import { assetSourceDuration, clipEnd } from './query.js';
import { timingProblems } from '../timing/validate.js';

export function checkInvariants(state: ProjectState): string[] {
  const problems: string[] = [];
  const byTrack = new Map<string, { start: number; end: number; id: string }[]>();
  for (const c of Object.values(state.clips)) {
    if (!state.tracks[c.trackId]) problems.push(`clip ${c.id} on missing track ${c.trackId}`);
    if (!state.assets[c.assetId]) problems.push(`clip ${c.id} uses missing asset ${c.assetId}`);
    if (!Number.isInteger(c.startFlicks) || !Number.isInteger(c.inFlicks) || !Number.isInteger(c.outFlicks))
      problems.push(`clip ${c.id} has non-integer times`);
    if (c.startFlicks < 0) problems.push(`clip ${c.id} starts before 0`);
    if (c.inFlicks < 0) problems.push(`clip ${c.id} source in < 0`);
    if (c.outFlicks <= c.inFlicks) problems.push(`clip ${c.id} has in >= out`);
    if (state.assets[c.assetId] && c.outFlicks > assetSourceDuration(state, c.assetId))
      problems.push(`clip ${c.id} runs past the end of its source`);
    if (c.shotId && !state.shots[c.shotId]) problems.push(`clip ${c.id} links missing shot ${c.shotId}`);
    if (c.effects.speed || c.effects.loop) problems.push(...timingProblems(c));
    const list = byTrack.get(c.trackId) ?? [];
    list.push({ start: c.startFlicks, end: clipEnd(c), id: c.id });
    byTrack.set(c.trackId, list);
  }
  for (const [track, list] of byTrack) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 1; i < list.length; i++)
      if (list[i]!.start < list[i - 1]!.end) problems.push(`clips ${list[i - 1]!.id} and ${list[i]!.id} overlap on ${track}`);
  }
  for (const t of Object.values(state.takes)) {
    if (!state.shots[t.shotId]) problems.push(`take ${t.id} of missing shot ${t.shotId}`);
    if (!state.assets[t.assetId]) problems.push(`take ${t.id} uses missing asset ${t.assetId}`);
    if (t.remixOf && !state.takes[t.remixOf]) problems.push(`take ${t.id} remixes missing take ${t.remixOf}`);
  }
  for (const s of Object.values(state.shots)) {
    if (s.chosenTakeId && state.takes[s.chosenTakeId]?.shotId !== s.id)
      problems.push(`shot ${s.id} chose a take that is not its own`);
    if (s.referenceAssetId && !state.assets[s.referenceAssetId]) problems.push(`shot ${s.id} references missing asset`);
    if (!(s.durationFlicks > 0)) problems.push(`shot ${s.id} has no duration`);
  }
  for (const [id, a] of Object.entries(state.assets)) if (a.id !== id) problems.push(`asset key ${id} != id`);
  return problems;
}
