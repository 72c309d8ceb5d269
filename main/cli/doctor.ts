/** `shotline doctor`: what this machine gives Shotline to work with. */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describeEngines } from '../media/select-engine.js';
import { VERSION } from '../services/version.js';
import { ESPEAK_MISSING_HINT, espeakBinary, espeakVersion } from '../speech/espeak.js';

const require = createRequire(import.meta.url);

function electronStatus(): string {
  try {
    const pkgPath = require.resolve('electron/package.json');
    const version = (JSON.parse(fs.readFileSync(pkgPath, 'utf8')) as { version: string }).version;
    const binary = path.join(path.dirname(pkgPath), 'path.txt');
    return fs.existsSync(binary) ? `${version} (binary installed)` : `${version} (package only; binary not downloaded: use studio mode)`;
  } catch {
    return 'not installed (use studio mode)';
  }
}

/** Every provider in the order generation tries them, each actually tried on a one-node graph. */
async function executionProviders(): Promise<string> {
  try {
    const { probeProviders, compiledProviders, ortVersion } = await import('../../native/runner/providers.js');
    const version = ortVersion();
    const probes = await probeProviders();
    const chosen = process.env.SHOTLINE_EP && process.env.SHOTLINE_EP !== 'auto' ? `${process.env.SHOTLINE_EP} (forced by SHOTLINE_EP)` : (probes.find((p) => p.status === 'ok')?.provider ?? 'none');
    const hint = (p: string) => (p === 'cuda' ? ' (needs CUDA 12 + cuDNN 9 and onnxruntime-node installed without ONNXRUNTIME_NODE_INSTALL=skip; see docs/generation.md)' : '');
    return [
      `onnxruntime-node ${version}; in this build: ${compiledProviders().join(', ')}`,
      ...probes.map((p) => `  ${p.provider}: ${p.status === 'ok' ? 'ok' : `${p.status} - ${p.detail}${p.status === 'unavailable' ? hint(p.provider) : ''}`}`),
      `Generation runs on: ${chosen} (order cuda, dml, coreml, webgpu, cpu; set SHOTLINE_EP to force one)`,
    ].join('\n');
  } catch (e) {
    return `unavailable: ${(e as Error).message.split('\n')[0]}`;
  }
}

/** Model packs found for local generation, and what is wrong with the unusable ones. */
async function modelPacks(): Promise<string> {
  try {
    const { defaultModelDirs } = await import('../backends/model-dirs.js');
    const { discoverModelPacks } = await import('../../native/pack/discover.js');
    const dirs = defaultModelDirs();
    const found = await discoverModelPacks(dirs);
    if (!found.length) return `none (looked in ${dirs.join(', ')})`;
    return found.map((f) => (f.pack ? `\n  ${f.pack.manifest.name} ${f.pack.manifest.version} at ${f.dir}` : `\n  ${f.dir}: unusable - ${f.error?.message}`)).join('');
  } catch (e) {
    return `unavailable: ${(e as Error).message.split('\n')[0]}`;
  }
}

/** Whether the built-in voice (espeak-ng) is there; speech endpoints are listed in Preferences. */
async function speechStatus(): Promise<string> {
  const bin = espeakBinary();
  const v = await espeakVersion(bin);
  return v ? `espeak-ng ${v} (${bin}); /v1/audio/speech endpoints: Preferences → Endpoints` : `espeak-ng not found ("${bin}"). ${ESPEAK_MISSING_HINT}`;
}

export async function runDoctor(out: NodeJS.WritableStream): Promise<void> {
  const engines = await describeEngines();
  const lines = [
    `Shotline ${VERSION}`,
    `Node.js: ${process.version} (${process.platform}-${process.arch})`,
    `Electron: ${electronStatus()}`,
    `ffmpeg (native): ${engines.native ? `${engines.native.version} at ${engines.native.ffmpeg}` : 'not found (set SHOTLINE_FFMPEG or install ffmpeg)'}`,
    `ffprobe (native): ${engines.native?.ffprobe ?? 'not found'}`,
    `ffmpeg (wasm fallback): ${engines.wasm ? 'available' : 'unavailable'}`,
    `Export engine in use: ${engines.native ? 'native' : engines.wasm ? 'wasm (slower)' : 'none'}`,
    `ONNX execution providers: ${await executionProviders()}`,
    `Model packs: ${await modelPacks()}`,
    `Speech (dialogue voice): ${await speechStatus()}`,
  ];
  out.write(lines.join('\n') + '\n');
}
