/**
 * A prompt with cameos in it: each "@handle" becomes what the backend understands — the
 * character's own @name where the cameo was delivered as a server-side character, else the
 * person's name — and each cameo's appearance notes are added once, so a model that only reads
 * text still gets the description.
 */
import { findMentions } from './handles.js';

/** How a cameo's likeness reaches a backend (app/cameos/delivery.ts decides). */
export type CameoDelivery = 'character' | 'reference-image' | 'none';

export interface PromptCameo {
  handle: string;
  name: string;
  description: string;
  delivery: CameoDelivery;
  /** The name the server knows the character by ('character' delivery). */
  characterName?: string;
}

export function composeCameoPrompt(text: string, cameos: readonly PromptCameo[]): string {
  if (!cameos.length) return text;
  const byHandle = new Map(cameos.map((c) => [c.handle, c]));
  let out = '';
  let at = 0;
  const mentioned = new Set<string>();
  for (const m of findMentions(text)) {
    const c = byHandle.get(m.handle);
    if (!c) continue;
    mentioned.add(c.handle);
    out += text.slice(at, m.index) + (c.delivery === 'character' ? `@${c.characterName ?? c.handle}` : c.name);
    at = m.index + m.length;
  }
  out += text.slice(at);
  const notes: string[] = [];
  const unmentioned = cameos.filter((c) => !mentioned.has(c.handle));
  if (unmentioned.length) notes.push(`Featuring ${unmentioned.map((c) => (c.delivery === 'character' ? `@${c.characterName ?? c.handle}` : c.name)).join(' and ')}.`);
  for (const c of cameos) {
    const d = c.description.trim();
    if (d) notes.push(`${c.name}: ${/[.!?]$/.test(d) ? d : `${d}.`}`);
  }
  return [out.trim(), ...notes].filter(Boolean).join(' ');
}
