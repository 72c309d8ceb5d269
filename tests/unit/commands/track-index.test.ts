// The per-track index sorted by start (app/timeline/track-index.ts) that the overlap check of
// every timeline edit uses instead of scanning the track (issue 14). Random edit sequences go
// through in-place patches (main and the renderer's mirror keep the index in step per clip) and
// immutable ones (a new clips object: the index is rebuilt); after every edit each track's list,
// random overlap queries and the placement collision check are compared with a brute-force scan
// of all clips. Clips may
// overlap, be long (the longest one bounds the backwards walk), have equal starts, change
// speed (their length is not out − in) and move between tracks.
import { describe, expect, it } from 'vitest';
import { applyPatch, applyPatchInPlace, PatchBuilder } from '../../../app/commands/patch.js';
import { collision } from '../../../app/commands/placement.js';
import { DEFAULT_EFFECTS, type Clip, type ProjectState } from '../../../app/model/types.js';
import { DEFAULT_SPEED } from '../../../app/model/timing.js';
import { clipEnd, clipsOnTrack, findOverlap } from '../../../app/timeline/query.js';
import { clipsOverlapping, sortedTrackClips } from '../../../app/timeline/track-index.js';

const TRACKS = ['v1', 'a1', 'a2'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function emptyState(): ProjectState {
  const b = new PatchBuilder();
  b.set('tracks', { id: 'v1', kind: 'video', index: 0, name: 'V1', muted: false });
  b.set('tracks', { id: 'a1', kind: 'audio', index: 0, name: 'A1', muted: false });
  b.set('tracks', { id: 'a2', kind: 'audio', index: 1, name: 'A2', muted: false });
  const base = { settings: {}, assets: {}, shots: {}, takes: {}, tracks: {}, clips: {} } as unknown as ProjectState;
  return applyPatch(base, b.patch);
}

/** A random clip: mostly short, sometimes very long, sometimes at a start another clip has, sometimes at another speed. */
function randomClip(r: () => number, id: string, state: ProjectState): Clip {
  const existing = Object.values(state.clips);
  const start = existing.length > 0 && r() < 0.15 ? existing[Math.floor(r() * existing.length)]!.startFlicks : Math.floor(r() * 2000) * 10;
  const len = r() < 0.05 ? 5000 + Math.floor(r() * 20000) : r() < 0.05 ? 0 : 10 + Math.floor(r() * 300);
  const effects = r() < 0.15 ? { ...DEFAULT_EFFECTS, speed: { ...DEFAULT_SPEED, rate: r() < 0.5 ? 0.25 : 4 } } : DEFAULT_EFFECTS;
  return { id, trackId: TRACKS[Math.floor(r() * TRACKS.length)]!, assetId: 'a', startFlicks: start, inFlicks: 0, outFlicks: len, shotId: null, effects };
}

/** One random edit as a patch: add, delete, move (maybe to another track), retime, or a bulk change. */
function randomPatch(r: () => number, state: ProjectState, n: { next: number }) {
  const b = new PatchBuilder();
  const ids = Object.keys(state.clips);
  const pick = () => state.clips[ids[Math.floor(r() * ids.length)]!]!;
  const ops = r() < 0.1 ? 1 + Math.floor(r() * 20) : 1;
  for (let k = 0; k < ops; k++) {
    const x = r();
    if (ids.length < 5 || x < 0.3) b.set('clips', randomClip(r, `c${String(n.next++).padStart(4, '0')}`, state));
    else if (x < 0.45) b.delete('clips', pick().id);
    else if (x < 0.8) {
      const c = pick();
      b.set('clips', { ...c, startFlicks: Math.max(0, c.startFlicks + Math.floor((r() - 0.5) * 4000)), trackId: r() < 0.3 ? TRACKS[Math.floor(r() * TRACKS.length)]! : c.trackId });
    } else if (x < 0.95) {
      const c = pick();
      b.set('clips', { ...c, outFlicks: r() < 0.1 ? 30000 : Math.floor(r() * 400), effects: r() < 0.3 ? { ...DEFAULT_EFFECTS, speed: { ...DEFAULT_SPEED, rate: 0.5 } } : DEFAULT_EFFECTS });
    } else {
      const c = pick();
      b.set('clips', c); // a no-op
    }
  }
  return b.patch;
}

const byStart = (a: Clip, b: Clip) => a.startFlicks - b.startFlicks || a.id.localeCompare(b.id);
const scanTrack = (s: ProjectState, t: string) => Object.values(s.clips).filter((c) => c.trackId === t).sort(byStart);
const scanOverlap = (s: ProjectState, t: string, start: number, end: number) => scanTrack(s, t).filter((c) => c.startFlicks < end && clipEnd(c) > start);

/** The collision check as it was before the index: every clip of the track, then the pending ones. */
function scanCollision(s: ProjectState, clip: Clip, except: ReadonlySet<string>, pending: readonly Clip[]): Clip[] {
  const end = clipEnd(clip);
  return [...scanTrack(s, clip.trackId), ...pending.filter((p) => p.trackId === clip.trackId)].filter((o) => {
    if (o.id === clip.id || except.has(o.id)) return false;
    if (!(o.startFlicks < end && clipEnd(o) > clip.startFlicks)) return false;
    // Audio clips may overlap as a declared crossfade only; none is declared here.
    return true;
  });
}

function checkAgainstScan(state: ProjectState, r: () => number, n: { next: number }): void {
  for (const t of TRACKS) {
    expect(sortedTrackClips(state.clips, t)).toEqual(scanTrack(state, t));
    expect(clipsOnTrack(state, t)).toEqual(scanTrack(state, t));
  }
  for (let q = 0; q < 12; q++) {
    const t = TRACKS[Math.floor(r() * TRACKS.length)]!;
    const start = Math.floor(r() * 22000);
    const end = start + (r() < 0.1 ? 0 : Math.floor(r() * 3000));
    const want = scanOverlap(state, t, start, end);
    expect(clipsOverlapping(state.clips, t, start, end).map((c) => c.id)).toEqual(want.map((c) => c.id));
    expect(findOverlap(state, t, start, end)?.id).toEqual(want[0]?.id);
    // The placement check for a clip dropped there: blocked exactly when the scan finds a blocker,
    // and by a clip the scan names.
    const probe: Clip = { ...randomClip(r, `p${n.next++}`, state), trackId: t, startFlicks: start, outFlicks: end - start, effects: DEFAULT_EFFECTS };
    const ids = Object.keys(state.clips);
    const except = new Set(ids.filter(() => r() < 0.1));
    const pending = r() < 0.3 ? [randomClip(r, `q${n.next++}`, state)] : [];
    const blockers = scanCollision(state, probe, except, pending).map((c) => c.id);
    const got = collision(state, probe, except, pending);
    if (blockers.length === 0) expect(got).toBeUndefined();
    else expect(blockers).toContain(got?.id);
  }
}

describe('per-track clip index sorted by start', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`main's in-place patches keep it equal to a scan (seed ${seed}, 400 random edits)`, () => {
      const r = rng(seed);
      const n = { next: 0 };
      const state = emptyState();
      sortedTrackClips(state.clips, 'v1'); // build the index first, so every edit updates it
      for (let i = 0; i < 400; i++) {
        applyPatchInPlace(state, randomPatch(r, state, n));
        checkAgainstScan(state, r, n);
      }
      expect(Object.keys(state.clips).length).toBeGreaterThan(20);
    });

    it(`an index rebuilt for each new clips object (immutable patches) equals a scan (seed ${seed})`, () => {
      const r = rng(seed + 100);
      const n = { next: 0 };
      let state = emptyState();
      for (let i = 0; i < 400; i++) {
        state = applyPatch(state, randomPatch(r, state, n));
        checkAgainstScan(state, r, n);
      }
    });
  }

  it('finds the overlap of a long clip far behind the span, and forgets its length once it is gone', () => {
    const state = emptyState();
    const clip = (id: string, start: number, len: number): Clip => ({ id, trackId: 'a1', assetId: 'a', startFlicks: start, inFlicks: 0, outFlicks: len, shotId: null, effects: DEFAULT_EFFECTS });
    const b = new PatchBuilder().set('clips', clip('long', 0, 100_000));
    for (let i = 0; i < 50; i++) b.set('clips', clip(`s${i}`, 1000 + i * 100, 100));
    applyPatchInPlace(state, b.patch);
    expect(clipsOverlapping(state.clips, 'a1', 90_000, 90_010).map((c) => c.id)).toEqual(['long']);
    applyPatchInPlace(state, new PatchBuilder().delete('clips', 'long').patch);
    expect(clipsOverlapping(state.clips, 'a1', 90_000, 90_010)).toEqual([]);
    expect(clipsOverlapping(state.clips, 'a1', 1050, 1060).map((c) => c.id)).toEqual(['s0']);
    // The moved clip keeps its length: still found from far behind.
    applyPatchInPlace(state, new PatchBuilder().set('clips', clip('long2', 0, 100_000)).patch);
    applyPatchInPlace(state, new PatchBuilder().set('clips', clip('long2', 10, 100_000)).patch);
    expect(clipsOverlapping(state.clips, 'a1', 100_005, 100_008).map((c) => c.id)).toEqual(['long2']);
  });
});
