/**
 * Provenance written into the exported file, so a film can say what made it: the
 * generators, models, seeds and prompts of the shots it uses, and what was imported.
 * Kept short (players show `comment` in one line) and deterministic for tests.
 */
import type { ProjectState } from '../model/types.js';
import type { RenderPlan } from './plan.js';

const MAX_COMMENT = 1000;
/**
 * Every file Shotline exports carries this phrase (MP4 metadata, interchange files, package
 * manifests): replacing a file that has it is routine, replacing anything else needs the user's
 * confirmation (main/export/overwrite-guard.ts).
 */
export const MADE_WITH_SHOTLINE = 'Made with Shotline';
const MAX_PROMPT = 80;

export function exportMetadata(state: ProjectState, plan: RenderPlan): Record<string, string> {
  return { title: state.settings.name, comment: provenanceSummary(state, plan) };
}

export function provenanceSummary(state: ProjectState, plan: RenderPlan): string {
  const seen = new Set<string>();
  const generated: string[] = [];
  const imported: string[] = [];
  const samples: string[] = [];
  for (const input of plan.inputs) {
    if (seen.has(input.assetId)) continue;
    seen.add(input.assetId);
    const a = state.assets[input.assetId];
    if (!a) continue;
    const p = a.provenance;
    if (p.source === 'generated') generated.push(`${p.backend}/${p.model} seed ${p.seed} "${clip(p.prompt, MAX_PROMPT)}"`);
    else if (p.source === 'import') imported.push(p.originalName);
    else samples.push(a.name);
  }
  const parts = [`${MADE_WITH_SHOTLINE}: ${plan.inputs.length} clip${plan.inputs.length === 1 ? '' : 's'}`];
  if (generated.length) parts.push(`generated: ${generated.join('; ')}`);
  if (imported.length) parts.push(`imported: ${imported.join(', ')}`);
  if (samples.length) parts.push(`samples: ${samples.join(', ')}`);
  return clip(parts.join(' | '), MAX_COMMENT);
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
