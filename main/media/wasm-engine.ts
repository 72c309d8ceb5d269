/**
 * The wasm engine: @ffmpeg/core in Node, the fallback where no native ffmpeg exists.
 * The 32 MB module is compiled once per process and handed to a fresh worker per run
 * (wasm-worker.mjs); files travel through the core's in-memory filesystem, so inputs are
 * copied in and the output copied out, with the paths in the arguments rewritten.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ShotlineError } from '../../app/errors.js';
import { outputArg } from './args.js';
import type { FfmpegEngine, FfmpegRunOptions } from './engine.js';
import { parseFilterList, parseVersionBanner } from './ffmpeg-text.js';
import { LineTail } from './lines.js';
import { canceledError, diskFullError, failedError, FfmpegRunError, isDiskFullLog, stallTimeoutFromEnv, stalledError } from './media-errors.js';
import { parseStatsLine, ProgressTracker } from './progress-parser.js';

export interface WasmCoreFiles {
  /** ESM build of the core (ffmpeg-core.js). */
  coreJs: string;
  wasm: string;
}

export interface WasmEngine extends FfmpegEngine {
  kind: 'wasm';
  path: null;
  ffprobePath: null;
  canPipeStdout: false;
}

/**
 * Where @ffmpeg/core's files are. `coreDir` overrides (a packaged app unpacks them from
 * the asar); otherwise they are resolved like any dependency. The package exports only
 * the entry points, so the ESM folder is found next to the resolved UMD entry.
 */
export function locateWasmCore(coreDir?: string): WasmCoreFiles {
  const dir = coreDir ?? path.join(path.dirname(createRequire(import.meta.url).resolve('@ffmpeg/core')), '..', 'esm');
  return { coreJs: path.join(dir, 'ffmpeg-core.js'), wasm: path.join(dir, 'ffmpeg-core.wasm') };
}

const compiled = new Map<string, Promise<WebAssembly.Module>>();

function compileCore(files: WasmCoreFiles): Promise<WebAssembly.Module> {
  let mod = compiled.get(files.wasm);
  if (!mod) {
    // Async compile runs off the main thread in V8; the Module is shareable with workers.
    mod = fs.promises.readFile(files.wasm).then((bytes) => WebAssembly.compile(bytes));
    mod.catch(() => compiled.delete(files.wasm));
    compiled.set(files.wasm, mod);
  }
  return mod;
}

const WORKER_URL = new URL('./wasm-worker.mjs', import.meta.url);

interface MappedFile {
  real: string;
  mem: string;
}

/** A name safe inside MEMFS and inside filter strings; the extension survives so formats are still guessed. */
function memName(real: string): string {
  return path.basename(real).replace(/[^A-Za-z0-9._-]/g, '_') || 'file';
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Rewrites real paths in `args` to MEMFS paths; returns what must be copied in and out. */
export function mapFilesForWasm(args: readonly string[], extraInputs: readonly string[] = []) {
  const out = [...args];
  const inputs: MappedFile[] = [];
  for (let i = 1; i < out.length; i++) {
    const value = out[i] as string;
    // Only real files: `-f lavfi -i testsrc2=...` and URLs pass through untouched.
    if (out[i - 1] === '-i' && isFile(value)) {
      const mem = `/in/${inputs.length}/${memName(value)}`;
      inputs.push({ real: value, mem });
      out[i] = mem;
    }
  }
  extraInputs.forEach((real, n) => {
    const mem = `/extra/${n}/${memName(real)}`;
    inputs.push({ real, mem });
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as string).split(real).join(mem);
  });
  const target = outputArg(args);
  let output: MappedFile | null = null;
  if (target) {
    output = { real: path.resolve(target), mem: `/out/${memName(target)}` };
    out[out.length - 1] = output.mem;
  }
  return { args: out, inputs, output };
}

interface ExecResult {
  ret: number;
  lines: string[];
}

/** Runs one exec in a fresh worker. `args` are final (already mapped). */
function execInWorker(
  files: WasmCoreFiles,
  module: WebAssembly.Module,
  job: { args: string[]; inputs: MappedFile[]; output: MappedFile | null; onLine: (line: string) => void; signal?: AbortSignal },
): Promise<ExecResult | { error: string; code: string | null } | 'aborted'> {
  return new Promise((resolve) => {
    const lines: string[] = [];
    const worker = new Worker(WORKER_URL, {
      workerData: { coreUrl: pathToFileURL(files.coreJs).href, module, args: job.args, inputs: job.inputs, output: job.output },
      // A plain .mjs needs no loader; inheriting tsx's or vitest's flags would only slow it down.
      execArgv: [],
    });
    let done = false;
    const settle = (r: ExecResult | { error: string; code: string | null } | 'aborted') => {
      if (done) return;
      done = true;
      job.signal?.removeEventListener('abort', onAbort);
      // The worker holds a whole ffmpeg heap: free it as soon as the answer is in.
      void worker.terminate().then(() => resolve(r));
    };
    const onAbort = () => settle('aborted');
    job.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (msg: { type: string; line?: string; ret?: number; message?: string; code?: string | null }) => {
      if (msg.type === 'log' && msg.line !== undefined) {
        lines.push(msg.line);
        job.onLine(msg.line);
      } else if (msg.type === 'done') settle({ ret: msg.ret ?? 1, lines });
      else if (msg.type === 'error') settle({ error: msg.message ?? 'unknown error', code: msg.code ?? null });
    });
    worker.on('error', (e) => settle({ error: e.message, code: null }));
    worker.on('exit', (code) => settle({ error: `the ffmpeg worker exited (${code}) before finishing`, code: null }));
  });
}

async function runWasm(files: WasmCoreFiles, opts: FfmpegRunOptions): Promise<void> {
  const { args, signal, onProgress, onLog } = opts;
  if (opts.onStdout) {
    throw new FfmpegRunError('unsupported', 'The built-in (wasm) ffmpeg cannot stream to stdout.', 'Write to a temporary file instead (engine.canPipeStdout is false).');
  }
  if (signal?.aborted) throw canceledError(args);
  const module = await compileCore(files);
  const mapped = mapFilesForWasm(args, opts.extraInputs);
  const tail = new LineTail(20);
  const tracker = new ProgressTracker(opts.expectedDurationFlicks);
  let diskFull = false;
  // Callback errors are reported after the run, as in the native engine.
  let callbackError: unknown = null;
  const guard = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      callbackError ??= e;
    }
  };
  // Log lines name the in-memory paths; put the user's paths back so messages make sense.
  const renames = [...mapped.inputs, ...(mapped.output ? [mapped.output] : [])];
  // No-progress watchdog, as in the native engine: the stats line's time must keep moving
  // (a still that never decodes under `-loop 1` spins forever); the clock starts with the
  // worker, so a core stuck before its first line is caught too. terminate() stops the wasm.
  const stallMs = opts.stallTimeoutMs ?? stallTimeoutFromEnv();
  const stop = new AbortController();
  let stalled = false;
  let lastOutTime = -1;
  let lastMove = Date.now();
  const watchdog = setInterval(() => {
    if (Date.now() - lastMove < stallMs) return;
    stalled = true;
    stop.abort();
  }, Math.min(1000, stallMs / 4));
  watchdog.unref();
  const onCallerAbort = () => stop.abort();
  signal?.addEventListener('abort', onCallerAbort, { once: true });

  const onLine = (logged: string) => {
    // The core ends every exec by aborting its runtime; that line is noise, not an error.
    if (logged === 'Aborted()') return;
    const line = renames.reduce((l, m) => l.split(m.mem).join(m.real), logged);
    tail.add(line);
    if (isDiskFullLog(line)) diskFull = true;
    if (onLog) guard(() => onLog(line));
    const raw = parseStatsLine(line);
    if (!raw) return;
    const p = tracker.update(raw);
    if (p.outTimeFlicks !== lastOutTime) {
      lastOutTime = p.outTimeFlicks;
      lastMove = Date.now();
    }
    if (onProgress) guard(() => onProgress(p));
  };
  let result: Awaited<ReturnType<typeof execInWorker>>;
  try {
    result = await execInWorker(files, module, { args: ['-hide_banner', ...mapped.args], inputs: mapped.inputs, output: mapped.output, onLine, signal: stop.signal });
  } finally {
    clearInterval(watchdog);
    signal?.removeEventListener('abort', onCallerAbort);
  }
  if (result === 'aborted') throw stalled && !signal?.aborted ? stalledError(args, tail.get(), stallMs) : canceledError(args);
  if (callbackError !== null) throw callbackError;
  if ('error' in result) {
    if (result.code === 'ENOSPC' || isDiskFullLog(result.error)) throw diskFullError(args, tail.get());
    throw failedError(args, { code: null, signal: null }, [...tail.get(), result.error]);
  }
  // Before the exit code: ffmpeg can exit 0 after failing to write its trailer.
  if (diskFull) throw diskFullError(args, tail.get());
  if (result.ret !== 0) throw failedError(args, { code: result.ret }, tail.get());
}

export interface WasmEngineOptions {
  /** Folder with ffmpeg-core.js and ffmpeg-core.wasm (ESM build); defaults to the installed @ffmpeg/core. */
  coreDir?: string;
}

// Version and filter list per core build, read once per process (each read costs a worker).
const infoCache = new Map<string, Promise<{ version: string; filters: Set<string> }>>();

function readCoreInfo(files: WasmCoreFiles, module: WebAssembly.Module): Promise<{ version: string; filters: Set<string> }> {
  let info = infoCache.get(files.wasm);
  if (!info) {
    // One banner-bearing `-filters` run answers both the version and hasFilter().
    info = execInWorker(files, module, { args: ['-filters'], inputs: [], output: null, onLine: () => {} }).then((r) => {
      if (r === 'aborted' || 'error' in r) throw new Error(r === 'aborted' ? 'aborted' : r.error);
      const text = r.lines.join('\n');
      return { version: parseVersionBanner(text) ?? 'unknown', filters: parseFilterList(text) };
    });
    info.catch(() => infoCache.delete(files.wasm));
    infoCache.set(files.wasm, info);
  }
  return info;
}

export async function createWasmEngine(opts: WasmEngineOptions = {}): Promise<WasmEngine> {
  const files = locateWasmCore(opts.coreDir);
  const module = await compileCore(files).catch((e: Error) => {
    throw new ShotlineError('unsupported', `The built-in (wasm) ffmpeg could not be loaded from "${files.wasm}": ${e.message}.`, 'Reinstall Shotline, or set a native ffmpeg in Settings.');
  });
  const info = await readCoreInfo(files, module).catch((e: Error) => {
    throw new ShotlineError('unsupported', `The built-in (wasm) ffmpeg did not start: ${e.message}.`, 'Reinstall Shotline, or set a native ffmpeg in Settings.');
  });
  return {
    kind: 'wasm',
    version: info.version,
    path: null,
    ffprobePath: null,
    canPipeStdout: false,
    hasFilter: (name) => info.filters.has(name),
    run: (runOpts) => runWasm(files, runOpts),
  };
}
