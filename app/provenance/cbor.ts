/**
 * The few CBOR items a COSE_Sign1 needs (RFC 8949, deterministic encoding): unsigned and
 * negative integers, byte and text strings, arrays, maps with int or text keys, tags, null.
 */
export type CborValue = number | string | Uint8Array | null | CborValue[] | CborMap | CborTag;
export class CborMap {
  constructor(readonly entries: [number | string, CborValue][]) {}
}
export class CborTag {
  constructor(
    readonly tag: number,
    readonly value: CborValue,
  ) {}
}

function head(major: number, n: number): number[] {
  if (n < 24) return [(major << 5) | n];
  if (n < 0x100) return [(major << 5) | 24, n];
  if (n < 0x10000) return [(major << 5) | 25, n >> 8, n & 0xff];
  if (n < 0x100000000) return [(major << 5) | 26, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  throw new Error('CBOR: lengths above 2^32 are not needed here');
}

export function encodeCbor(v: CborValue): Uint8Array {
  const out: number[] = [];
  const push = (bytes: ArrayLike<number>) => {
    for (let i = 0; i < bytes.length; i++) out.push(bytes[i]!);
  };
  const enc = (x: CborValue): void => {
    if (x === null) out.push(0xf6);
    else if (typeof x === 'number') {
      if (!Number.isInteger(x)) throw new Error('CBOR: only integers are needed here');
      push(x >= 0 ? head(0, x) : head(1, -1 - x));
    } else if (typeof x === 'string') {
      const b = new TextEncoder().encode(x);
      push(head(3, b.length));
      push(b);
    } else if (x instanceof Uint8Array) {
      push(head(2, x.length));
      push(x);
    } else if (Array.isArray(x)) {
      push(head(4, x.length));
      x.forEach(enc);
    } else if (x instanceof CborMap) {
      push(head(5, x.entries.length));
      for (const [k, val] of x.entries) {
        enc(k);
        enc(val);
      }
    } else {
      push(head(6, x.tag));
      enc(x.value);
    }
  };
  enc(v);
  return Uint8Array.from(out);
}
