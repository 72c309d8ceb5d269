/**
 * ffmpeg's `reverse` filter cannot emit a frame before it has read the last one: it holds
 * every decoded frame of the reversed span in memory (at source size, ~1.5 bytes a pixel in
 * yuv420p). A minute of reversed 4K is ~22 GB, so export estimates it up front and refuses
 * with a way out instead of being killed by the system mid-encode. Pure: sizes come from the
 * assets' probes.
 */
import type { ProjectState } from '../model/types.js';
import type { RenderPlan, VideoStage } from './plan.js';
import { FLICKS_PER_SECOND } from '../time/flicks.js';

export interface ReversedSpan {
  clipId: string;
  assetName: string;
  seconds: number;
  /** Bytes of decoded frames `reverse` holds at once for this span. */
  bytes: number;
}

/** Bytes per pixel of the decoded frames (yuv420p; 10-bit or 4:4:4 sources hold more). */
const BYTES_PER_PIXEL = 1.5;

function reversedInputs(stages: VideoStage[], input: number, out: number[]): void {
  for (const st of stages) {
    if (st.kind === 'reverse') out.push(input);
    else if (st.kind === 'loop') for (const it of st.iterations) reversedInputs(it.stages, it.input, out);
  }
}

/** Every reversed span the plan decodes, with the memory its `reverse` filter needs. */
export function reversedSpans(plan: RenderPlan, state: ProjectState): ReversedSpan[] {
  const inputs: number[] = [];
  for (const seg of [...plan.base, ...plan.overlays.flatMap((l) => l.clips)]) if (seg.type === 'clip') reversedInputs(seg.stages, seg.input, inputs);
  const out: ReversedSpan[] = [];
  for (const i of inputs) {
    const input = plan.inputs[i];
    const probe = input && state.assets[input.assetId]?.probe;
    if (!input || !probe) continue;
    const seconds = input.readFlicks / FLICKS_PER_SECOND;
    const fps = probe.fps ? probe.fps.num / probe.fps.den : 30;
    const bytes = Math.ceil(seconds * fps) * (probe.width ?? 0) * (probe.height ?? 0) * BYTES_PER_PIXEL;
    out.push({ clipId: input.clipId, assetName: input.assetName, seconds, bytes });
  }
  return out;
}

/**
 * The largest reversed span, if it needs more than `budgetBytes`. Loop iterations of one
 * clip are reversed one after another (concat pulls them in order), so spans are not summed.
 */
export function reverseOverBudget(plan: RenderPlan, state: ProjectState, budgetBytes: number): ReversedSpan | null {
  let worst: ReversedSpan | null = null;
  for (const s of reversedSpans(plan, state)) if (!worst || s.bytes > worst.bytes) worst = s;
  return worst && worst.bytes > budgetBytes ? worst : null;
}
