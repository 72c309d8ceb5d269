/**
 * A prompt with cameos in it: each "@handle" becomes what the backend understands — the
 * character's own @name where the cameo was delivered as a server-side character, else the
 * person's name — and each cameo's appearance notes are added once, so a model that only reads
 * text still gets the description.
 */
import { findMentions, ownerMatches } from './handles.js';
import type { CameoOwner } from './types.js';

/**
 * How a cameo reaches a backend (app/cameos/delivery.ts decides): its likeness as a character
 * or a reference still, its voice sample alone ('voice', a workflow's voice input), or only its
 * name in the prompt ('none': a voice-only cameo speaking a line the backend cannot voice).
 */
export type CameoDelivery = 'character' | 'reference-image' | 'voice' | 'none';

/** Whether the cameo appears in the picture (so "Featuring" and its appearance notes belong in the prompt). */
export const appears = (d: CameoDelivery): boolean => d === 'character' || d === 'reference-image';

export interface PromptCameo {
  handle: string;
  name: string;
  description: string;
  delivery: CameoDelivery;
  /** The name the server knows the character by ('character' delivery). */
  characterName?: string;
  /** Its owner: tells "@maya~jo" from "@maya~ana" when both are in the shot. */
  owner?: CameoOwner;
}

export function composeCameoPrompt(text: string, cameos: readonly PromptCameo[]): string {
  if (!cameos.length) return text;
  let out = '';
  let at = 0;
  const mentioned = new Set<PromptCameo>();
  for (const m of findMentions(text)) {
    const same = cameos.filter((c) => c.handle === m.handle);
    // "@maya~ana": the one whose owner is Ana, where the shot has two @maya.
    const c = (m.owner && same.length > 1 ? same.find((x) => x.owner && ownerMatches({ consent: { owner: x.owner } }, m.owner!)) : undefined) ?? same[0];
    if (!c) continue;
    mentioned.add(c);
    out += text.slice(at, m.index) + (c.delivery === 'character' ? `@${c.characterName ?? c.handle}` : c.name);
    at = m.index + m.length;
  }
  out += text.slice(at);
  const notes: string[] = [];
  const unmentioned = cameos.filter((c) => !mentioned.has(c) && appears(c.delivery));
  if (unmentioned.length) notes.push(`Featuring ${unmentioned.map((c) => (c.delivery === 'character' ? `@${c.characterName ?? c.handle}` : c.name)).join(' and ')}.`);
  for (const c of cameos) {
    // Appearance notes describe a likeness: not added for a cameo that is only heard.
    const d = appears(c.delivery) ? c.description.trim() : '';
    if (d) notes.push(`${c.name}: ${/[.!?]$/.test(d) ? d : `${d}.`}`);
  }
  return [out.trim(), ...notes].filter(Boolean).join(' ');
}
