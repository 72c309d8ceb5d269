// The platform APIs app/ may name, for the app-only typecheck (tsconfig.app.json), which has
// neither DOM nor Node types. Each is the same WHATWG API in browsers and in Node; only what
// app/ uses is declared. The renderer and Node programs do not include this file: there the
// real declarations apply, and a value of theirs fits this shape.
interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  throwIfAborted(): void;
}

/** WHATWG URL parsing (validating addresses in schemas). */
interface URL {
  readonly href: string;
  readonly origin: string;
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly host: string;
  readonly hostname: string;
  readonly port: string;
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
  toString(): string;
}
declare var URL: { prototype: URL; new (url: string, base?: string): URL };

/** WHATWG encoding (UTF-8 bytes for hashing and serialising). */
interface TextEncoder {
  encode(input?: string): Uint8Array;
}
declare var TextEncoder: { prototype: TextEncoder; new (): TextEncoder };
interface TextDecoder {
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
declare var TextDecoder: { prototype: TextDecoder; new (label?: string, options?: { fatal?: boolean }): TextDecoder };
