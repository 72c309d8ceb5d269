// One ffmpeg exec in @ffmpeg/core (wasm), inside a worker_threads Worker.
// Why a worker: the core's exec is synchronous and runs for as long as the encode does;
// off the main thread the event loop stays free, and abort is worker.terminate(). Why one
// exec per worker: the core supports only one exec per instance.
// Plain .mjs (not .ts) so it runs under node, tsx and vitest alike without a loader.
//
// workerData: { coreUrl, module (compiled WebAssembly.Module), args, inputs: [{ real, mem }],
//               output: { real, mem } | null }
// Messages out: { type: 'log', line } ... then { type: 'done', ret } or { type: 'error', code, message }.
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

const { coreUrl, module: wasmModule, args, inputs, output } = workerData;

// The core is an Emscripten build for web workers: it reads self.location for its own
// URL. The compiled module is handed in, so nothing is fetched.
globalThis.self = { location: { href: coreUrl } };

const post = (msg) => parentPort.postMessage(msg);

try {
  const { default: createFFmpegCore } = await import(coreUrl);
  const core = await createFFmpegCore({
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(wasmModule, imports).then((instance) => receive(instance, wasmModule));
      return {};
    },
  });
  core.setLogger(({ message }) => post({ type: 'log', line: message }));

  for (const { real, mem } of inputs) {
    core.FS.mkdirTree(path.posix.dirname(mem));
    core.FS.writeFile(mem, fs.readFileSync(real));
  }
  if (output) core.FS.mkdirTree(path.posix.dirname(output.mem));

  const ret = core.exec(...args);
  if (ret === 0 && output) {
    let bytes;
    try {
      bytes = core.FS.readFile(output.mem);
    } catch {
      bytes = null;
    }
    // ffmpeg can succeed without writing anything (e.g. nothing selected); mirror that.
    if (bytes) fs.writeFileSync(output.real, bytes);
  }
  post({ type: 'done', ret });
} catch (e) {
  post({ type: 'error', code: e && typeof e === 'object' && 'code' in e ? String(e.code) : null, message: e instanceof Error ? e.message : String(e) });
}
