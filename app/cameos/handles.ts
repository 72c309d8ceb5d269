/**
 * @handles in prompts ("@maya walks into the lighthouse"): finding them in text, checking a
 * new handle, and resolving them against the library with clear messages for an unknown or
 * ambiguous one.
 */
import type { Cameo } from './types.js';

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
  /** Where "@…" starts in the text and how long it is (with the @). */
  index: number;
  length: number;
}

/**
 * The @handles in a text, in order. An '@' counts only at the start or after a character that
 * cannot be part of a word or an e-mail address ("me@home.com" is not a mention); a trailing
 * '.', '-' (end of a sentence) is not part of the handle.
 */
export function findMentions(text: string): HandleMention[] {
  const out: HandleMention[] = [];
  const re = /(^|[^A-Za-z0-9_@.])@([A-Za-z0-9][A-Za-z0-9_.-]*)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const handle = m[2]!.replace(/[.-]+$/, '');
    if (handle.length < 1) continue;
    out.push({ handle: handle.toLowerCase(), index: m.index + m[1]!.length, length: handle.length + 1 });
  }
  return out;
}

export type HandleResolution =
  | { ok: true; cameo: Cameo }
  | { ok: false; handle: string; reason: 'unknown' | 'ambiguous'; message: string; hint: string; candidates: Cameo[] };

/**
 * One handle against the library. An active cameo wins over revoked ones with the same handle
 * (a revoked one still resolves, so its check can say "revoked" rather than "unknown"); two
 * active cameos with the same handle (an imported one clashing with yours) are ambiguous.
 */
export function resolveHandle(handle: string, library: readonly Cameo[]): HandleResolution {
  const h = normalizeHandle(handle);
  const same = library.filter((c) => c.handle === h);
  const active = same.filter((c) => c.state === 'active');
  if (active.length === 1) return { ok: true, cameo: active[0]! };
  if (active.length > 1)
    return {
      ok: false,
      handle: h,
      reason: 'ambiguous',
      candidates: active,
      message: `@${h} is ambiguous: ${active.map((c) => `${c.name} (from ${c.consent.owner.name || 'unknown owner'})`).join(' and ')} share it.`,
      hint: 'Rename one of them in Cameos, or pick the cameo with the picker instead of typing its handle.',
    };
  if (same.length) return { ok: true, cameo: [...same].sort((a, b) => (b.revokedAt ?? '').localeCompare(a.revokedAt ?? ''))[0]! };
  const close = library.filter((c) => c.state === 'active' && (c.handle.startsWith(h.slice(0, 2)) || c.name.toLowerCase().includes(h))).slice(0, 3);
  return {
    ok: false,
    handle: h,
    reason: 'unknown',
    candidates: close,
    message: `No cameo has the handle @${h}.`,
    hint: close.length ? `Did you mean ${close.map((c) => `@${c.handle}`).join(' or ')}?` : 'Create the cameo in the Cameos view first, or remove the @ from the prompt.',
  };
}

/** Every mention in `texts` resolved; unresolved ones are returned as problems (nothing is dropped silently). */
export function resolveMentions(texts: readonly string[], library: readonly Cameo[]): { cameos: Cameo[]; problems: Extract<HandleResolution, { ok: false }>[] } {
  const seen = new Set<string>();
  const cameos: Cameo[] = [];
  const problems: Extract<HandleResolution, { ok: false }>[] = [];
  for (const t of texts)
    for (const m of findMentions(t)) {
      if (seen.has(m.handle)) continue;
      seen.add(m.handle);
      const r = resolveHandle(m.handle, library);
      if (r.ok) {
        if (!cameos.some((c) => c.id === r.cameo.id)) cameos.push(r.cameo);
      } else problems.push(r);
    }
  return { cameos, problems };
}
