/**
 * The visible "AI-generated" mark (an export option, on by default when the timeline holds
 * generated footage): burned in over the output frames where a generated take is on screen,
 * and nowhere else. Like Sora's mark it moves: it changes corner every `periodSeconds`
 * (top-left, top-right, bottom-left, bottom-right), so it cannot be cropped away with one rect.
 *
 * Pure: the spans come from the project (clips whose asset's provenance is 'generated', on any
 * video track), the filter is one ffmpeg drawtext appended after the composite.
 */
import type { ProjectState } from '../model/types.js';
import { clipEnd } from '../timeline/query.js';
import { frameIndex } from './frames.js';
import type { RenderPlan, WatermarkSpec } from './types.js';

export type { WatermarkSpec };

export const WATERMARK_TEXT = 'AI-generated';
export const WATERMARK_PERIOD_SECONDS = 4;

/** Output frames where generated footage is on screen (any video track), merged. */
export function generatedSpans(state: ProjectState, plan: Pick<RenderPlan, 'fps' | 'frameCount'>): WatermarkSpec['spans'] {
  const raw = Object.values(state.clips)
    .filter((c) => state.tracks[c.trackId]?.kind === 'video' && state.assets[c.assetId]?.provenance.source === 'generated')
    .map((c) => ({ startFrame: frameIndex(c.startFlicks, plan.fps), endFrame: Math.min(plan.frameCount, frameIndex(clipEnd(c), plan.fps)) }))
    .filter((s) => s.endFrame > s.startFrame)
    .sort((a, b) => a.startFrame - b.startFrame);
  const out: WatermarkSpec['spans'] = [];
  for (const s of raw) {
    const last = out[out.length - 1];
    if (last && s.startFrame <= last.endFrame) last.endFrame = Math.max(last.endFrame, s.endFrame);
    else out.push({ ...s });
  }
  return out;
}

export function hasGeneratedFootage(state: ProjectState): boolean {
  return Object.values(state.clips).some((c) => state.tracks[c.trackId]?.kind === 'video' && state.assets[c.assetId]?.provenance.source === 'generated');
}

/** Spans of a plan segment [startFrame, endFrame), shifted to the segment's own time. */
export function shiftWatermark(spec: WatermarkSpec | undefined, startFrame: number, endFrame: number): WatermarkSpec | undefined {
  if (!spec) return undefined;
  const spans = spec.spans.map((s) => ({ startFrame: Math.max(s.startFrame, startFrame) - startFrame, endFrame: Math.min(s.endFrame, endFrame) - startFrame })).filter((s) => s.endFrame > s.startFrame);
  return spans.length ? { ...spec, spans } : undefined;
}

/**
 * drawtext over the spans. `t` is the output time; half-frame margins keep the comparisons off
 * frame boundaries. Size and margins scale with the picture height.
 */
export function watermarkFilter(spec: WatermarkSpec, plan: Pick<RenderPlan, 'fps' | 'height'>, startOffsetSeconds = 0): string {
  const f = (frame: number) => (((frame - 0.5) * plan.fps.den) / plan.fps.num).toFixed(6);
  const enable = spec.spans.map((s) => `between(t,${f(s.startFrame)},${f(s.endFrame)})`).join('+');
  const size = Math.max(12, Math.round(plan.height / 24));
  const margin = Math.round(plan.height / 20);
  // The corner changes every period; the phase counts from the film's start, also in segments.
  const k = `floor((t+${startOffsetSeconds.toFixed(6)})/${spec.periodSeconds})`;
  const x = `if(eq(mod(${k},2),0),${margin},w-tw-${margin})`;
  const y = `if(lt(mod(${k},4),2),${margin},h-th-${margin})`;
  const text = spec.text.replace(/[\\:'%]/g, (c) => `\\${c}`);
  return `drawtext=font=Sans:text='${text}':fontsize=${size}:fontcolor=white@0.85:box=1:boxcolor=black@0.35:boxborderw=${Math.round(size / 4)}:x='${x}':y='${y}':enable='${enable}'`;
}
