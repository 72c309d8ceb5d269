/** Small timeline builders for the render-plan unit tests. */
import type { Asset, Clip, ClipEffects, ProjectState, Track } from '../../../app/model/types.js';
import { DEFAULT_EFFECTS } from '../../../app/model/types.js';
import { secondsToFlicks } from '../../../app/time/flicks.js';
import { emptyState, videoAsset } from '../../helpers/state.js';

export const s = secondsToFlicks;

export function imageAsset(id: string): Asset {
  return videoAsset(id, 0, {
    kind: 'image',
    path: `media/${id}.png`,
    name: `${id}.png`,
    probe: { durationFlicks: 0, hasVideo: true, hasAudio: false, width: 200, height: 300 },
  });
}

export function audioAsset(id: string, seconds: number): Asset {
  return videoAsset(id, seconds, {
    kind: 'audio',
    path: `media/${id}.wav`,
    name: `${id}.wav`,
    probe: { durationFlicks: secondsToFlicks(seconds), hasVideo: false, hasAudio: true, sampleRate: 48000, channels: 1 },
  });
}

export function clip(id: string, trackId: string, assetId: string, start: number, inS: number, outS: number, effects: Partial<ClipEffects> = {}): Clip {
  return { id, trackId, assetId, startFlicks: s(start), inFlicks: s(inS), outFlicks: s(outS), shotId: null, effects: { ...DEFAULT_EFFECTS, ...effects } };
}

export function track(id: string, kind: 'video' | 'audio', index: number, muted = false): Track {
  return { id, kind, index, name: id.toUpperCase(), muted };
}

/** A state with the default V1/A1 tracks plus the given assets, tracks and clips. */
export function timeline(parts: { assets?: Asset[]; tracks?: Track[]; clips?: Clip[] }): ProjectState {
  const st = emptyState();
  for (const a of parts.assets ?? []) st.assets[a.id] = a;
  for (const t of parts.tracks ?? []) st.tracks[t.id] = t;
  for (const c of parts.clips ?? []) st.clips[c.id] = c;
  return st;
}
