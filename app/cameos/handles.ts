/**
 * @handles in prompts ("@maya walks into the lighthouse"): finding them in text, checking a
 * new handle, and resolving them against the library with clear messages for an unknown or
 * ambiguous one.
 */
import type { Cameo, ConsentRecord } from './types.js';

/** Anything with a consent record's owner (a cameo, or a cameo as a job carries it). */
export type Owned = { consent: Pick<ConsentRecord, 'owner'> };

/** 2–32 characters: a letter or digit first, then letters, digits, '_', '-' or '.' (not last). */
export const HANDLE_RE = /^[a-z0-9][a-z0-9_.-]{0,30}[a-z0-9_]$/;

export function normalizeHandle(raw: string): string {
  return raw.trim().replace(/^@/, '').toLowerCase();
}

/** null when fine, else what is wrong with it. */
export function handleProblem(raw: string): string | null {
  const h = normalizeHandle(raw);
  if (!h) return 'A cameo needs an @handle (the name you type in prompts, e.g. @maya).';
  if (h.length < 2 || h.length > 32) return `The handle "@${h}" must be 2 to 32 characters long.`;
  if (!HANDLE_RE.test(h)) return `The handle "@${h}" may use only letters, digits, "_", "-" and "." (starting with a letter or digit, not ending with "." or "-").`;
  return null;
}

/** A handle suggested from a name: "Maya Lind" → "maya_lind". */
export function suggestHandle(name: string): string {
  const h = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 32);
  return h.length >= 2 ? h : `${h}cameo`.slice(0, 32);
}

export interface HandleMention {
  handle: string;
  /** The owner after "~" in a qualified mention ("@maya~ana"), lower-case; absent when unqualified. */
  owner?: string;
  /** Where "@…" starts in the text and how long it is (with the @ and any "~owner"). */
  index: number;
  length: number;
}

/**
 * The @handles in a text, in order. An '@' counts only at the start or after a character that
 * cannot be part of a word or an e-mail address ("me@home.com" is not a mention); a trailing
 * '.', '-' (end of a sentence) is not part of the handle. "@maya~ana" names the @maya whose
 * owner is Ana (see `ownerTag`): two cameos share a handle when one comes from someone else's bundle.
 */
export function findMentions(text: string): HandleMention[] {
  const out: HandleMention[] = [];
  const re = /(^|[^A-Za-z0-9_@.~])@([A-Za-z0-9][A-Za-z0-9_.-]*)(?:~([A-Za-z0-9][A-Za-z0-9_.-]*))?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const owner = m[3]?.replace(/[.-]+$/, '');
    const handle = owner ? m[2]! : m[2]!.replace(/[.-]+$/, '');
    if (handle.length < 1) continue;
    out.push({ handle: handle.toLowerCase(), ...(owner ? { owner: owner.toLowerCase() } : {}), index: m.index + m[1]!.length, length: handle.length + 1 + (owner ? owner.length + 1 : 0) });
  }
  return out;
}

/** The owner part of a qualified handle: the owner's name as a handle ("Ana Ruiz" → "ana_ruiz"). */
export function ownerTag(c: Owned): string {
  return c.consent.owner.name.trim() ? suggestHandle(c.consent.owner.name) : 'unknown';
}

/** Whether "~q" names this cameo's owner: their tag, a prefix of it ("ana" for "ana_ruiz"), or 4+ hex of their key id. */
export function ownerMatches(c: Owned, q: string): boolean {
  const tag = ownerTag(c);
  const key = c.consent.owner.keyId ?? '';
  return tag === q || tag.startsWith(q) || (q.length >= 4 && /^[0-9a-f]+$/.test(q) && key.startsWith(q));
}

/**
 * The shortest way to write `c` unambiguously among `others` (same handle): "@maya" when it is the
 * only one, else "@maya~" + the first word of the owner's name, the whole name, or their key id.
 */
export function qualifiedHandle(c: Pick<Cameo, 'id' | 'handle' | 'consent'>, others: readonly Pick<Cameo, 'id' | 'handle' | 'consent' | 'state'>[]): string {
  const rivals = others.filter((o) => o.id !== c.id && o.handle === c.handle && o.state === 'active');
  if (!rivals.length) return `@${c.handle}`;
  const tag = ownerTag(c);
  const key = (c.consent.owner.keyId ?? '').slice(0, 8);
  for (const q of [tag.split('_')[0]!, tag, ...(key.length >= 4 ? [key] : [])]) if (!rivals.some((o) => ownerMatches(o, q))) return `@${c.handle}~${q}`;
  return `@${c.handle}~${tag}`;
}

export type HandleResolution =
  | { ok: true; cameo: Cameo }
  | { ok: false; handle: string; reason: 'unknown' | 'ambiguous'; message: string; hint: string; candidates: Cameo[] };

/**
 * One handle against the library. An active cameo wins over revoked ones with the same handle
 * (a revoked one still resolves, so its check can say "revoked" rather than "unknown"); two
 * active cameos with the same handle (an imported one clashing with yours) are ambiguous unless
 * the mention names the owner ("@maya~ana").
 */
export function resolveHandle(handle: string, library: readonly Cameo[], owner?: string): HandleResolution {
  const h = normalizeHandle(handle);
  const all = library.filter((c) => c.handle === h);
  const same = owner ? all.filter((c) => ownerMatches(c, owner)) : all;
  const active = same.filter((c) => c.state === 'active');
  const key = `${h}${owner ? `~${owner}` : ''}`;
  const written = `@${key}`;
  const ways = (list: readonly Cameo[]) => list.filter((c) => c.state === 'active').map((c) => `${qualifiedHandle(c, library)} (${c.name}, from ${c.consent.owner.name || 'an unknown owner'})`);
  if (active.length === 1) return { ok: true, cameo: active[0]! };
  if (active.length > 1)
    return {
      ok: false,
      handle: key,
      reason: 'ambiguous',
      candidates: active,
      message: `${written} is ambiguous: ${active.map((c) => `${c.name} (from ${c.consent.owner.name || 'unknown owner'})`).join(' and ')} share it.`,
      hint: `Write ${ways(active).join(' or ')}: the part after "~" is the owner's name. Or rename one of them in Cameos, or pick the cameo with the picker.`,
    };
  if (same.length) return { ok: true, cameo: [...same].sort((a, b) => (b.revokedAt ?? '').localeCompare(a.revokedAt ?? ''))[0]! };
  if (owner && all.length)
    return {
      ok: false,
      handle: key,
      reason: 'unknown',
      candidates: all.filter((c) => c.state === 'active'),
      message: `No @${h} in your library belongs to "${owner}".`,
      hint: all.some((c) => c.state === 'active') ? `Write ${ways(all).join(' or ')}.` : `@${h} has no active cameo.`,
    };
  const close = library.filter((c) => c.state === 'active' && (c.handle.startsWith(h.slice(0, 2)) || c.name.toLowerCase().includes(h))).slice(0, 3);
  return {
    ok: false,
    handle: key,
    reason: 'unknown',
    candidates: close,
    message: `No cameo has the handle @${h}.`,
    hint: close.length ? `Did you mean ${close.map((c) => qualifiedHandle(c, library)).join(' or ')}?` : 'Create the cameo in the Cameos view first, or remove the @ from the prompt.',
  };
}

/** Every mention in `texts` resolved; unresolved ones are returned as problems (nothing is dropped silently). */
export function resolveMentions(texts: readonly string[], library: readonly Cameo[]): { cameos: Cameo[]; problems: Extract<HandleResolution, { ok: false }>[] } {
  const seen = new Set<string>();
  const cameos: Cameo[] = [];
  const problems: Extract<HandleResolution, { ok: false }>[] = [];
  for (const t of texts)
    for (const m of findMentions(t)) {
      const key = `${m.handle}~${m.owner ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const r = resolveHandle(m.handle, library, m.owner);
      if (r.ok) {
        if (!cameos.some((c) => c.id === r.cameo.id)) cameos.push(r.cameo);
      } else problems.push(r);
    }
  return { cameos, problems };
}
