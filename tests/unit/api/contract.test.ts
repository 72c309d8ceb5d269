import { describe, expect, it } from 'vitest';
import { parseInput } from '../../../app/api/contract.js';
import { createDispatcher } from '../../../main/bridge/dispatch.js';
import type { Handlers } from '../../../main/services/shotline.js';

describe('API contract validation', () => {
  it('rejects unknown methods, unknown edit commands and malformed args with a pointed message', async () => {
    const calls: unknown[] = [];
    const handlers = { 'edit.apply': async (i: unknown) => (calls.push(i), { patch: {}, history: {} }) } as unknown as Handlers;
    const dispatch = createDispatcher(handlers);
    expect(await dispatch('fs.rm', {})).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/Unknown method/) } });
    expect(await dispatch('edit.apply', { command: 'clip.explode', args: {} })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const bad = await dispatch('edit.apply', { command: 'clip.trim', args: { clipId: 'c', edge: 'middle', toFlicks: 1 } });
    expect(bad).toMatchObject({ ok: false, error: { message: expect.stringMatching(/args\.edge/) } });
    const neg = await dispatch('edit.apply', { command: 'clip.move', args: { clipId: 'c', startFlicks: -1 } });
    expect(neg.ok).toBe(false);
    expect(calls).toHaveLength(0);
    const good = await dispatch('edit.apply', { command: 'clip.move', args: { clipId: 'c', startFlicks: 10 } });
    expect(good.ok).toBe(true);
    // Validated args reach the handler with the schema's defaults filled in (a move is linked and plain unless asked).
    expect(calls).toEqual([{ command: 'clip.move', args: { clipId: 'c', startFlicks: 10, alone: false, crossfade: false } }]);
  });

  it('rejects extra keys where the schema is strict, and oversize prompts', () => {
    expect(parseInput('app.info', { evil: true }).success).toBe(false);
    const long = 'x'.repeat(100_000);
    expect(parseInput('edit.apply', { command: 'shot.update', args: { shotId: 's', fields: { prompt: { subject: long } } } }).success).toBe(false);
    expect(parseInput('assets.import', { files: [{ uploadId: '../../etc/passwd', name: 'x' }] }).success).toBe(false);
  });
});
