import { describe, expect, it } from 'vitest';
import { conformPlacement } from '../../../app/render/geometry.js';
import { exportMetadata, provenanceSummary } from '../../../app/render/metadata.js';
import { compileRenderPlan } from '../../../app/render/plan.js';
import { videoAsset } from '../../helpers/state.js';
import { clip, timeline } from './fixtures.js';

describe('conformPlacement', () => {
  it('letterboxes 16:9 into 9:16 centred on the chroma grid', () => {
    // 1080 * 360 / 640 = 607.5 → 608 (av_rescale rounds half up), even already.
    expect(conformPlacement({ width: 640, height: 360 }, { width: 1080, height: 1920 }, 'fit')).toEqual({ scaledWidth: 1080, scaledHeight: 608, x: 0, y: 656 });
  });

  it('pillarboxes 4:3 into 16:9 and snaps odd sizes down to even', () => {
    expect(conformPlacement({ width: 320, height: 240 }, { width: 1280, height: 720 }, 'fit')).toEqual({ scaledWidth: 960, scaledHeight: 720, x: 160, y: 0 });
    // 1080 * 101 / 100 = 1090.8 → 1091 → capped at 1080; 1080 * 100 / 101 = 1069.3 → 1069 → 1068.
    expect(conformPlacement({ width: 101, height: 100 }, { width: 1080, height: 1080 }, 'fit')).toEqual({ scaledWidth: 1080, scaledHeight: 1068, x: 0, y: 6 });
  });

  it('fill covers the canvas and crops the centre', () => {
    expect(conformPlacement({ width: 640, height: 360 }, { width: 1080, height: 1920 }, 'fill')).toEqual({ scaledWidth: 3414, scaledHeight: 1920, x: -1166, y: 0 });
  });

  it('is the identity for a source of the canvas size', () => {
    for (const fit of ['fit', 'fill'] as const)
      expect(conformPlacement({ width: 1920, height: 1080 }, { width: 1920, height: 1080 }, fit)).toEqual({ scaledWidth: 1920, scaledHeight: 1080, x: 0, y: 0 });
  });
});

describe('provenance metadata', () => {
  const generated = videoAsset('g', 5, {
    name: 'take 1',
    provenance: {
      source: 'generated',
      backend: 'openai-videos',
      model: 'sora-2',
      prompt: 'A lighthouse keeper climbs the stairs at dusk,\n handheld camera',
      seed: 42,
      parameters: {},
      inputAssetIds: [],
      createdAt: '2026-01-01T00:00:00Z',
    },
  });
  const imported = videoAsset('i', 5);

  it('summarises generators, models, seeds, prompts and imports once per asset', () => {
    const st = timeline({
      assets: [generated, imported],
      clips: [clip('c1', 'v1', 'g', 0, 0, 1), clip('c2', 'v1', 'i', 1, 0, 1), clip('c3', 'v1', 'g', 2, 1, 2)],
    });
    st.settings.name = 'Lighthouse';
    const plan = compileRenderPlan(st, { width: 1280, height: 720, fit: 'fit' });
    expect(provenanceSummary(st, plan)).toBe(
      'Made with Shotline: 3 clips | generated: openai-videos/sora-2 seed 42 "A lighthouse keeper climbs the stairs at dusk, handheld camera" | imported: i.mp4',
    );
    expect(exportMetadata(st, plan).title).toBe('Lighthouse');
  });

  it('keeps the comment bounded', () => {
    const assets = Array.from({ length: 40 }, (_, n) => videoAsset(`g${n}`, 5, { provenance: { ...(generated.provenance as object), prompt: 'x'.repeat(500) } as typeof generated.provenance }));
    const st = timeline({ assets, clips: assets.map((a, n) => clip(`c${n}`, 'v1', a.id, n, 0, 1)) });
    const summary = provenanceSummary(st, compileRenderPlan(st, { width: 1280, height: 720, fit: 'fit' }));
    expect(summary.length).toBeLessThanOrEqual(1000);
    expect(summary.endsWith('…')).toBe(true);
  });
});
