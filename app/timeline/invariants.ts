/** Invariants every committed state satisfies; tests run them after every command, undo and redo. */
import type { Clip, ProjectState } from '../model/types.js';
import { isDeclaredCrossfade } from './crossfades.js';
import { assetSourceDuration, clipEnd } from './query.js';
import { timingProblems } from '../timing/validate.js';

export function checkInvariants(state: ProjectState): string[] {
  const problems: string[] = [];
  const byTrack = new Map<string, { start: number; end: number; id: string; clip: Clip }[]>();
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
    if (c.effects.gainKeyframes) {
      const k = c.effects.gainKeyframes;
      for (let i = 1; i < k.length; i++) if (!(k[i]!.sourceFlicks > k[i - 1]!.sourceFlicks)) problems.push(`clip ${c.id} keyframes out of order`);
    }
    if (c.audioDetached && state.tracks[c.trackId]?.kind !== 'video') problems.push(`clip ${c.id} detached sound off a video track`);
    const list = byTrack.get(c.trackId) ?? [];
    list.push({ start: c.startFlicks, end: clipEnd(c), id: c.id, clip: c });
    byTrack.set(c.trackId, list);
  }
  for (const [track, list] of byTrack) {
    list.sort((a, b) => a.start - b.start);
    // Neighbours may overlap only as a declared crossfade on an audio track, and never three deep.
    const audio = state.tracks[track]?.kind === 'audio';
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [list[i - 1]!, list[i]!];
      if (b.start < a.end && !(audio && isDeclaredCrossfade(a.clip, b.clip))) problems.push(`clips ${a.id} and ${b.id} overlap on ${track}`);
      if (i > 1 && b.start < list[i - 2]!.end) problems.push(`clips ${list[i - 2]!.id} and ${b.id} overlap on ${track}`);
    }
    list.forEach((e, i) => {
      if ((e.clip.effects.crossfadeInFlicks ?? 0) > 0 && !(i > 0 && isDeclaredCrossfade(list[i - 1]!.clip, e.clip)))
        problems.push(`clip ${e.id} declares a crossfade with no clip under it`);
    });
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
