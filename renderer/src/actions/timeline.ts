/** Timeline and transport actions shared by keys, toolbar buttons and the viewer. */
import { clipEnd, timelineDuration } from '@app/timeline/query';
import { linkedPartners } from '@app/timeline/links';
import { flicksPerFrame, snapToFrame } from '@app/time/flicks';
import { useProject } from '../state/project';
import { clipsAtIndexed } from '../state/project-index';
import { SHUTTLE_RATES, useUi } from '../state/ui';
import { execute } from '@app/commands/engine';
import type { Patch } from '@app/commands/patch';
import { edit, type ArgsOf } from './edit';
import { newClientId } from './storyboard';
import { notify } from './errors';

const ui = () => useUi.getState();

export function togglePlay(): void {
  const s = ui();
  if (s.rate !== 0) return s.setRate(0);
  const end = timelineDuration(useProject.getState().state!);
  if (end > 0 && s.playhead >= end) s.setPlayhead(0);
  s.setRate(1);
}

/** J/K/L: J reverse, K stop, L forward; pressing again in the same direction goes faster. */
export function shuttle(dir: 'reverse' | 'stop' | 'forward'): void {
  const s = ui();
  if (dir === 'stop') return s.setRate(0);
  const sign = dir === 'forward' ? 1 : -1;
  const current = Math.abs(s.rate);
  const sameWay = Math.sign(s.rate) === sign;
  const i = sameWay ? SHUTTLE_RATES.indexOf(current as (typeof SHUTTLE_RATES)[number]) : -1;
  const next = SHUTTLE_RATES[Math.min(SHUTTLE_RATES.length - 1, i + 1)]!;
  if (sign > 0) {
    const end = timelineDuration(useProject.getState().state!);
    if (end > 0 && s.playhead >= end) s.setPlayhead(0);
  }
  s.setRate(sign * next);
}

export function stepFrames(n: number): void {
  const state = useProject.getState().state;
  if (!state) return;
  const s = ui();
  s.setRate(0);
  const fps = state.settings.fps;
  s.setPlayhead(snapToFrame(s.playhead, fps) + n * flicksPerFrame(fps));
}

export function goToEnd(): void {
  const state = useProject.getState().state;
  if (!state) return;
  ui().setRate(0);
  ui().setPlayhead(timelineDuration(state));
}

export function zoomBy(factor: number): void {
  ui().setZoom(ui().zoom * factor);
}

export function markAtPlayhead(which: 'in' | 'out', how: 'set' | 'go' | 'clear'): void {
  const s = ui();
  const key = which === 'in' ? 'markIn' : 'markOut';
  if (how === 'clear') return s.setMarks({ [key]: null });
  if (how === 'go') {
    const at = s[key];
    if (at !== null) {
      s.setRate(0);
      s.setPlayhead(at);
    }
    return;
  }
  const fps = useProject.getState().state?.settings.fps;
  const at = fps ? snapToFrame(s.playhead, fps) : s.playhead;
  if (which === 'in') s.setMarks({ markIn: at, ...(s.markOut !== null && s.markOut <= at ? { markOut: null } : {}) });
  else s.setMarks({ markOut: at, ...(s.markIn !== null && s.markIn >= at ? { markIn: null } : {}) });
}

/** Split the selected clip under the playhead; with no such selection, the top clip there. */
export async function splitAtPlayhead(): Promise<void> {
  const state = useProject.getState().state;
  if (!state) return;
  const s = ui();
  const at = snapToFrame(s.playhead, state.settings.fps);
  const inside = (id: string) => {
    const c = state.clips[id];
    return !!c && c.startFlicks < at && at < clipEnd(c);
  };
  const selected = s.selectedClipIds.filter(inside);
  const targets = selected.length ? selected : clipsAtIndexed(useProject.getState().index, state.tracks, at).filter((c) => inside(c.id)).slice(0, 1).map((c) => c.id);
  if (targets.length === 0) return notify('Put the playhead over a clip to split it.');
  // A clip and its selected partners split as one linked edit (their right halves stay linked);
  // a side selected alone (Alt-click) splits alone.
  const done = new Set<string>();
  for (const clipId of targets) {
    if (done.has(clipId)) continue;
    const clip = state.clips[clipId]!;
    const partners = selected.length ? linkedPartners(state, clip).filter((p) => selected.includes(p.id)) : linkedPartners(state, clip);
    partners.forEach((p) => done.add(p.id));
    const alone = partners.length === 0 && linkedPartners(state, clip).length > 0;
    await splitShownFirst({ clipId, atFlicks: at, alone });
  }
}

/**
 * A split shown before main answers (issue 14: on a 5,000-clip project the round trip was most
 * of a split's time, more on a busy machine). The command is pure, so it runs on the mirror
 * first, with ids chosen here for the halves it creates; main gets the same ids and normally
 * answers with the same patch, which replaces the local one. Whatever the local patch touched
 * that main's answer does not (main saw a different timeline) is put back, and all of it if main
 * refuses (its error is shown as for any edit).
 */
async function splitShownFirst(args: ArgsOf<'clip.split'>): Promise<void> {
  const state = useProject.getState().state;
  const newIds: string[] = [];
  let local: { patch: Patch; inverse: Patch } | null = null;
  if (state) {
    try {
      local = execute(state, 'clip.split', args, { newId: (prefix) => (newIds.push(newClientId(prefix)), newIds.at(-1)!) }).entry;
      useProject.getState().patch(local.patch);
    } catch {
      local = null; // main will say what is wrong
    }
  }
  const res = await edit({ command: 'clip.split', args: local ? { ...args, newIds } : args });
  if (!local?.patch.clips) return;
  const answered = res?.patch.clips ?? {};
  const back: NonNullable<Patch['clips']> = {};
  for (const id of Object.keys(local.patch.clips)) if (!(id in answered)) back[id] = local.inverse.clips?.[id] ?? null;
  if (Object.keys(back).length) useProject.getState().patch({ clips: back });
}

export async function deleteSelected(ripple: boolean): Promise<void> {
  const state = useProject.getState().state;
  const ids = ui().selectedClipIds.filter((id) => state?.clips[id]);
  if (ids.length === 0) return;
  // The selection already holds the partners a plain click took with it: delete exactly it.
  const res = await edit({ command: 'clip.remove', args: { clipIds: ids, ripple, alone: true } });
  if (res) ui().selectClips([]);
}
