// A failed load of c2pa's WebAssembly is not kept for the life of the process: the next
// signing tries again (main/provenance/c2pa-wasm.ts). The first read of the .wasm fails here
// (as a read error or memory pressure would); the second load must compile the real module.
import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => vi.restoreAllMocks());

describe('c2pa wasm load', () => {
  it('retries after a failed load and then gives the working module', async () => {
    vi.resetModules();
    const { c2pa } = await import('../../../main/provenance/c2pa-wasm.js');
    const read = fs.promises.readFile;
    let failed = 0;
    vi.spyOn(fs.promises, 'readFile').mockImplementation(((file: fs.PathLike, ...rest: unknown[]) => {
      if (String(file).endsWith('.wasm') && failed++ === 0) return Promise.reject(Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' }));
      return (read as (...a: unknown[]) => Promise<unknown>)(file, ...rest);
    }) as typeof fs.promises.readFile);
    await expect(c2pa()).rejects.toThrow(/EMFILE/);
    const mod = await c2pa();
    // The compiled module, read on the second try.
    expect(typeof mod.WasmReader).toBe('function');
    expect(failed).toBe(2);
    // Loaded once, kept: the same module without reading again.
    expect(await c2pa()).toBe(mod);
    expect(failed).toBe(2);
  });
});
