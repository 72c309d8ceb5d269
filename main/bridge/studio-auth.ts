/**
 * Who may talk to the studio server, and from where.
 *
 * - The printed URL's token (≥ 128 bits) is traded once for a per-tab **session token**, which
 *   the page keeps (sessionStorage: per origin, so per port, unlike a cookie) and sends as a
 *   header. Nothing is ever carried in a cookie: cookies are not port-scoped, so every other
 *   program serving pages on 127.0.0.1 would receive it.
 * - State-changing requests and the WebSocket upgrade must come from our own origin when the
 *   browser says where they come from (`Origin`, `Sec-Fetch-Site`); a page on another loopback
 *   port is same-site but cross-origin and is refused.
 * - Media elements cannot send headers, so media URLs carry a signature per resource:
 *   HMAC-SHA256(session token, path + expiry), valid for minutes.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type http from 'node:http';
import { isLoopbackHost, tokensEqual } from './http-util.js';

export const SESSION_HEADER = 'x-shotline-session';
export const WS_PROTOCOL = 'shotline';
/** Subprotocol prefix that carries the session token on the WebSocket (browsers cannot set headers there). */
export const WS_SESSION_PREFIX = 'shotline.session.';
/** Media URL signatures live this long at most (the page signs with an expiry up to 30 min ahead). */
export const MEDIA_URL_MAX_AGE_S = 60 * 60;
const MAX_SESSIONS = 64;

export interface Session {
  id: string;
  token: string;
}

/** Bits of entropy a studio token must carry. */
export const MIN_TOKEN_BITS = 128;

/**
 * A conservative estimate of a token's entropy: its length times the bits of the smallest
 * common alphabet that holds all its characters, and refused outright when it repeats itself
 * (a long run of one character is long, not random).
 */
export function tokenStrength(token: string): { bits: number; ok: boolean; reason?: string } {
  const alphabets: [RegExp, number][] = [
    [/^[0-9]+$/, 10],
    [/^[0-9a-f]+$/, 16],
    [/^[0-9A-F]+$/, 16],
    [/^[a-z]+$/, 26],
    [/^[A-Z]+$/, 26],
    [/^[0-9a-z]+$/, 36],
    [/^[0-9A-Z]+$/, 36],
    [/^[0-9A-Za-z]+$/, 62],
    [/^[0-9A-Za-z_-]+$/, 64],
    [/^[0-9A-Za-z+/=]+$/, 64],
    [/^[\x21-\x7e]+$/, 94],
  ];
  const size = alphabets.find(([re]) => re.test(token))?.[1];
  if (!size) return { bits: 0, ok: false, reason: 'it may only contain printable ASCII characters without spaces' };
  const bits = Math.floor(token.length * Math.log2(size));
  const counts = new Map<string, number>();
  for (const ch of token) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const most = Math.max(...counts.values());
  // Only degenerate tokens ("aaaa…", "abab…"): the bounds are loose enough that a random one is
  // never refused (for 32 random hex characters: fewer than 5 distinct ~1e-16, one character in
  // half of them ~1e-11). The old bounds (10 distinct, a quarter) refused 1 in 500 random tokens.
  if (counts.size < Math.min(5, size) || most > token.length / 2) return { bits, ok: false, reason: 'it repeats the same few characters, so it is not random' };
  if (bits < MIN_TOKEN_BITS) return { bits, ok: false, reason: `it carries about ${bits} bits; at least ${MIN_TOKEN_BITS} are needed (e.g. 32 hex or 22 base64url characters of random data)` };
  return { bits, ok: true };
}

export class StudioAuth {
  private readonly sessions = new Map<string, Session>();
  private readonly byToken = new Map<string, Session>();

  constructor(readonly token: string) {}

  /** Trade the printed token for a session; null when the token is wrong. */
  openSession(offered: string): Session | null {
    if (!tokensEqual(offered, this.token)) return null;
    const s: Session = { id: randomBytes(9).toString('base64url'), token: randomBytes(32).toString('base64url') };
    this.sessions.set(s.id, s);
    this.byToken.set(s.token, s);
    // Old tabs' sessions are dropped first (a Map iterates in insertion order).
    while (this.sessions.size > MAX_SESSIONS) {
      const oldest = this.sessions.values().next().value as Session;
      this.sessions.delete(oldest.id);
      this.byToken.delete(oldest.token);
    }
    return s;
  }

  /** The printed token (programmatic clients: header or bearer) or a session token (pages). */
  authorized(req: http.IncomingMessage): boolean {
    const header = req.headers['x-shotline-token'];
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const given = (typeof header === 'string' ? header : undefined) ?? bearer;
    if (given !== undefined && tokensEqual(given, this.token)) return true;
    const session = req.headers[SESSION_HEADER];
    return typeof session === 'string' && this.byToken.has(session);
  }

  /** The WebSocket carries the session in a subprotocol, or the printed token in a header. */
  authorizedSocket(req: http.IncomingMessage): boolean {
    if (this.authorized(req)) return true;
    return offeredProtocols(req).some((p) => p.startsWith(WS_SESSION_PREFIX) && this.byToken.has(p.slice(WS_SESSION_PREFIX.length)));
  }

  /** A media URL's signature: for this path, this session, not expired, not too far ahead. */
  mediaSignatureValid(rel: string, params: URLSearchParams, nowS = Date.now() / 1000): boolean {
    const s = this.sessions.get(params.get('k') ?? '');
    const exp = Number(params.get('e'));
    const sig = params.get('s') ?? '';
    if (!s || !Number.isInteger(exp) || exp < nowS || exp > nowS + MEDIA_URL_MAX_AGE_S) return false;
    return tokensEqual(sig, signMedia(s.token, rel, exp));
  }
}

/** HMAC-SHA256(session token, `${rel}\n${exp}`) as base64url; the page computes the same. */
export function signMedia(sessionToken: string, rel: string, exp: number): string {
  return createHmac('sha256', sessionToken).update(`${rel}\n${exp}`).digest('base64url');
}

export function offeredProtocols(req: http.IncomingMessage): string[] {
  const raw = req.headers['sec-websocket-protocol'];
  return (typeof raw === 'string' ? raw : '').split(',').map((p) => p.trim()).filter(Boolean);
}

/**
 * Where a request says it comes from must be this server itself. Browsers send `Origin` on
 * every cross-origin request, on POST/PUT and on WebSocket upgrades, and `Sec-Fetch-Site`
 * on everything; non-browser clients send neither and are judged by their token alone.
 */
export function sameOriginRequest(req: http.IncomingMessage, port: number, opts: { allowNavigation?: boolean } = {}): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let u: URL;
    try {
      u = new URL(origin);
    } catch {
      return false;
    }
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (u.protocol !== 'http:' || !isLoopbackHost(host) || Number(u.port || 80) !== port) return false;
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && !(opts.allowNavigation && site === 'none')) return false;
  return true;
}
