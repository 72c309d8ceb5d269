// Engine choice and the doctor report.
import { describe, expect, it } from 'vitest';
import { describeEngines, selectEngine } from '../../../main/media/select-engine.js';

describe('selectEngine', () => {
  it('picks native ffmpeg when there is one', async () => {
    const e = await selectEngine({});
    expect(e.kind).toBe('native');
    expect(e.path).toMatch(/ffmpeg$/);
    expect(e.ffprobePath).toMatch(/ffprobe$/);
  });

  it('picks wasm when asked to, or when no native ffmpeg can be found', async () => {
    expect((await selectEngine({ prefer: 'wasm' })).kind).toBe('wasm');
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect((await selectEngine({ ffmpegPath: '/nonexistent/ffmpeg' })).kind).toBe('wasm');
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe('describeEngines', () => {
  it('reports both engines and the choice', async () => {
    const r = await describeEngines({ ffmpegPath: '/nonexistent/ffmpeg' });
    expect(r.native).toMatchObject({ source: 'path', version: expect.any(String) });
    expect(r.settingIgnored).toBe('/nonexistent/ffmpeg');
    expect(r.wasm).toMatchObject({ available: true, hasVidStab: false, error: null });
    expect(r.wasm.version).toMatch(/^\d+\.\d+/);
    expect(r.selected).toBe('native');
    expect((await describeEngines({ prefer: 'wasm' })).selected).toBe('wasm');
  });
});
