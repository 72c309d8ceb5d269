/** native/: local inference on onnxruntime-node (model packs, runner, analysis). Node only; imports app/ only. */
export { loadModelPack, checkSessionSignature, fileSha256, packError, MANIFEST_FILE, type ModelPack, type LoadPackOptions } from './pack/load.js';
export { discoverModelPacks, packFolders, type FoundPack } from './pack/discover.js';
export { manifestSchema, expectedSignatures, textDim, type PackManifest, type TensorSpec, type Vocab } from './pack/manifest.js';
export { OnnxRunner, defaultThreadCount, type RunnerResult, type GenerateCallbacks } from './runner/client.js';
export type { GenerateParams, GenerateStats, LoadInfo, RunnerOptions } from './runner/protocol.js';
export { PROVIDER_ORDER, providerCandidates, compiledProviders } from './runner/providers.js';
export { WordTokenizer, normalizeWords } from './runner/tokenizer.js';
export { gaussianNoise, mulberry32 } from './runner/noise.js';
export { alphaBar, ddimTimesteps, remixStepCount } from './runner/scheduler.js';
export { latentToFrames, frameToModel, framesToLatent } from './runner/pixels.js';
