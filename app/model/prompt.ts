import type { StructuredPrompt } from './types.js';

/**
 * Compose a structured prompt into the single text a backend receives. The order
 * follows how shot descriptions are usually written: who, doing what, where, how it
 * is filmed, how it looks, then sound and dialogue. `sound: false` (a backend that makes
 * silent video) leaves the Audio field and the dialogue out: they describe nothing it makes.
 */
export function composePrompt(p: StructuredPrompt, opts: { sound?: boolean } = {}): string {
  const sound = opts.sound ?? true;
  const parts: string[] = [];
  const sentence = (s: string) => {
    const t = s.trim();
    if (!t) return;
    parts.push(/[.!?]$/.test(t) ? t : `${t}.`);
  };
  const head = [p.subject.trim(), p.action.trim()].filter(Boolean).join(' ');
  sentence(head);
  if (p.setting.trim()) sentence(`Setting: ${p.setting.trim()}`);
  if (p.camera.trim()) sentence(`Camera: ${p.camera.trim()}`);
  if (p.lighting.trim()) sentence(`Lighting: ${p.lighting.trim()}`);
  if (p.style.trim()) sentence(`Style: ${p.style.trim()}`);
  if (sound && p.audio.trim()) sentence(`Audio: ${p.audio.trim()}`);
  for (const d of sound ? p.dialogue : []) {
    const line = d.line.trim();
    if (!line) continue;
    parts.push(`${d.speaker.trim() || 'Voice'}: "${line}"`);
  }
  return parts.join(' ');
}
