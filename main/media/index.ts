/** The media layer's public surface: engines, probing, hashing and derived media. */
export type { FfmpegEngine, FfmpegEngineInfo, FfmpegProgress, FfmpegRunOptions } from './engine.js';
export { findNativeFfmpeg, createNativeEngine, type NativeFfmpegEngine, type NativeFfmpegFound } from './native-engine.js';
export { createWasmEngine, type WasmEngine } from './wasm-engine.js';
export { selectEngine, describeEngines, type EngineReport, type SelectEngineOptions } from './select-engine.js';
export { probeMedia, type ProbeResult } from './probe.js';
export { sha256File } from './hash.js';
export { makeFilmstrip, type FilmstripResult } from './filmstrip.js';
export { computePeaks, type PeaksFile } from './peaks.js';
export { peaksFromSamples } from './peaks-math.js';
export { FfmpegRunError } from './media-errors.js';
