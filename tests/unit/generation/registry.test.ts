/**
 * The provider-based registry routes a backend id to the provider of its kind, lists every
 * provider's backends even when one fails, and says which kinds exist when asked for another.
 */
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GenerationBackend } from '../../../app/generation/backend.js';
import type { BackendInfo } from '../../../app/generation/types.js';
import { BackendRegistry } from '../../../main/backends/registry.js';
import { backendKind, type BackendProvider } from '../../../main/backends/provider.js';
import type { FfmpegEngine } from '../../../main/media/engine.js';

function fakeProvider(kind: string, opts: { failList?: boolean } = {}): BackendProvider & { asked: [string, string | null][] } {
  const asked: [string, string | null][] = [];
  return {
    kind,
    asked,
    async list(): Promise<BackendInfo[]> {
      if (opts.failList) throw new Error('server down');
      return [{ id: `${kind}:one`, label: 'One', model: { name: 'm', version: '1', displayName: 'M' }, capabilities: null!, status: 'ready', executionProvider: 'remote' }];
    },
    async resolve(id, model) {
      asked.push([id, model]);
      return { id } as GenerationBackend;
    },
  };
}

describe('backend registry', () => {
  const emptyDir = path.join(os.tmpdir(), 'shotline-no-packs-here');
  const registry = () => new BackendRegistry({ engine: {} as FfmpegEngine, modelDirs: () => [emptyDir] });

  it('splits ids into kind and name', () => {
    expect(backendKind('local-onnx')).toBe('local-onnx');
    expect(backendKind('openai-videos:ep_1')).toBe('openai-videos');
    expect(backendKind('pool:a:b')).toBe('pool');
  });

  it('routes by kind and refuses unknown kinds naming the ones it has', async () => {
    const r = registry();
    const remote = fakeProvider('openai-videos');
    r.register(remote);
    expect((await r.resolve('openai-videos:ep_1', 'sora-2')).id).toBe('openai-videos:ep_1');
    expect(remote.asked).toEqual([['openai-videos:ep_1', 'sora-2']]);
    await expect(r.resolve('comfyui:box')).rejects.toThrow(/no generation backend "comfyui:box"/);
    await expect(r.resolve('comfyui:box')).rejects.toMatchObject({ hint: expect.stringContaining('local-onnx, openai-videos') });
    expect(() => r.register(fakeProvider('openai-videos'))).toThrow(/already registered/);
    // No pack in the scanned folder: the local provider answers with where it looked.
    await expect(r.resolve(null)).rejects.toThrow(/No local model pack is installed/);
    await r.dispose();
  });

  it('lists all providers; one that fails to list hides nothing else', async () => {
    const r = registry();
    r.register(fakeProvider('openai-videos'));
    r.register(fakeProvider('comfyui', { failList: true }));
    expect((await r.list()).map((b) => b.id)).toEqual(['openai-videos:one']);
    await r.dispose();
  });
});
