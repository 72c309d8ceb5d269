import type { Cameo, ConsentRecord } from '../../../app/cameos/types.js';

const sha = (c: string) => c.repeat(64).slice(0, 64);

export function consent(over: Partial<ConsentRecord> = {}): ConsentRecord {
  return {
    v: 1,
    id: 'consent_1',
    cameoId: 'cameo_1',
    subject: 'Maya Lind',
    audience: 'only-me',
    collaborators: [],
    covers: 'both',
    expiresOn: null,
    signedName: 'Maya Lind',
    signedOn: '2026-11-01',
    self: false,
    spokenSentence: null,
    media: [
      { role: 'still', sha256: sha('a') },
      { role: 'voice', sha256: sha('b') },
    ],
    owner: { name: 'Jo', keyId: 'key-jo' },
    createdAt: '2026-11-01T10:00:00.000Z',
    ...over,
  };
}

export function cameo(over: Partial<Cameo> = {}, c: Partial<ConsentRecord> = {}): Cameo {
  return {
    id: 'cameo_1',
    handle: 'maya',
    name: 'Maya',
    description: 'short dark hair, green raincoat',
    tags: [],
    parts: { likeness: true, voice: true },
    media: [
      { role: 'still', sha256: sha('a'), ext: 'png', bytes: 10, meta: {} },
      { role: 'voice', sha256: sha('b'), ext: 'wav', bytes: 10, meta: {} },
    ],
    consent: consent(c),
    origin: 'created',
    state: 'active',
    revokedAt: null,
    revokedReason: null,
    createdAt: '2026-11-01T10:00:00.000Z',
    ...over,
  };
}

export const SHA = sha;
