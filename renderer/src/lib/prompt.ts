/** Structured-prompt comparisons the storyboard and generation panels share. */
import type { StructuredPrompt } from '@app/model/types';

/** Only the prompt fields that differ, so one commit says exactly what changed. */
export function promptDiff(before: StructuredPrompt, after: StructuredPrompt): Partial<StructuredPrompt> {
  const out: Partial<StructuredPrompt> = {};
  for (const k of Object.keys(after) as (keyof StructuredPrompt)[]) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) (out as Record<string, unknown>)[k] = after[k];
  }
  return out;
}

export const samePrompt = (a: StructuredPrompt, b: StructuredPrompt) => JSON.stringify(a) === JSON.stringify(b);
