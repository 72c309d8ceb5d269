/** Timeline geometry: flicks <-> pixels at a zoom (pixels per second), and snapping. */
import type { Clip, ProjectState } from '@app/model/types';
import { clipEnd } from '@app/timeline/query';
import { FLICKS_PER_SECOND, type Flicks } from '@app/time/flicks';

/** Width of the track-header column, in pixels (keep in sync with timeline.css). */
export const HEADER_WIDTH = 148;
/** How close (pixels) an edge must come to a snap target to stick to it. */
export const SNAP_PX = 8;

export const toPx = (f: Flicks, zoom: number): number => (f / FLICKS_PER_SECOND) * zoom;
export const toFlicks = (px: number, zoom: number): Flicks => Math.round((px / zoom) * FLICKS_PER_SECOND);

/** Edges a moving or trimming clip may snap to: other clips' edges, the playhead, marks, zero. */
export function snapTargets(clips: Record<string, Clip>, exceptId: string | null, extra: (Flicks | null)[]): Flicks[] {
  const out = new Set<Flicks>([0]);
  for (const c of Object.values(clips)) {
    if (c.id === exceptId) continue;
    out.add(c.startFlicks);
    out.add(clipEnd(c));
  }
  for (const e of extra) if (e !== null) out.add(e);
  return [...out];
}

/** The target nearest to any of `edges` within `threshold`: returns the shift to apply (0 when none). */
export function snapShift(edges: Flicks[], targets: Flicks[], threshold: Flicks): Flicks {
  let best = 0;
  let bestDist = threshold + 1;
  for (const e of edges) {
    for (const t of targets) {
      const d = Math.abs(t - e);
      if (d < bestDist) {
        bestDist = d;
        best = t - e;
      }
    }
  }
  return bestDist <= threshold ? best : 0;
}

/** Length a clip may reach on the timeline: its asset's duration, unbounded for stills. */
export function sourceEnd(state: ProjectState, clip: Clip): Flicks {
  const a = state.assets[clip.assetId];
  if (!a) return clip.outFlicks;
  return a.kind === 'image' ? Number.MAX_SAFE_INTEGER : a.probe.durationFlicks;
}

/** A readable tick spacing (seconds) for the ruler at this zoom. */
export function tickStep(zoom: number, fps: number): { major: number; minor: number } {
  const frame = 1 / Math.max(1, fps);
  const steps = [frame, frame * 2, frame * 5, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];
  const major = steps.find((s) => s * zoom >= 96) ?? 3600;
  const minorDiv = major >= 1 ? (major % 5 === 0 || major === 1 ? 5 : 4) : 2;
  let minor = major / minorDiv;
  if (minor * zoom < 8) minor = major / 2;
  return { major, minor };
}
