import { describe, expect, it } from 'vitest';
import { composePrompt } from '../../../app/model/prompt.js';
import { EMPTY_PROMPT } from '../../../app/model/types.js';

describe('composePrompt', () => {
  it('orders the structured fields into sentences and quotes dialogue', () => {
    const text = composePrompt({
      ...EMPTY_PROMPT,
      subject: 'A red fox',
      action: 'leaps over a log',
      setting: 'snowy forest',
      camera: 'low angle tracking shot',
      style: 'cinematic',
      dialogue: [{ speaker: 'Narrator', line: 'Winter came early.' }, { speaker: '', line: '  ' }],
    });
    expect(text).toBe('A red fox leaps over a log. Setting: snowy forest. Camera: low angle tracking shot. Style: cinematic. Narrator: "Winter came early."');
  });

  it('sends the Audio field and dialogue only to backends that make sound', () => {
    const p = { ...EMPTY_PROMPT, subject: 'Waves', audio: 'surf and gulls', dialogue: [{ speaker: 'ANNA', line: 'Look.' }] };
    expect(composePrompt(p, { sound: true })).toBe('Waves. Audio: surf and gulls. ANNA: "Look."');
    expect(composePrompt(p, { sound: false })).toBe('Waves.');
  });

  it('is empty for an empty prompt', () => {
    expect(composePrompt(EMPTY_PROMPT)).toBe('');
  });
});
