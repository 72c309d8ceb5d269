/**
 * Prompt templates: starting points for a shot's structured prompt. A template sets the
 * look of the shot (camera, lighting, style, audio) and fills the content fields (subject,
 * action, setting) only where they are still empty, so what the shot is about is kept.
 */
import type { StructuredPrompt } from '@app/model/types';

export interface PromptTemplate {
  id: 'cinematic' | 'character' | 'environment';
  label: string;
  description: string;
  /** Replaced by the template. */
  look: Pick<StructuredPrompt, 'camera' | 'lighting' | 'style' | 'audio'>;
  /** Used only where the shot's field is empty. */
  content: Pick<StructuredPrompt, 'subject' | 'action' | 'setting'>;
}

export const PROMPT_TEMPLATES: readonly PromptTemplate[] = [
  {
    id: 'cinematic',
    label: 'Cinematic shot',
    description: 'Slow dolly, golden-hour light, anamorphic film look.',
    content: { subject: 'A lone traveller in a long coat', action: 'walks slowly toward the camera', setting: 'An empty desert road at dusk' },
    look: {
      camera: 'Slow dolly in, 35mm lens, shallow depth of field',
      lighting: 'Low golden-hour sun, soft contrast, warm rim light',
      style: 'Cinematic, anamorphic, fine film grain, muted teal-and-orange grade',
      audio: 'Low wind, distant traffic hum',
    },
  },
  {
    id: 'character',
    label: 'Character focus',
    description: 'Medium close-up on a face, soft side light, shallow focus.',
    content: { subject: 'A woman in her thirties with short dark hair', action: 'looks up from a letter and slowly smiles', setting: 'A dim kitchen at night' },
    look: {
      camera: 'Medium close-up at eye level, slow push in, 85mm lens',
      lighting: 'Soft key light from a window at the side, gentle fill',
      style: 'Naturalistic, shallow focus, true skin tones',
      audio: 'Quiet room tone, a clock ticking',
    },
  },
  {
    id: 'environment',
    label: 'Environment showcase',
    description: 'Wide establishing shot of a place, deep focus, slow pan.',
    content: { subject: 'A mist-covered mountain valley', action: 'clouds drift slowly across the peaks', setting: 'Early morning, just after sunrise' },
    look: {
      camera: 'Wide establishing shot, slow lateral pan, 24mm lens',
      lighting: 'Natural daylight, long soft shadows',
      style: 'Epic scale, crisp detail, deep focus, rich color',
      audio: 'Wind through trees, birdsong, distant water',
    },
  },
];

/** The prompt after applying a template: look replaced, empty content fields filled. */
export function applyTemplate(prompt: StructuredPrompt, t: PromptTemplate): StructuredPrompt {
  const fill = (k: keyof PromptTemplate['content']) => (prompt[k].trim() ? prompt[k] : t.content[k]);
  return { ...prompt, ...t.look, subject: fill('subject'), action: fill('action'), setting: fill('setting') };
}
