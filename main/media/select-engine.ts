/**
 * Choosing the ffmpeg engine: a native binary when one is found (fast), unless the user
 * prefers wasm; the wasm core otherwise (always there, slower, no vid.stab). A preference
 * is only a preference: when the preferred engine cannot load, the other one is used.
 */
import fs from 'node:fs';
import type { FfmpegEngine } from './engine.js';
import { createNativeEngine, findNativeFfmpeg, type NativeFfmpegFound } from './native-engine.js';
import { createWasmEngine, locateWasmCore } from './wasm-engine.js';

export interface SelectEngineOptions {
  prefer?: 'native' | 'wasm';
  /** The user's explicit ffmpeg setting. */
  ffmpegPath?: string | null;
  /** Folder holding the bundled `ffmpeg/<platform>-<arch>/`. */
  resourcesDir?: string;
  /** Where what the native binaries answered (`-version`, `-filters`) is kept between processes (binary-facts.ts). */
  factsFile?: string;
}

export async function selectEngine(opts: SelectEngineOptions = {}): Promise<FfmpegEngine> {
  const findNative = () => findNativeFfmpeg({ ffmpegPath: opts.ffmpegPath, resourcesDir: opts.resourcesDir, factsFile: opts.factsFile });
  const native = (found: NativeFfmpegFound) => createNativeEngine(found, { factsFile: opts.factsFile });
  if (opts.prefer === 'wasm') {
    try {
      return await createWasmEngine();
    } catch (e) {
      const found = await findNative();
      if (found) return native(found);
      throw e;
    }
  }
  const found = await findNative();
  return found ? native(found) : createWasmEngine();
}

export interface EngineReport {
  /** The native ffmpeg that would be used, or null when none works. */
  native: NativeFfmpegFound | null;
  /** An explicit setting that was passed over because it is not a working ffmpeg. */
  settingIgnored: string | null;
  wasm: { available: boolean; version: string | null; hasVidStab: boolean; error: string | null };
  /** What selectEngine() with the same options picks. */
  selected: 'native' | 'wasm' | 'none';
}

/** What `shotline doctor` prints: which engines exist and which one Shotline will use. */
export async function describeEngines(opts: SelectEngineOptions = {}): Promise<EngineReport> {
  const native = await findNativeFfmpeg({ ffmpegPath: opts.ffmpegPath, resourcesDir: opts.resourcesDir });
  const setting = opts.ffmpegPath?.trim() || null;
  const settingIgnored = setting && native?.source !== 'setting' ? setting : null;
  let wasm: EngineReport['wasm'];
  try {
    const files = locateWasmCore();
    if (!fs.existsSync(files.wasm)) throw new Error(`${files.wasm} is missing`);
    const engine = await createWasmEngine();
    wasm = { available: true, version: engine.version, hasVidStab: engine.hasFilter('vidstabdetect'), error: null };
  } catch (e) {
    wasm = { available: false, version: null, hasVidStab: false, error: e instanceof Error ? e.message : String(e) };
  }
  let selected: EngineReport['selected'] = 'none';
  if (opts.prefer === 'wasm') selected = wasm.available ? 'wasm' : native ? 'native' : 'none';
  else selected = native ? 'native' : wasm.available ? 'wasm' : 'none';
  return { native, settingIgnored, wasm, selected };
}
