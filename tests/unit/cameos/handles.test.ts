import { describe, expect, it } from 'vitest';
import { findMentions, handleProblem, resolveHandle, resolveMentions, suggestHandle } from '../../../app/cameos/handles.js';
import { composeCameoPrompt } from '../../../app/cameos/prompt.js';
import { planCameoDelivery } from '../../../app/cameos/delivery.js';
import { cameo } from './fixtures.js';

describe('@handles', () => {
  it('finds mentions, not e-mail addresses, without sentence punctuation', () => {
    expect(findMentions('@maya walks in. Then @Theo_2. Mail me@home.com, (@ana-b)').map((m) => m.handle)).toEqual(['maya', 'theo_2', 'ana-b']);
    const [m] = findMentions('x @maya.');
    expect(m).toEqual({ handle: 'maya', index: 2, length: 5 });
  });

  it('checks and suggests handles', () => {
    expect(handleProblem('maya')).toBeNull();
    expect(handleProblem('@Maya_L')).toBeNull();
    expect(handleProblem('m')).toMatch(/2 to 32/);
    expect(handleProblem('ma ya')).toMatch(/only letters/);
    expect(handleProblem('maya.')).toMatch(/not ending/);
    expect(suggestHandle('Maya Lind-Öberg')).toBe('maya_lind_oberg');
  });

  it('resolves unknown (with a suggestion), ambiguous (names both owners), and prefers active over revoked', () => {
    const maya = cameo();
    const theirs = cameo({ id: 'cameo_2', origin: 'imported' }, { owner: { name: 'Sam', keyId: 'k' } });
    const old = cameo({ id: 'cameo_0', state: 'revoked', revokedAt: '2026-01-01' });
    expect(resolveHandle('@MAYA', [maya, old])).toMatchObject({ ok: true, cameo: { id: 'cameo_1' } });
    expect(resolveHandle('maya', [old])).toMatchObject({ ok: true, cameo: { id: 'cameo_0' } });
    const amb = resolveHandle('maya', [maya, theirs]);
    expect(amb).toMatchObject({ ok: false, reason: 'ambiguous' });
    if (!amb.ok) expect(amb.message).toMatch(/from Jo.*from Sam/);
    const unk = resolveHandle('mayo', [maya]);
    expect(unk).toMatchObject({ ok: false, reason: 'unknown' });
    if (!unk.ok) expect(unk.hint).toContain('@maya');
    const all = resolveMentions(['@maya and @maya again', 'with @nobody'], [maya]);
    expect(all.cameos.map((c) => c.id)).toEqual(['cameo_1']);
    expect(all.problems.map((p) => p.handle)).toEqual(['nobody']);
  });
});

describe('composeCameoPrompt', () => {
  it('replaces handles by name (still delivery) or character name, adds notes once, names unmentioned cameos', () => {
    const still = { handle: 'maya', name: 'Maya', description: 'short dark hair, green raincoat', delivery: 'reference-image' as const };
    expect(composeCameoPrompt('@maya walks into the lighthouse.', [still])).toBe('Maya walks into the lighthouse. Maya: short dark hair, green raincoat.');
    expect(composeCameoPrompt('@maya waves', [{ ...still, delivery: 'character', characterName: 'maya' }])).toBe('@maya waves Maya: short dark hair, green raincoat.');
    expect(composeCameoPrompt('A quiet beach.', [{ ...still, description: '' }])).toBe('A quiet beach. Featuring Maya.');
    expect(composeCameoPrompt('Mail me@home.com', [])).toBe('Mail me@home.com');
  });
});

describe('planCameoDelivery', () => {
  const c = { id: 'c1', handle: 'maya', hasStill: true, hasVoice: true };
  const local = { label: 'Local pack', characters: false, referenceImage: true, voice: false };
  it('characters where offered, else one still as first frame', () => {
    expect(planCameoDelivery([c, { ...c, id: 'c2', handle: 'theo' }], { ...local, characters: true }, 'a reference image')).toEqual([
      { cameoId: 'c1', delivery: 'character', parts: ['likeness'] },
      { cameoId: 'c2', delivery: 'character', parts: ['likeness'] },
    ]);
    expect(planCameoDelivery([c], { ...local, voice: true }, null)).toEqual([{ cameoId: 'c1', delivery: 'reference-image', parts: ['likeness', 'voice'] }]);
  });
  it('refuses with the reason: no input at all, two cameos for one first frame, a shot with its own reference', () => {
    expect(() => planCameoDelivery([c], { ...local, referenceImage: false }, null)).toThrow(/takes neither characters nor a reference image/);
    expect(() => planCameoDelivery([c, { ...c, id: 'c2', handle: 'theo' }], local, null)).toThrow(/one reference image per shot.*@maya, @theo/);
    expect(() => planCameoDelivery([c], local, 'the previous shot\'s last frame')).toThrow(/already starts from the previous shot's last frame/);
    expect(planCameoDelivery([], { ...local, referenceImage: false }, null)).toEqual([]);
  });
});

describe('sharpness', async () => {
  const { laplacianVariance, suggestSharpest } = await import('../../../app/cameos/sharpness.js');
  it('a checkerboard is sharper than its box-blurred copy; flat grey scores 0', () => {
    const w = 32;
    const sharp = new Uint8Array(w * w).map((_, i) => (((i % w) >> 2) + ((i / w) >> 2)) % 2 ? 255 : 0);
    const blur = new Uint8Array(w * w);
    for (let y = 0; y < w; y++)
      for (let x = 0; x < w; x++) {
        let s = 0;
        let n = 0;
        for (let dy = -2; dy <= 2; dy++)
          for (let dx = -2; dx <= 2; dx++) {
            const yy = Math.min(w - 1, Math.max(0, y + dy));
            const xx = Math.min(w - 1, Math.max(0, x + dx));
            s += sharp[yy * w + xx]!;
            n++;
          }
        blur[y * w + x] = s / n;
      }
    expect(laplacianVariance(sharp, w, w)).toBeGreaterThan(10 * laplacianVariance(blur, w, w));
    expect(laplacianVariance(new Uint8Array(w * w).fill(128), w, w)).toBe(0);
  });
  it('suggests the sharpest frames, spread in time, in time order', () => {
    const frames = [0, 1, 2, 3, 4, 5, 6].map((t) => ({ t, sharpness: [5, 90, 91, 10, 80, 2, 70][t]! }));
    expect(suggestSharpest(frames, 3, 1.5).map((f) => f.t)).toEqual([2, 4, 6]);
  });
});
