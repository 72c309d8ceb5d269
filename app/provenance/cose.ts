/**
 * COSE_Sign1 for a C2PA claim (C2PA 2.x §14, RFC 9052), built here because the wasm build of
 * c2pa-rs hands the claim to the signer callback with "direct COSE handling": the callback
 * returns the whole signature box. Layout, as c2pa-rs itself writes it:
 *
 *   tag 18 [ protected: bstr .cbor { 1: alg, 33: x5chain }, unprotected: { "pad": bstr },
 *            payload: null (detached: the claim), signature: bstr ]
 *
 * The signature covers Sig_structure ["Signature1", protected, h'', claim]. The result must
 * be exactly `reserveSize` bytes (it replaces a placeholder of that size in the JUMBF), which
 * the zero-filled "pad" header makes it.
 */
import { CborMap, CborTag, encodeCbor } from './cbor.js';

/** COSE algorithm ids (IANA): ES256 = ECDSA P-256 with SHA-256. */
export const COSE_ALG = { es256: -7, es384: -35, ps256: -37 } as const;
const HEADER_ALG = 1;
const HEADER_X5CHAIN = 33;

export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  return encodeCbor(['Signature1', protectedBytes, new Uint8Array(0), payload]);
}

export function protectedHeader(alg: number, certsDer: Uint8Array[]): Uint8Array {
  const chain = certsDer.length === 1 ? certsDer[0]! : certsDer;
  return encodeCbor(new CborMap([[HEADER_ALG, alg], [HEADER_X5CHAIN, chain]]));
}

function sign1(protectedBytes: Uint8Array, signature: Uint8Array, padLength: number): Uint8Array {
  return encodeCbor(new CborTag(18, [protectedBytes, new CborMap([['pad', new Uint8Array(padLength)]]), null, signature]));
}

/** The tagged COSE_Sign1, padded to exactly `reserveSize` bytes; throws when it cannot fit. */
export async function buildCoseSign1(claim: Uint8Array, opts: { alg: number; certsDer: Uint8Array[]; reserveSize: number; sign(toBeSigned: Uint8Array): Promise<Uint8Array> }): Promise<Uint8Array> {
  const prot = protectedHeader(opts.alg, opts.certsDer);
  const signature = await opts.sign(sigStructure(prot, claim));
  const bare = sign1(prot, signature, 0).length;
  // The pad's own length prefix grows with it (1, 2, 3 or 5 bytes): try each.
  for (const extra of [0, 1, 2, 4]) {
    const pad = opts.reserveSize - bare - extra;
    if (pad < 0) break;
    const out = sign1(prot, signature, pad);
    if (out.length === opts.reserveSize) return out;
  }
  throw new Error(`The COSE signature (${bare} bytes before padding) does not fit the reserved ${opts.reserveSize} bytes.`);
}
