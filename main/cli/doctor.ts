/** `shotline doctor`: what this machine gives Shotline to work with. */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describeEngines } from '../media/select-engine.js';
import { VERSION } from '../services/version.js';

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

async function executionProviders(): Promise<string> {
  try {
    const ort = (await import('onnxruntime-node')) as unknown as { listSupportedBackends?: () => { name: string; bundled: boolean }[]; env?: { versions?: Record<string, string> } };
    const list = ort.listSupportedBackends?.().map((b) => b.name) ?? ['cpu'];
    return `${list.join(', ')} (onnxruntime-node ${ort.env?.versions?.common ?? require('onnxruntime-node/package.json').version})`;
  } catch (e) {
    return `unavailable: ${(e as Error).message.split('\n')[0]}`;
  }
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
  ];
  out.write(lines.join('\n') + '\n');
}
