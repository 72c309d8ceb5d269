import { describe, expect, it } from 'vitest';
import { promptDiff, samePrompt } from '../../renderer/src/lib/prompt';
import { EMPTY_PROMPT } from '@app/model/types';

describe('promptDiff', () => {
  it('keeps only the fields that changed, so one commit says what changed', () => {
    const before = { ...EMPTY_PROMPT, subject: 'a fox', camera: 'dolly in' };
    const after = { ...before, camera: 'crane up', lighting: 'dusk' };
    expect(promptDiff(before, after)).toEqual({ camera: 'crane up', lighting: 'dusk' });
    expect(promptDiff(before, before)).toEqual({});
    expect(samePrompt(before, { ...before })).toBe(true);
    expect(samePrompt(before, after)).toBe(false);
  });
});
