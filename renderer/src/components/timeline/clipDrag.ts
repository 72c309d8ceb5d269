/**
 * Dragging a clip's body (move, also across tracks of its kind) or an edge (trim). The
 * drag previews in the ui store, outside the history; releasing commits ONE command
 * (clip.move or clip.trim). If main refuses it (invalid_edit), a toast says why and the
 * clip snaps back because the preview is simply dropped. Linked partners that are selected
 * with it (a plain click selects both sides) move and trim with it; Alt-click selects one side,
 * whose drag then moves or trims it alone (J and L cuts). Trimming a clip with speed or loop
 * previews what app/timing/edit.ts trimTimed (the command's own code) will make of it.
 */
import type { PointerEvent as ReactPointerEvent } from 'react';
import type { Clip } from '@app/model/types';
import { clipDuration, clipEnd } from '@app/timeline/query';
import { flicksPerFrame, snapToFrame } from '@app/time/flicks';
import { sourceGrid, trimTimed } from '@app/timing/edit';
import { hasTimeEffects } from '@app/timing/timemap';
import { linkedPartners, withPartners } from '@app/timeline/links';
import { moveClip, trimClip } from '../../actions/clips';
import { useProject } from '../../state/project';
import { useUi, type ClipPreview } from '../../state/ui';
import { SNAP_PX, snapShift, snapTargets, sourceEnd, toFlicks } from './geometry';

export type DragMode = 'move' | 'in' | 'out';

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** The lane of `kind` under the pointer, if any. */
function laneAt(x: number, y: number, kind: string): string | null {
  for (const el of document.elementsFromPoint(x, y)) {
    if (el instanceof HTMLElement && el.dataset.laneTrackId && el.dataset.kind === kind) return el.dataset.laneTrackId;
  }
  return null;
}

function previewOf(clip: Clip): ClipPreview {
  return { clipId: clip.id, trackId: clip.trackId, startFlicks: clip.startFlicks, inFlicks: clip.inFlicks, outFlicks: clip.outFlicks };
}

/** Where linked partners are drawn while the clip is dragged: moved or trimmed by as much (timed partners shown moved only). */
function partnerPreviews(clip: Clip, p: ClipPreview, partners: Clip[], mode: DragMode): NonNullable<ClipPreview['partners']> {
  const out: NonNullable<ClipPreview['partners']> = {};
  const shift = p.startFlicks - clip.startFlicks;
  const endShift = p.startFlicks + (p.outFlicks - p.inFlicks) - clipEnd(clip);
  for (const q of partners) {
    if (mode === 'move' || hasTimeEffects(q)) out[q.id] = { startFlicks: q.startFlicks + (mode === 'move' ? shift : 0), inFlicks: q.inFlicks, outFlicks: q.outFlicks };
    else if (mode === 'in') out[q.id] = { startFlicks: q.startFlicks + shift, inFlicks: q.inFlicks + shift, outFlicks: q.outFlicks };
    else out[q.id] = { startFlicks: q.startFlicks, inFlicks: q.inFlicks, outFlicks: q.outFlicks + endShift };
  }
  return out;
}

export function beginClipDrag(e: ReactPointerEvent<HTMLElement>, clipId: string, mode: DragMode): void {
  if (e.button !== 0) return;
  const state = useProject.getState().state;
  const clip = state?.clips[clipId];
  const track = clip && state?.tracks[clip.trackId];
  if (!state || !clip || !track) return;
  e.stopPropagation();
  e.preventDefault();
  (e.currentTarget.closest('[data-testid="clip"]') as HTMLElement | null)?.focus({ preventScroll: true });

  const ui = useUi.getState();
  const multi = e.shiftKey || e.metaKey || e.ctrlKey;
  // A click selects a clip with its linked partners; Alt-click selects this side only (as editors do).
  const group = e.altKey ? [clipId] : withPartners(state, clip).map((c) => c.id);
  if (multi) ui.selectClips(ui.selectedClipIds.includes(clipId) ? ui.selectedClipIds.filter((id) => !group.includes(id)) : [...new Set([...ui.selectedClipIds, ...group])]);
  else if (!ui.selectedClipIds.includes(clipId) || (e.altKey && ui.selectedClipIds.length > 1)) ui.selectClips(group);
  // Partners come along unless only this side is selected (Alt-click, then drag: a J or L cut).
  const selectedNow = useUi.getState().selectedClipIds;
  const partners = linkedPartners(state, clip).filter((p) => selectedNow.includes(p.id));
  const alone = linkedPartners(state, clip).length > 0 && partners.length === 0;

  const { zoom } = ui;
  const fps = state.settings.fps;
  const frame = flicksPerFrame(fps);
  const targets = snapTargets(state.clips, clipId, [ui.playhead, ui.markIn, ui.markOut]);
  const threshold = toFlicks(SNAP_PX, zoom);
  const x0 = e.clientX;
  const y0 = e.clientY;
  let moved = false;
  const timed = hasTimeEffects(clip);
  const grid = sourceGrid(state.assets[clip.assetId]);

  const onMove = (ev: PointerEvent) => {
    if (!moved && Math.abs(ev.clientX - x0) < 3 && Math.abs(ev.clientY - y0) < 3) return;
    moved = true;
    const delta = toFlicks(ev.clientX - x0, zoom);
    const snap = useUi.getState().snapping && !ev.altKey;
    const p = previewOf(clip);
    if (mode === 'move') {
      let start = Math.max(0, clip.startFlicks + delta);
      if (snap) start += snapShift([start, start + clipDuration(clip)], targets, threshold);
      p.startFlicks = snapToFrame(Math.max(0, start), fps);
      p.trackId = laneAt(ev.clientX, ev.clientY, track.kind) ?? clip.trackId;
    } else if (timed) {
      // Speed or loop: the edge follows the pointer on the timeline, and the source point
      // (or fill length) it implies is computed by the very function clip.trim will run.
      let edge = (mode === 'in' ? clip.startFlicks : clipEnd(clip)) + delta;
      if (snap) edge += snapShift([edge], targets, threshold);
      edge = snapToFrame(edge, fps);
      edge = mode === 'in' ? clamp(edge, 0, clipEnd(clip) - frame) : Math.max(clip.startFlicks + frame, edge);
      const next = trimTimed(clip, mode, edge, grid);
      // Past the ends of the source: hold the last preview that fitted.
      if (next.inFlicks < 0 || next.outFlicks > sourceEnd(state, clip) || next.startFlicks < 0) return;
      Object.assign(p, { startFlicks: next.startFlicks, inFlicks: next.inFlicks, outFlicks: next.outFlicks, effects: next.effects, edgeFlicks: edge });
    } else if (mode === 'in') {
      let start = clip.startFlicks + delta;
      if (snap) start += snapShift([start], targets, threshold);
      start = clamp(snapToFrame(start, fps), Math.max(0, clip.startFlicks - clip.inFlicks), clipEnd(clip) - frame);
      p.startFlicks = start;
      p.inFlicks = clip.inFlicks + (start - clip.startFlicks);
    } else {
      let end = clipEnd(clip) + delta;
      if (snap) end += snapShift([end], targets, threshold);
      end = clamp(snapToFrame(end, fps), clip.startFlicks + frame, clip.startFlicks + (sourceEnd(state, clip) - clip.inFlicks));
      p.outFlicks = clip.inFlicks + (end - clip.startFlicks);
    }
    if (partners.length) p.partners = partnerPreviews(clip, p, partners, mode);
    useUi.getState().setPreview(p);
  };

  const cleanup = () => {
    window.removeEventListener('pointermove', onMove);
    window.removeEventListener('pointerup', onUp);
    window.removeEventListener('pointercancel', onCancel);
    window.removeEventListener('keydown', onKey, true);
  };
  const onCancel = () => {
    cleanup();
    useUi.getState().setPreview(null);
  };
  const onKey = (ev: KeyboardEvent) => {
    if (ev.key === 'Escape') {
      ev.preventDefault();
      ev.stopPropagation();
      onCancel();
    }
  };
  const onUp = async () => {
    cleanup();
    const p = useUi.getState().preview;
    if (!moved || !p || p.clipId !== clipId) return useUi.getState().setPreview(null);
    const unchanged =
      p.startFlicks === clip.startFlicks && p.inFlicks === clip.inFlicks && p.outFlicks === clip.outFlicks && p.trackId === clip.trackId && (p.effects ?? clip.effects) === clip.effects;
    if (!unchanged) {
      // An audio clip dropped over the end of the one before it crossfades with it.
      if (mode === 'move') await moveClip(clipId, p.startFlicks, p.trackId !== clip.trackId ? p.trackId : undefined, { alone, crossfade: track.kind === 'audio' });
      else if (p.edgeFlicks !== undefined) await trimClip(clipId, mode, p.edgeFlicks, alone);
      else if (mode === 'in') await trimClip(clipId, 'in', p.startFlicks, alone);
      else await trimClip(clipId, 'out', p.startFlicks + (p.outFlicks - p.inFlicks), alone);
    }
    // Committed: the edit's patch is already applied. Refused: dropping the preview snaps it back.
    if (useUi.getState().preview?.clipId === clipId) useUi.getState().setPreview(null);
  };

  window.addEventListener('pointermove', onMove);
  window.addEventListener('pointerup', onUp);
  window.addEventListener('pointercancel', onCancel);
  window.addEventListener('keydown', onKey, true);
}
