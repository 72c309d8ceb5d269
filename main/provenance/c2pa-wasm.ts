/**
 * c2pa-rs as WebAssembly (@contentauth/c2pa-wasm 0.15) in Node. Two shims, both local to
 * this module's use:
 *  - initSync with the .wasm bytes read from the package (no fetch in Node);
 *  - the library reads Blobs with `new FileReaderSync().readAsArrayBuffer(blob.slice(a, b))`
 *    (a browser-worker API). Node's Blob cannot be read synchronously, so the builder is
 *    given a `BytesBlob` (size + slice over a Uint8Array) and FileReaderSync reads it back.
 *    The JS glue only calls `.size`, `.slice()` and the reader, so the duck type is enough.
 * Reading uses WasmReader.fromBytes, which needs neither.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';

type C2pa = typeof import('@contentauth/c2pa-wasm');

/** A Blob-shaped view over bytes that FileReaderSync (below) can read synchronously. */
export class BytesBlob {
  constructor(
    readonly bytes: Uint8Array,
    readonly type = '',
  ) {}
  get size(): number {
    return this.bytes.length;
  }
  slice(start = 0, end = this.bytes.length): BytesBlob {
    return new BytesBlob(this.bytes.subarray(start, end), this.type);
  }
}

class FileReaderSyncShim {
  readAsArrayBuffer(blob: BytesBlob): ArrayBuffer {
    if (!(blob instanceof BytesBlob)) throw new TypeError('Shotline passes c2pa-wasm BytesBlob values only.');
    return blob.bytes.slice().buffer;
  }
}

let loaded: Promise<C2pa> | null = null;

export function c2pa(): Promise<C2pa> {
  loaded ??= (async () => {
    const g = globalThis as { FileReaderSync?: unknown };
    g.FileReaderSync ??= FileReaderSyncShim;
    const mod = (await import('@contentauth/c2pa-wasm')) as C2pa;
    const wasmPath = createRequire(import.meta.url).resolve('@contentauth/c2pa-wasm/c2pa.wasm');
    // Compiled asynchronously (V8 compiles off the main thread): an export starts this while
    // ffmpeg encodes (export-step.ts), and the event loop keeps serving progress and cancel.
    mod.initSync({ module: await WebAssembly.compile(await fs.promises.readFile(wasmPath)) });
    return mod;
  })();
  // A failed load (a read error, memory pressure) is not kept: the next export tries again
  // instead of failing its signing for the rest of the process's life.
  loaded.catch(() => {
    loaded = null;
  });
  return loaded;
}

/** The library's Blob parameters are typed as DOM Blobs; ours is the duck-typed stand-in. */
export function asBlob(bytes: Uint8Array, type = ''): Blob {
  return new BytesBlob(bytes, type) as unknown as Blob;
}
