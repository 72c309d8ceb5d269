/** Builders for in-memory project states used by pure tests. */
import type { Asset, ProjectState } from '../../app/model/types.js';
import { secondsToFlicks } from '../../app/time/flicks.js';

let counter = 0;
/** Deterministic ids, unique across a test file (real ids are random). */
export function counterIds() {
  return { newId: (prefix: string) => `${prefix}_${++counter}` };
}

export function videoAsset(id: string, seconds: number, extra: Partial<Asset> = {}): Asset {
  return {
    id,
    kind: 'video',
    sha256: id.padEnd(64, '0'),
    path: `media/${id}.mp4`,
    name: `${id}.mp4`,
    bytes: 1000,
    probe: { durationFlicks: secondsToFlicks(seconds), hasVideo: true, hasAudio: true, width: 320, height: 240, fps: { num: 30, den: 1 } },
    derivatives: {},
    provenance: { source: 'import', originalName: `${id}.mp4`, importedAt: '2026-01-01T00:00:00Z' },
    ...extra,
  };
}

export function emptyState(): ProjectState {
  return {
    settings: { name: 'Test', fps: { num: 30, den: 1 }, width: 1920, height: 1080, sampleRate: 48000 },
    assets: {},
    shots: {},
    takes: {},
    tracks: {
      v1: { id: 'v1', kind: 'video', index: 0, name: 'V1', muted: false },
      a1: { id: 'a1', kind: 'audio', index: 0, name: 'A1', muted: false },
    },
    clips: {},
  };
}

export function stateWithAssets(...assets: Asset[]): ProjectState {
  const s = emptyState();
  for (const a of assets) s.assets[a.id] = a;
  return s;
}
