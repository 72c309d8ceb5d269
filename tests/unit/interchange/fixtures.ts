/** A small timeline that exercises what every writer must place: trims, a gap, 2× speed, reverse, upper and audio tracks, a shot. */
import type { ProjectState } from '../../../app/model/types.js';
import { DEFAULT_EFFECTS, EMPTY_PROMPT } from '../../../app/model/types.js';
import { secondsToFlicks as s } from '../../../app/time/flicks.js';
import { DEFAULT_SPEED } from '../../../app/model/timing.js';
import { videoAsset } from '../../helpers/state.js';

export function writerState(): ProjectState {
  const beach = videoAsset('beach', 10, { name: 'Beach Take.mp4', path: 'media/aaaa.mp4' });
  const gen = videoAsset('gen', 6, {
    name: 'Beach Take 2.mp4',
    path: 'media/bbbb.mp4',
    provenance: { source: 'generated', backend: 'local-onnx', model: 'tiny', prompt: 'secret prompt', seed: 7, parameters: {}, inputAssetIds: [], createdAt: '2026-01-01T00:00:00Z' },
  });
  const music = videoAsset('music', 20, { kind: 'audio', name: 'Score & Theme.wav', path: 'media/cccc.wav', probe: { durationFlicks: s(20), hasVideo: false, hasAudio: true, sampleRate: 48000, channels: 2 } });
  const fx = DEFAULT_EFFECTS;
  return {
    settings: { name: 'Writers <test>', fps: { num: 30, den: 1 }, width: 1920, height: 1080, sampleRate: 48000 },
    assets: { beach, gen, music },
    shots: {
      shot1: { id: 'shot1', position: 1, title: 'Opening', prompt: EMPTY_PROMPT, durationFlicks: s(2), aspect: '16:9', chosenTakeId: null, seed: null, referenceAssetId: null, continuity: false, cameoIds: [], notes: 'wide' },
    },
    takes: {},
    tracks: {
      v1: { id: 'v1', kind: 'video', index: 0, name: 'V1', muted: false },
      v2: { id: 'v2', kind: 'video', index: 1, name: 'V2', muted: false },
      a1: { id: 'a1', kind: 'audio', index: 0, name: 'Music', muted: false },
    },
    clips: {
      c1: { id: 'c1', trackId: 'v1', assetId: 'beach', startFlicks: 0, inFlicks: s(1), outFlicks: s(3), shotId: 'shot1', effects: fx },
      // gap 2 s – 3 s
      c2: { id: 'c2', trackId: 'v1', assetId: 'gen', startFlicks: s(3), inFlicks: s(1), outFlicks: s(3), shotId: null, effects: { ...fx, speed: { ...DEFAULT_SPEED, rate: 2 } } },
      c3: { id: 'c3', trackId: 'v1', assetId: 'beach', startFlicks: s(4), inFlicks: s(5), outFlicks: s(6), shotId: null, effects: { ...fx, speed: { ...DEFAULT_SPEED, reverse: true } } },
      c4: { id: 'c4', trackId: 'v2', assetId: 'gen', startFlicks: s(1), inFlicks: 0, outFlicks: s(0.5), shotId: null, effects: { ...fx, volume: 0.5 } },
      c5: { id: 'c5', trackId: 'a1', assetId: 'music', startFlicks: s(0.5), inFlicks: s(2), outFlicks: s(6), shotId: null, effects: fx },
    },
  };
}

export const mediaPath = (a: { path: string }) => `/projects/Film One/${a.path}`;
