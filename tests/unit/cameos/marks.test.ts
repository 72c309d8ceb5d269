import { describe, expect, it } from 'vitest';
import { blockerList, exportBlockers, revocationPatch } from '../../../app/cameos/marks.js';
import { applyPatch } from '../../../app/commands/patch.js';
import type { Asset, ProjectState } from '../../../app/model/types.js';
import { EMPTY_PROMPT, DEFAULT_EFFECTS } from '../../../app/model/types.js';
import { buildExportManifest } from '../../../app/provenance/manifest.js';
import { emptyState, videoAsset } from '../../helpers/state.js';

function generated(id: string, cameos: { cameoId: string; consentRecordId: string }[]): Asset {
  const a = videoAsset(id, 2);
  return { ...a, provenance: { source: 'generated', backend: 'local-onnx', model: 'm@1', prompt: 'p', seed: 1, parameters: { cameos: cameos.map((c) => ({ ...c, handle: c.cameoId.replace('c_', ''), parts: ['likeness'], delivery: 'reference-image' })) }, inputAssetIds: [], createdAt: 'x' } };
}

function film(): ProjectState {
  const s = emptyState();
  const shot = (id: string, title: string, position: number) => ({ id, position, title, prompt: EMPTY_PROMPT, durationFlicks: 1, aspect: '16:9' as const, chosenTakeId: null, seed: null, referenceAssetId: null, continuity: false, cameoIds: [], notes: '' });
  return {
    ...s,
    assets: { a1: generated('a1', [{ cameoId: 'c_maya', consentRecordId: 'k1' }]), a2: generated('a2', []), a3: generated('a3', [{ cameoId: 'c_theo', consentRecordId: 'k2' }]) },
    shots: { s1: shot('s1', 'Pier', 1), s2: shot('s2', 'Beach', 2), s3: shot('s3', 'Night', 3) },
    takes: {
      t1: { id: 't1', shotId: 's1', assetId: 'a1', position: 1, label: 'Take 1', remixOf: null },
      t2: { id: 't2', shotId: 's2', assetId: 'a2', position: 1, label: 'Take 1', remixOf: null },
      t3: { id: 't3', shotId: 's3', assetId: 'a3', position: 1, label: 'Take 2', remixOf: null },
    },
    tracks: { v1: { id: 'v1', kind: 'video', index: 0, name: 'V1', muted: false } },
    clips: {
      k1: { id: 'k1', trackId: 'v1', assetId: 'a1', startFlicks: 0, inFlicks: 0, outFlicks: 100, shotId: 's1', effects: DEFAULT_EFFECTS },
      k2: { id: 'k2', trackId: 'v1', assetId: 'a2', startFlicks: 100, inFlicks: 0, outFlicks: 100, shotId: 's2', effects: DEFAULT_EFFECTS },
      k3: { id: 'k3', trackId: 'v1', assetId: 'a3', startFlicks: 200, inFlicks: 0, outFlicks: 100, shotId: 's3', effects: DEFAULT_EFFECTS },
    },
  };
}

describe('revoke cascade in a project', () => {
  it('marks exactly the takes whose media used the revoked cameo, once', () => {
    const s = film();
    const patch = revocationPatch(s, new Set(['c_maya']))!;
    expect(Object.keys(patch.takes!)).toEqual(['t1']);
    const marked = applyPatch(s, patch);
    expect(marked.takes.t1!.revokedCameos).toEqual(['c_maya']);
    expect(revocationPatch(marked, new Set(['c_maya']))).toBeNull();
    expect(revocationPatch(s, new Set())).toBeNull();
  });

  it('export blockers list the shots to replace, from marks or from the library set', () => {
    const s = applyPatch(film(), revocationPatch(film(), new Set(['c_maya']))!);
    const b = exportBlockers(s);
    expect(b).toEqual([{ shotId: 's1', shotTitle: 'Pier', takeLabel: 'Take 1', clipIds: ['k1'], cameoIds: ['c_maya'] }]);
    // A mark lost (undo) is still caught by the library's revoked set.
    const both = exportBlockers(film(), new Set(['c_maya', 'c_theo']));
    expect(blockerList(both)).toBe('Pier (Take 1), Night (Take 2)');
  });

  it('the export manifest names each cameo with its real consent record id', () => {
    const m = buildExportManifest(film(), { title: 'x', width: 1920, height: 1080, fit: 'fit', presetId: '1080p', watermark: 'on', appVersion: '0', includePrompts: false });
    const a = (m.definition.assertions as { label: string; data: unknown }[]).find((x) => x.label === 'com.shotline.cameos');
    expect(a?.data).toEqual({ cameos: [
      { cameoId: 'c_maya', handle: 'maya', consentRecordId: 'k1', parts: ['likeness'] },
      { cameoId: 'c_theo', handle: 'theo', consentRecordId: 'k2', parts: ['likeness'] },
    ] });
  });
});
