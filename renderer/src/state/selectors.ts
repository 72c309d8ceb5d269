/**
 * Derived data, computed from the mirrors rather than stored twice. Each hook selects the
 * collections it needs (stable references: patches replace only what they touch) and
 * memoises the derivation, so components re-render only when their inputs change.
 */
import { useMemo } from 'react';
import type { Asset, Clip, ProjectState, Shot, Take, Track } from '@app/model/types';
import { clipEnd } from '@app/timeline/query';
import type { Job } from '@app/jobs/types';
import { TERMINAL_STATES } from '@app/jobs/types';
import { useJobs } from './jobs';
import { useProject } from './project';
import { useUi, type ClipPreview } from './ui';
import { CLIP_ORDER } from './project-index';
import { updateGroups, type Groups } from './sorted-groups';

const EMPTY = {} as Record<string, never>;

// Not 'clips': the mirror changes that object in place (project.ts), so its identity says nothing.
function useCollection<C extends 'assets' | 'shots' | 'takes' | 'tracks'>(c: C): ProjectState[C] {
  return useProject((s) => (s.state ? s.state[c] : (EMPTY as ProjectState[C])));
}

export const useAssets = () => useCollection('assets');
export const useTracksMap = () => useCollection('tracks');

/** One clip (a new object whenever an edit changes it), or undefined. */
export function useClip(id: string | undefined): Clip | undefined {
  return useProject((s) => (id === undefined ? undefined : s.state?.clips[id]));
}

export function useSettings() {
  return useProject((s) => s.state?.settings ?? null);
}

/** Shots in storyboard order, kept up to date per patch (project-index.ts). */
export function useOrderedShots(): readonly Shot[] {
  return useProject((s) => s.index.shots);
}

/** Per shot, its takes by position, kept up to date per patch. */
export function useTakesByShot(): Groups<Take> {
  return useProject((s) => s.index.takesByShot);
}

/** Per track, its clips by start as the project holds them (no drag preview). */
export function useTrackClips(): Groups<Clip> {
  return useProject((s) => s.index.clipsByTrack);
}

export function useAssetList(): Asset[] {
  const assets = useCollection('assets');
  return useMemo(() => Object.values(assets), [assets]);
}

/** Tracks in display order: video from top layer down to V1, then audio A1 downwards. */
export function useDisplayTracks(): Track[] {
  const tracks = useCollection('tracks');
  return useMemo(() => {
    const all = Object.values(tracks);
    const video = all.filter((t) => t.kind === 'video').sort((a, b) => b.index - a.index);
    const audio = all.filter((t) => t.kind === 'audio').sort((a, b) => a.index - b.index);
    return [...video, ...audio];
  }, [tracks]);
}

/** A clip with the drag preview (if it is the dragged one) laid over it. */
export function withPreview(clip: Clip, preview: ClipPreview | null): Clip {
  const partner = preview?.partners?.[clip.id];
  if (partner) return { ...clip, ...partner };
  if (!preview || preview.clipId !== clip.id) return clip;
  return { ...clip, trackId: preview.trackId, startFlicks: preview.startFlicks, inFlicks: preview.inFlicks, outFlicks: preview.outFlicks, effects: preview.effects ?? clip.effects };
}

/**
 * Clips per track as they should be drawn now, drag preview included. The preview moves only
 * the dragged clip and its partners, so only their tracks get new lists: every other track
 * keeps its array and its memoised row does not re-render.
 */
export function useClipsByTrack(): Groups<Clip> {
  const byTrack = useTrackClips();
  const preview = useUi((s) => s.preview);
  return useMemo(() => {
    // `byTrack` is a new object whenever an edit changes a clip, so it also stands for the
    // clips read here (whose object keeps its identity: project.ts).
    const clips = useProject.getState().state?.clips;
    if (!preview || !clips) return byTrack;
    const shown: Record<string, Clip> = {};
    for (const id of [preview.clipId, ...Object.keys(preview.partners ?? {})]) {
      const c = clips[id];
      if (c) shown[id] = withPreview(c, preview);
    }
    return updateGroups(byTrack, clips, shown, (c) => c.trackId, CLIP_ORDER);
  }, [byTrack, preview]);
}

/** The end of the last clip of a list, remembered per list (untouched tracks keep theirs). */
const listEnds = new WeakMap<readonly Clip[], number>();
function listEnd(list: readonly Clip[]): number {
  let end = listEnds.get(list);
  if (end === undefined) {
    end = 0;
    for (const c of list) end = Math.max(end, clipEnd(c));
    listEnds.set(list, end);
  }
  return end;
}

/** The end of the timeline from the per-track lists (each list's end remembered). */
export function timelineEndOf(byTrack: Groups<Clip>): number {
  return Object.values(byTrack).reduce((m, list) => Math.max(m, listEnd(list)), 0);
}

export function useTimelineEnd(): number {
  const byTrack = useTrackClips();
  return useMemo(() => timelineEndOf(byTrack), [byTrack]);
}

export function isActiveJob(j: Job): boolean {
  return !TERMINAL_STATES.includes(j.state);
}

export function useJobList(): Job[] {
  const jobs = useJobs((s) => s.jobs);
  return useMemo(() => Object.values(jobs).sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)), [jobs]);
}

export function useActiveJobCount(): number {
  const jobs = useJobs((s) => s.jobs);
  return useMemo(() => Object.values(jobs).filter(isActiveJob).length, [jobs]);
}

/** The asset a job works on, when its payload names one. */
export function jobAssetId(j: Job): string | null {
  const p = j.payload as { assetId?: unknown } | null;
  return p && typeof p.assetId === 'string' ? p.assetId : null;
}

/** Asset ids with a filmstrip or peaks job still queued or running. */
export function useAssetsBeingAnalysed(): ReadonlySet<string> {
  const jobs = useJobs((s) => s.jobs);
  return useMemo(() => {
    const ids = new Set<string>();
    for (const j of Object.values(jobs)) {
      if ((j.kind === 'filmstrip' || j.kind === 'peaks') && isActiveJob(j)) {
        const id = jobAssetId(j);
        if (id) ids.add(id);
      }
    }
    return ids;
  }, [jobs]);
}
