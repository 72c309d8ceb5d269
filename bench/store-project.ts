/**
 * The store benchmarks' project (bench/store.bench.ts, bench/store-probe.ts): 2,000 shots, 5,000
 * clips over 200 assets, written straight through ProjectStore (no media needed).
 */
import { PatchBuilder } from '../app/commands/patch.js';
import { DEFAULT_EFFECTS, EMPTY_PROMPT } from '../app/model/types.js';
import { secondsToFlicks } from '../app/time/flicks.js';
import { ProjectStore } from '../main/store/project-store.js';

export const SHOTS = 2000;
export const CLIPS = 5000;
export const ASSETS = 200;

/** Creates the project in `dir`. */
export function generate(dir: string): void {
  const store = ProjectStore.create(dir, { name: 'Bench', fps: { num: 30, den: 1 }, width: 1920, height: 1080, sampleRate: 48000 });
  const b = new PatchBuilder();
  b.set('tracks', { id: 'v1', kind: 'video', index: 0, name: 'V1', muted: false });
  b.set('tracks', { id: 'v2', kind: 'video', index: 1, name: 'V2', muted: false });
  b.set('tracks', { id: 'a1', kind: 'audio', index: 0, name: 'A1', muted: false });
  for (let i = 0; i < ASSETS; i++) {
    b.set('assets', {
      id: `asset${i}`, kind: 'video', sha256: String(i).padStart(64, '0'), path: `media/${i}.mp4`, name: `clip${i}.mp4`, bytes: 1e6,
      probe: { durationFlicks: secondsToFlicks(600), hasVideo: true, hasAudio: true, width: 1920, height: 1080, fps: { num: 30, den: 1 } },
      derivatives: {}, provenance: { source: 'import', originalName: `clip${i}.mp4`, importedAt: new Date().toISOString() },
    });
  }
  for (let i = 0; i < SHOTS; i++) {
    b.set('shots', {
      id: `shot${i}`, position: i, title: `Shot ${i}`, prompt: { ...EMPTY_PROMPT, subject: `subject ${i}`, action: 'walks toward camera', setting: 'a rainy street' },
      durationFlicks: secondsToFlicks(4), aspect: '16:9', chosenTakeId: `take${i}`, seed: i, referenceAssetId: null, continuity: false, cameoIds: [], notes: '',
    });
    b.set('takes', { id: `take${i}`, shotId: `shot${i}`, assetId: `asset${i % ASSETS}`, position: 1, label: 'Take 1', remixOf: null });
  }
  const len = secondsToFlicks(2);
  for (let i = 0; i < CLIPS; i++) {
    const track = i % 2 === 0 ? 'v1' : 'a1';
    const slot = Math.floor(i / 2);
    b.set('clips', { id: `clip${i}`, trackId: track, assetId: `asset${i % ASSETS}`, startFlicks: slot * len, inFlicks: 0, outFlicks: len, shotId: i < SHOTS ? `shot${i}` : null, effects: DEFAULT_EFFECTS });
  }
  store.applySystemPatch(b.patch);
  store.close();
}
