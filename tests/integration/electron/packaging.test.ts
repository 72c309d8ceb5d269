/**
 * What the packaged app ships outside its asar (electron-builder.yml `extraResources`) is what the
 * code looks for there: checked without an Electron binary by pointing SHOTLINE_RESOURCES_DIR (what
 * the shell sets to process.resourcesPath) at a folder laid out the way electron-builder lays it.
 * A config naming a folder that does not exist, or shipping a folder under another name than the
 * code asks for, fails here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultModelDirs } from '../../../main/backends/model-dirs.js';
import { loadWorkflow } from '../../../main/backends/comfyui/workflow.js';
import { bundledDir, findNativeFfmpeg } from '../../../main/media/native-find.js';
import { APP_ROOT, resourcesDir } from '../../../main/util/app-resources.js';

/** The `extraResources:` entries of the YAML config (`- from: x` / `to: y` pairs), without a YAML dependency. */
function extraResources(text: string): { from: string; to: string }[] {
  const block = /^extraResources:\n((?:(?:[ \t]+.*|#.*)?\n)*)/m.exec(text)?.[1] ?? '';
  return [...block.matchAll(/-\s+from:\s*(\S+)\s*\n\s+to:\s*(\S+)/g)].map((m) => ({ from: m[1]!, to: m[2]! }));
}

const config = fs.readFileSync(path.join(APP_ROOT, 'electron-builder.yml'), 'utf8');
const entries = extraResources(config);
const PLATFORM_DIR = `${process.platform}-${process.arch}`;

let packaged: string;
let saved: string | undefined;

beforeEach(() => {
  saved = process.env.SHOTLINE_RESOURCES_DIR;
  packaged = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-packaged-'));
  // Lay out process.resourcesPath as electron-builder would (symlinks: the packs are megabytes).
  for (const e of entries) {
    const from = path.join(APP_ROOT, e.from.replace('${platform}-${arch}', PLATFORM_DIR));
    if (fs.existsSync(from)) fs.symlinkSync(from, path.join(packaged, e.to)); // the per-platform ffmpeg is made below
  }
  process.env.SHOTLINE_RESOURCES_DIR = packaged;
});

afterEach(() => {
  if (saved === undefined) delete process.env.SHOTLINE_RESOURCES_DIR;
  else process.env.SHOTLINE_RESOURCES_DIR = saved;
  fs.rmSync(packaged, { recursive: true, force: true });
});

describe('packaged resources', () => {
  it('every extraResources folder exists in the repository (the optional per-platform ffmpeg aside)', () => {
    expect(entries.map((e) => e.to).sort()).toEqual(['comfyui', 'ffmpeg/${platform}-${arch}', 'models']);
    for (const e of entries) {
      if (e.to.startsWith('ffmpeg/')) continue; // dropped in before packaging, per platform (README)
      expect(fs.existsSync(path.join(APP_ROOT, e.from)), `${e.from} is named in electron-builder.yml`).toBe(true);
    }
  });

  it('the shipped model pack and the builtin ComfyUI workflows are found under the resources folder', () => {
    expect(resourcesDir()).toBe(packaged);
    const models = defaultModelDirs()[0]!;
    expect(models.startsWith(packaged)).toBe(true);
    expect(fs.existsSync(path.join(models, 'shotline-shapes-tiny', 'manifest.json'))).toBe(true);
    const wf = loadWorkflow('builtin:wan2.1-t2v', undefined);
    expect(wf.file.startsWith(packaged)).toBe(true);
    expect(Object.keys(wf.graph).length).toBeGreaterThan(0);
  });

  it('a bundled ffmpeg under resources/ffmpeg/<platform>-<arch> is used before the one on PATH', async () => {
    const system = (await findNativeFfmpeg({}))!;
    const shipped = entries.find((e) => e.to.startsWith('ffmpeg/'))!.to.replace('${platform}-${arch}', PLATFORM_DIR);
    const bundled = path.join(packaged, shipped);
    expect(bundledDir(packaged)).toBe(bundled);
    fs.mkdirSync(bundled, { recursive: true });
    fs.symlinkSync(system.ffmpeg, path.join(bundled, 'ffmpeg'));
    expect(await findNativeFfmpeg({})).toMatchObject({ source: 'bundled', ffmpeg: path.join(bundled, 'ffmpeg') });
  });
});
