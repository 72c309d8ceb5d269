/**
 * HMAC-SHA256, synchronous. Media URLs are built during render (an <img src> cannot wait for
 * WebCrypto's promise), so the studio transport signs them with app/'s synchronous SHA-256
 * and HMAC (RFC 2104) here; the server checks with node:crypto, and a test compares the two.
 */
import { sha256Bytes as sha256 } from '@app/util/sha256';

export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  let k = key.length > 64 ? sha256(key) : key;
  const block = new Uint8Array(64);
  block.set(k);
  k = block;
  const inner = new Uint8Array(64 + message.length);
  const outer = new Uint8Array(64 + 32);
  for (let i = 0; i < 64; i++) {
    inner[i] = k[i]! ^ 0x36;
    outer[i] = k[i]! ^ 0x5c;
  }
  inner.set(message, 64);
  outer.set(sha256(inner), 64);
  return sha256(outer);
}

export function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** HMAC-SHA256 of UTF-8 strings, base64url without padding (what node's digest('base64url') gives). */
export function hmacBase64url(key: string, message: string): string {
  const enc = new TextEncoder();
  return base64url(hmacSha256(enc.encode(key), enc.encode(message)));
}
