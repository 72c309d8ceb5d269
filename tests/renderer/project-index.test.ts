/**
 * The renderer's ordered views (clips per track, shot order, takes per shot) are updated from
 * each patch instead of rebuilt (issue 14). After every patch of long random sequences the
 * incrementally kept index must equal a from-scratch rebuild element for element, and a track
 * the patch did not touch must keep its array (that is what spares its row a re-render).
 */
import { describe, expect, it } from 'vitest';
import { applyPatch, type Patch } from '../../app/commands/patch.js';
import { DEFAULT_EFFECTS, type Clip, type ProjectState, type Shot, type Take } from '../../app/model/types.js';
import { clipsAt } from '../../app/timeline/query.js';
import { linkedPartners } from '../../app/timeline/links.js';
import { trackClips } from '../../app/timeline/track-index.js';
import { buildIndex, clipsAtIndexed, type ProjectIndex } from '../../renderer/src/state/project-index.js';
import { lowerBound, updateList } from '../../renderer/src/state/sorted-groups.js';
import { useProject } from '../../renderer/src/state/project.js';
import { emptyState } from '../helpers/state.js';

/** Deterministic (mulberry32), so a failure names its seed and replays. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const TRACKS = ['v1', 'v2', 'a1', 'a2'];
const SHOTS = Array.from({ length: 12 }, (_, i) => `s${i}`);

function clip(id: string, trackId: string, start: number, linkId?: string): Clip {
  return { id, trackId, assetId: 'a', startFlicks: start, inFlicks: 0, outFlicks: 10 + (start % 7), shotId: null, effects: DEFAULT_EFFECTS, ...(linkId ? { linkId } : {}) };
}
const LINKS = ['L1', 'L2', 'L3', 'L4', 'L5'];
const maybeLink = (r: ReturnType<typeof rng>) => (r.int(3) === 0 ? r.pick(LINKS) : undefined);
function shot(id: string, position: number): Shot {
  return { id, position, title: id, prompt: {} as Shot['prompt'], durationFlicks: 5, aspect: '16:9' as Shot['aspect'], chosenTakeId: null, seed: null, referenceAssetId: null, continuity: false, cameoIds: [], notes: '' };
}
function take(id: string, shotId: string, position: number): Take {
  return { id, shotId, assetId: 'a', position, label: id, remixOf: null };
}

function initial(r: ReturnType<typeof rng>): ProjectState {
  const s = emptyState();
  s.tracks.v2 = { id: 'v2', kind: 'video', index: 1, name: 'V2', muted: false };
  s.tracks.a2 = { id: 'a2', kind: 'audio', index: 1, name: 'A2', muted: false };
  // Starts drawn from a small range, so equal starts (ties broken by id) happen often.
  for (let i = 0; i < 60; i++) s.clips[`c${i}`] = clip(`c${i}`, r.pick(TRACKS), r.int(40) * 5, maybeLink(r));
  for (let i = 0; i < 8; i++) s.shots[`s${i}`] = shot(`s${i}`, r.int(6));
  for (let i = 0; i < 20; i++) s.takes[`k${i}`] = take(`k${i}`, r.pick(SHOTS), r.int(4));
  return s;
}

/** A random edit: adds, deletes, moves (within and across tracks), no-op sets, bulk ripples. */
function randomPatch(r: ReturnType<typeof rng>, s: ProjectState, serial: { n: number }): Patch {
  const p: Patch = {};
  const clipIds = Object.keys(s.clips);
  const kind = r.int(10);
  if (kind === 0) {
    // A ripple: many clips of one track shift (rebuild path of updateList).
    const track = r.pick(TRACKS);
    p.clips = {};
    for (const c of Object.values(s.clips)) if (c.trackId === track) p.clips[c.id] = { ...c, startFlicks: c.startFlicks + 5 };
  } else {
    const n = 1 + r.int(4);
    p.clips = {};
    for (let i = 0; i < n; i++) {
      const op = r.int(5);
      const id = clipIds.length ? r.pick(clipIds) : 'none';
      const c = s.clips[id];
      if (op === 0 || !c) {
        const nid = `n${serial.n++}`;
        p.clips[nid] = clip(nid, r.pick(TRACKS), r.int(40) * 5, maybeLink(r));
      }
      else if (op === 1) p.clips[id] = null;
      else if (op === 2) p.clips[id] = { ...c, startFlicks: r.int(40) * 5 };
      else if (op === 3) p.clips[id] = { ...c, trackId: r.pick(TRACKS), ...(r.int(2) ? { linkId: r.pick(LINKS) } : {}) };
      else p.clips[id] = c; // the same object: nothing to do
    }
    if (r.int(4) === 0) p.clips[`gone${serial.n}`] = null; // deleting what is not there
  }
  if (r.int(3) === 0) {
    const id = r.pick(SHOTS);
    p.shots = { [id]: r.int(4) === 0 ? null : shot(id, r.int(6) + r.next()) };
  }
  if (r.int(3) === 0) {
    const id = `k${r.int(26)}`;
    const t = s.takes[id];
    p.takes = { [id]: r.int(4) === 0 ? null : take(id, t && r.int(2) ? t.shotId : r.pick(SHOTS), r.int(4)) };
  }
  return p;
}

function expectSameIndex(got: ProjectIndex, want: ProjectIndex, where: string) {
  // Same keys (no empty group left behind), same elements by identity, in the same order.
  expect(Object.keys(got.clipsByTrack).sort(), where).toEqual(Object.keys(want.clipsByTrack).sort());
  const same = <T,>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  for (const [k, list] of Object.entries(want.clipsByTrack)) {
    if (!same(got.clipsByTrack[k]!, list)) expect(got.clipsByTrack[k]!.map((c) => c.id), `${where} track ${k}`).toEqual(list.map((c) => c.id));
    expect(same(got.clipsByTrack[k]!, list), `${where} track ${k}: the same clip objects`).toBe(true);
  }
  expect(got.shots.map((s) => s.id), where).toEqual(want.shots.map((s) => s.id));
  expect(same(got.shots, want.shots), where).toBe(true);
  expect(Object.keys(got.takesByShot).sort(), where).toEqual(Object.keys(want.takesByShot).sort());
  for (const [k, list] of Object.entries(want.takesByShot)) expect(got.takesByShot[k]!, `${where} shot ${k}`).toEqual(list);
}

const NO_HISTORY = { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null };

/** app/'s per-track and link lookups (indexes cached per clips object) against a plain scan. */
function expectLookupsRight(state: ProjectState, where: string) {
  const all = Object.values(state.clips);
  for (const t of TRACKS) {
    const got = [...trackClips(state.clips, t)].map((c) => c.id).sort();
    expect(got, `${where} trackClips ${t}`).toEqual(all.filter((c) => c.trackId === t).map((c) => c.id).sort());
  }
  for (const c of all) {
    const got = linkedPartners(state, c).map((p) => p.id).sort();
    const want = c.linkId ? all.filter((o) => o.linkId === c.linkId && o.id !== c.id).map((o) => o.id).sort() : [];
    if (got.join() !== want.join()) expect(got, `${where} partners of ${c.id}`).toEqual(want);
  }
}

/** Tracks whose clips the patch changes (old or new place). */
function touchedTracks(s: ProjectState, p: Patch): Set<string> {
  const out = new Set<string>();
  for (const [id, c] of Object.entries(p.clips ?? {})) {
    const before = s.clips[id];
    if (before === c) continue;
    if (before) out.add(before.trackId);
    if (c) out.add(c.trackId);
  }
  return out;
}

describe('project index kept from patches', () => {
  it('equals a rebuild after every patch of random sequences, and leaves untouched tracks alone', () => {
    const store = useProject.getState();
    for (let seed = 1; seed <= 25; seed++) {
      const r = rng(seed);
      store.load({ dir: '/p', state: initial(r), history: NO_HISTORY, jobs: [] });
      const serial = { n: 0 };
      for (let step = 0; step < 60; step++) {
        const { state, index } = useProject.getState();
        // Look clips up through app/'s cached track and link indexes, so the store has them to carry.
        expectLookupsRight(state!, `seed ${seed} step ${step} before`);
        const patch = randomPatch(r, state!, serial);
        // Before the patch: the mirror changes the clips object in place.
        const touched = touchedTracks(state!, patch);
        store.patch(patch);
        const next = useProject.getState();
        const where = `seed ${seed} step ${step}`;
        expectSameIndex(next.index, buildIndex(next.state!), where);
        expectLookupsRight(next.state!, where);
        for (const t of TRACKS) if (!touched.has(t) && index.clipsByTrack[t] && next.index.clipsByTrack[t] !== index.clipsByTrack[t]) expect.fail(`${where}: untouched track ${t} got a new array`);
        if (touched.size === 0 && !patch.shots && !patch.takes) expect(next.index, where).toBe(index);
      }
    }
  });

  it('finds the clips under a time as clipsAt does, top video track first', () => {
    const r = rng(7);
    const state = initial(r);
    const index = buildIndex(state);
    for (let t = 0; t < 220; t += 3) {
      const want = clipsAt(state, t);
      const got = clipsAtIndexed(index, state.tracks, t);
      expect(new Set(got.map((c) => c.id))).toEqual(new Set(want.map((c) => c.id)));
      // Ordered by track index, highest first (ties between tracks of equal index in any order).
      expect(got.map((c) => state.tracks[c.trackId]!.index)).toEqual(want.map((c) => state.tracks[c.trackId]!.index));
    }
  });

  it('binary search and splicing keep a list sorted, including equal keys', () => {
    const order = (a: Clip, b: Clip) => a.startFlicks - b.startFlicks || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const list = [clip('b', 't', 0), clip('a', 't', 5), clip('c', 't', 5), clip('d', 't', 9)];
    expect(lowerBound(list, clip('b', 't', 5), order)).toBe(2);
    const moved = { ...list[1]!, startFlicks: 10 };
    const next = updateList(list, [list[1]!], [moved, clip('e', 't', 5)], order);
    expect(next.map((c) => c.id)).toEqual(['b', 'c', 'e', 'd', 'a']);
    expect(list.map((c) => c.id)).toEqual(['b', 'a', 'c', 'd']); // the input is not touched
  });
});

describe('project store', () => {
  it('updates the index with each patch and keeps it for the second copy of an edit', () => {
    const state = initial(rng(3));
    useProject.getState().load({ dir: '/p', state, history: NO_HISTORY, jobs: [] });
    const before = useProject.getState().index;
    const victim = before.clipsByTrack.v1![0]!;
    const patch: Patch = { clips: { [victim.id]: null, x: clip('x', 'v1', 1000) } };
    useProject.getState().patch(patch);
    const after = useProject.getState().index;
    expect(after.clipsByTrack.v1!.map((c) => c.id)).toEqual([...before.clipsByTrack.v1!.slice(1).map((c) => c.id), 'x']);
    expect(after.clipsByTrack.a1).toBe(before.clipsByTrack.a1);
    // The same edit again (its answer and its event both arrive): nothing changes.
    useProject.getState().patch(JSON.parse(JSON.stringify(patch)) as Patch);
    expect(useProject.getState().index).toBe(after);
    expectSameIndex(after, buildIndex(useProject.getState().state!), 'store');
  });
});
