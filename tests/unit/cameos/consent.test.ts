import { describe, expect, it } from 'vitest';
import { cameoStatus, checkCameoUse, daysLeft } from '../../../app/cameos/consent.js';
import { cameo, SHA } from './fixtures.js';

const owner = { name: 'Jo', keyId: 'key-jo' };
const now = new Date('2026-11-26T12:00:00Z');

describe('checkCameoUse', () => {
  it('allows the owner a covered, active, unexpired use', () => {
    expect(checkCameoUse(cameo(), { part: 'likeness', user: owner }, now)).toEqual({ ok: true });
    expect(checkCameoUse(cameo(), { part: 'voice', user: owner }, now)).toEqual({ ok: true });
  });

  it('refuses a revoked cameo and says when', () => {
    const r = checkCameoUse(cameo({ state: 'revoked', revokedAt: '2026-11-20T08:00:00Z', revokedReason: 'asked by Maya' }), { part: 'likeness', user: owner }, now);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe('revoked');
      expect(r.message).toContain('@maya');
      expect(r.message).toContain('2026-11-20');
      expect(r.message).toContain('asked by Maya');
    }
  });

  it('expiry is inclusive of the last day (UTC) and refused the day after', () => {
    const c = cameo({}, { expiresOn: '2026-11-26' });
    expect(checkCameoUse(c, { part: 'likeness', user: owner }, new Date('2026-11-26T23:59:59Z')).ok).toBe(true);
    const r = checkCameoUse(c, { part: 'likeness', user: owner }, new Date('2026-11-27T00:00:00Z'));
    expect(r.ok || r.reason).toBe('expired');
    if (!r.ok) expect(r.message).toContain('expired on 2026-11-26');
  });

  it('voice not covered by a likeness-only consent names both', () => {
    const r = checkCameoUse(cameo({}, { covers: 'likeness' }), { part: 'voice', user: owner }, now);
    expect(r.ok || r.reason).toBe('not_covered');
    if (!r.ok) expect(r.message).toMatch(/covers likeness only, not the voice/);
    expect(checkCameoUse(cameo({}, { covers: 'likeness' }), { part: 'likeness', user: owner }, now).ok).toBe(true);
  });

  it('a cameo without a voice sample cannot voice a line, even with consent for it', () => {
    const r = checkCameoUse(cameo({ parts: { likeness: true, voice: false } }), { part: 'voice', user: owner }, now);
    expect(r.ok || r.reason).toBe('part_missing');
  });

  it('scope: only-me refuses everyone but the owner; collaborators must be named; anyone-shared allows a holder', () => {
    const stranger = { name: 'Sam', keyId: 'key-sam' };
    const imported = { origin: 'imported' as const };
    expect(checkCameoUse(cameo(imported, { audience: 'only-me' }), { part: 'likeness', user: stranger }, now).ok).toBe(false);
    const col = cameo(imported, { audience: 'collaborators', collaborators: ['Ana', 'sam '] });
    expect(checkCameoUse(col, { part: 'likeness', user: stranger }, now).ok).toBe(true);
    const r = checkCameoUse(col, { part: 'likeness', user: { name: 'Kim', keyId: 'key-kim' } }, now);
    expect(r.ok || r.reason).toBe('not_permitted');
    if (!r.ok) expect(r.message).toContain('"Kim" is not named');
    expect(checkCameoUse(cameo(imported, { audience: 'anyone-shared' }), { part: 'likeness', user: stranger }, now).ok).toBe(true);
    // The owner's own key is the owner even on an imported copy.
    expect(checkCameoUse(cameo(imported, { audience: 'only-me' }), { part: 'likeness', user: owner }, now).ok).toBe(true);
  });

  it('media the consent does not cover (swapped file) and missing files are refused', () => {
    const swapped = checkCameoUse(cameo(), { part: 'likeness', user: owner, media: [{ role: 'still', sha256: SHA('f') }] }, now);
    expect(swapped.ok || swapped.reason).toBe('media_mismatch');
    const missing = checkCameoUse(cameo(), { part: 'likeness', user: owner, media: [{ role: 'still', sha256: null }] }, now);
    expect(missing.ok || missing.reason).toBe('media_missing');
    // The voice file is not looked at for a likeness use.
    expect(checkCameoUse(cameo(), { part: 'likeness', user: owner, media: [{ role: 'still', sha256: SHA('a') }, { role: 'voice', sha256: SHA('9') }] }, now).ok).toBe(true);
  });

  it('order: revoked wins over expired wins over scope', () => {
    const c = cameo({ state: 'revoked', origin: 'imported' }, { expiresOn: '2020-01-01' });
    const r = checkCameoUse(c, { part: 'voice', user: { name: 'x', keyId: 'y' } }, now);
    expect(r.ok || r.reason).toBe('revoked');
  });
});

describe('cameoStatus', () => {
  it('active, expiring within 14 days, expired, revoked', () => {
    expect(cameoStatus(cameo(), now)).toBe('active');
    expect(cameoStatus(cameo({}, { expiresOn: '2027-01-30' }), now)).toBe('active');
    expect(cameoStatus(cameo({}, { expiresOn: '2026-12-05' }), now)).toBe('expiring');
    expect(cameoStatus(cameo({}, { expiresOn: '2026-11-25' }), now)).toBe('expired');
    expect(cameoStatus(cameo({ state: 'revoked' }), now)).toBe('revoked');
    expect(daysLeft({ expiresOn: '2026-11-26' }, now)).toBe(1);
  });
});
