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

  it('is empty for an empty prompt', () => {
    expect(composePrompt(EMPTY_PROMPT)).toBe('');
  });
});
