/**
 * Two cameos with the same @handle from different owners (yours and one from a shared bundle):
 * "@maya" alone is ambiguous, with a message that says how to write each one; "@maya~jo" names
 * the one whose owner is Jo (the owner's name as a handle, a prefix of it, or 4+ hex of their key
 * id); the composed prompt puts the right name in. On the code before this change "@maya~jo"
 * resolved to nothing of the sort ("~jo" stayed in the prompt and @maya stayed ambiguous).
 */
import { describe, expect, it } from 'vitest';
import { findMentions, qualifiedHandle, resolveHandle, resolveMentions } from '../../../app/cameos/handles.js';
import { composeCameoPrompt } from '../../../app/cameos/prompt.js';
import { cameo } from './fixtures.js';

const mine = cameo({ id: 'c_mine', name: 'Maya Lind', origin: 'created' }, { owner: { name: 'Ana Ruiz', keyId: 'a1b2c3d4e5' } });
const jos = cameo({ id: 'c_jo', name: 'Maya Okafor', origin: 'imported' }, { owner: { name: 'Jo', keyId: 'ffee0011' } });
const anas2 = cameo({ id: 'c_ana2', name: 'Maya Berg', origin: 'imported' }, { owner: { name: 'Ana Sousa', keyId: '99887766' } });
const lib = [mine, jos];

describe('qualified handles', () => {
  it('finds "@maya~jo" as one mention with its owner, sentence punctuation trimmed', () => {
    expect(findMentions('@maya~jo waves to @maya~ana_ruiz. Then @kai.')).toEqual([
      { handle: 'maya', owner: 'jo', index: 0, length: 8 },
      { handle: 'maya', owner: 'ana_ruiz', index: 18, length: 14 },
      { handle: 'kai', index: 39, length: 4 },
    ]);
    expect(findMentions('mail me@home~x.com').length).toBe(0);
  });

  it('"@maya" alone is ambiguous and says how to write each; "@maya~jo" / "@maya~ana" resolve', () => {
    const r = resolveHandle('maya', lib);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe('ambiguous');
    expect(r.message).toBe('@maya is ambiguous: Maya Lind (from Ana Ruiz) and Maya Okafor (from Jo) share it.');
    expect(r.hint).toBe('Write @maya~ana (Maya Lind, from Ana Ruiz) or @maya~jo (Maya Okafor, from Jo): the part after "~" is the owner\'s name. Or rename one of them in Cameos, or pick the cameo with the picker.');
    expect(resolveHandle('maya', lib, 'jo')).toMatchObject({ ok: true, cameo: { id: 'c_jo' } });
    expect(resolveHandle('maya', lib, 'ana')).toMatchObject({ ok: true, cameo: { id: 'c_mine' } });
    expect(resolveHandle('maya', lib, 'ana_ruiz')).toMatchObject({ ok: true, cameo: { id: 'c_mine' } });
    expect(resolveHandle('maya', lib, 'ffee')).toMatchObject({ ok: true, cameo: { id: 'c_jo' } }); // key id prefix
  });

  it('an owner who has no such cameo, and a qualifier that still matches two, are clear errors', () => {
    expect(resolveHandle('maya', lib, 'sam')).toMatchObject({ ok: false, reason: 'unknown', message: 'No @maya in your library belongs to "sam".', hint: 'Write @maya~ana (Maya Lind, from Ana Ruiz) or @maya~jo (Maya Okafor, from Jo).' });
    const three = [...lib, anas2];
    const r = resolveHandle('maya', three, 'ana');
    expect(r).toMatchObject({ ok: false, reason: 'ambiguous', message: '@maya~ana is ambiguous: Maya Lind (from Ana Ruiz) and Maya Berg (from Ana Sousa) share it.' });
    // The shortest unambiguous forms: the whole owner name where the first word is shared.
    expect([mine, jos, anas2].map((c) => qualifiedHandle(c, three))).toEqual(['@maya~ana_ruiz', '@maya~jo', '@maya~ana_sousa']);
    expect(resolveHandle('maya', three, 'ana_sousa')).toMatchObject({ ok: true, cameo: { id: 'c_ana2' } });
    // Unique handles stay unqualified.
    expect(qualifiedHandle(mine, [mine])).toBe('@maya');
  });

  it('mentions resolve per owner; the composed prompt names the right person', () => {
    const { cameos, problems } = resolveMentions(['@maya~jo hands @maya~ana a lamp'], lib);
    expect(problems).toEqual([]);
    expect(cameos.map((c) => c.id)).toEqual(['c_jo', 'c_mine']);
    expect(resolveMentions(['@maya waves'], lib).problems.map((p) => p.reason)).toEqual(['ambiguous']);
    const asPrompt = (c: typeof mine) => ({ handle: c.handle, name: c.name, description: '', delivery: 'character' as const, characterName: c.id, owner: c.consent.owner });
    expect(composeCameoPrompt('@maya~jo hands @maya~ana a lamp', [asPrompt(jos), asPrompt(mine)])).toBe('@c_jo hands @c_mine a lamp');
    expect(composeCameoPrompt('@maya~jo waves.', [{ ...asPrompt(jos), delivery: 'reference-image' }])).toBe('Maya Okafor waves.');
  });
});
