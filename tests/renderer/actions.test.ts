/**
 * Renderer actions against real services (tests/renderer/harness.ts): what the stores show
 * and what main's project file holds after each action, including when main's answer is
 * late (the gate) — the user's input must win and edits must reach main in order.
 */
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { orderedShots, clipsOnTrack, tracksOfKind } from '../../app/timeline/query.js';
import { secondsToFlicks } from '../../app/time/flicks.js';
import { api } from '../../renderer/src/client.js';
import { redo, undo } from '../../renderer/src/actions/edit.js';
import { createProject } from '../../renderer/src/actions/project.js';
import { addShot, addTake, assemble, updateShot } from '../../renderer/src/actions/storyboard.js';
import { setTrackMuted } from '../../renderer/src/actions/clips.js';
import { deleteSelected, splitAtPlayhead } from '../../renderer/src/actions/timeline.js';
import { useProject } from '../../renderer/src/state/project.js';
import { useUi } from '../../renderer/src/state/ui.js';
import { useToasts } from '../../renderer/src/state/toasts.js';
import { makeTestVideo } from '../helpers/media-fixtures.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
const mainState = async () => (await api().call('project.snapshot', {})).state;
const mirror = () => useProject.getState().state!;

beforeAll(async () => {
  h = await startHarness();
  await createProject(path.join(h.dir, 'film'), 'Actions');
});
afterAll(() => h?.close());
beforeEach(() => useToasts.setState({ toasts: [] } as never));

describe('storyboard actions', () => {
  it('Add shot selects the new shot before main answers; a title typed meanwhile lands on it', async () => {
    await addShot(null);
    const first = useUi.getState().selectedShotId!;
    const release = h.hold('edit.apply');
    const adding = addShot(first);
    // Main has not answered: the shot is already in the mirror and selected.
    const id = useUi.getState().selectedShotId!;
    expect(id).not.toBe(first);
    expect(mirror().shots[id]).toMatchObject({ title: 'Shot 2' });
    const typing = updateShot(id, { title: 'Night exterior' });
    release();
    expect(await adding).toBe(id);
    expect(await typing).not.toBeNull();
    const shots = orderedShots(await mainState());
    expect(shots.map((s) => [s.id, s.title])).toEqual([
      [first, 'Shot 1'],
      [id, 'Night exterior'],
    ]);
    expect(orderedShots(mirror()).map((s) => s.title)).toEqual(['Shot 1', 'Night exterior']);
  });

  it('edits reach main one at a time, in the order they were made', async () => {
    const a1 = tracksOfKind(mirror(), 'audio')[0]!.id;
    const n0 = h.calls.length;
    const release = h.hold('edit.apply');
    const done = [setTrackMuted(a1, true), setTrackMuted(a1, false), setTrackMuted(a1, true)];
    try {
      await new Promise((r) => setTimeout(r, 50));
      // Only the first is on its way while its answer is outstanding.
      expect(h.calls.slice(n0).filter((c) => c === 'edit.apply')).toHaveLength(1);
    } finally {
      release();
    }
    await Promise.all(done);
    expect((await mainState()).tracks[a1]!.muted).toBe(true);
    expect(mirror().tracks[a1]!.muted).toBe(true);
    // Undo and redo go through the same queue and leave main and the mirror equal.
    await undo();
    expect((await mainState()).tracks[a1]!.muted).toBe(false);
    expect(mirror().tracks[a1]!.muted).toBe(false);
    await redo();
    expect((await mainState()).tracks[a1]!.muted).toBe(true);
  });

  it('a refused edit leaves the mirror as main has it and says why', async () => {
    const before = mirror();
    expect(await updateShot('shot_missing', { title: 'x' })).toBeNull();
    expect(mirror()).toEqual(before);
    expect(useToasts.getState().toasts.at(-1)?.message).toMatch(/does not exist/);
  });
});

describe('timeline actions on real media', () => {
  it('assemble → Edit view at 0; split at the playhead; ripple-delete the selection', async () => {
    const file = await makeTestVideo({ path: path.join(h.dir, 'take.mp4'), seconds: 2, width: 160, height: 90, fps: 24 });
    const res = await api().call('assets.import', { files: [{ path: file }] });
    const asset = res.imported[0]!;
    useProject.getState().patch({ assets: { [asset.id]: asset } });
    const [one, two] = orderedShots(mirror());
    await addTake(one!.id, asset.id);
    await addTake(two!.id, asset.id);
    useUi.getState().setView('storyboard');
    useUi.getState().setPlayhead(secondsToFlicks(5));
    await assemble();
    expect(useUi.getState()).toMatchObject({ view: 'edit', playhead: 0, rate: 0 });
    const v1 = tracksOfKind(mirror(), 'video')[0]!.id;
    expect(clipsOnTrack(mirror(), v1)).toHaveLength(2);

    useUi.getState().setPlayhead(secondsToFlicks(1));
    await splitAtPlayhead();
    const parts = clipsOnTrack(mirror(), v1);
    expect(parts).toHaveLength(3);
    expect(parts[1]!.startFlicks).toBe(secondsToFlicks(1));

    useUi.getState().selectClips([parts[0]!.id]);
    await deleteSelected(true);
    expect(useUi.getState().selectedClipIds).toEqual([]);
    const left = clipsOnTrack(await mainState(), v1);
    expect(left).toHaveLength(2);
    expect(left[0]!.startFlicks).toBe(0);
    expect(clipsOnTrack(mirror(), v1)).toEqual(left);
  });

  it("split shows before main answers, with main's own ids; a split main refuses is put back", async () => {
    const v1 = tracksOfKind(mirror(), 'video')[0]!.id;
    const before = clipsOnTrack(mirror(), v1);
    useUi.getState().selectClips([]);
    useUi.getState().setPlayhead(before[0]!.startFlicks + secondsToFlicks(0.5));
    const release = h.hold('edit.apply', { once: true });
    const splitting = splitAtPlayhead();
    await Promise.resolve();
    // Main has not answered: the halves are already in the mirror.
    expect(clipsOnTrack(mirror(), v1)).toHaveLength(before.length + 1);
    release();
    await splitting;
    const after = clipsOnTrack(await mainState(), v1);
    expect(after).toHaveLength(before.length + 1);
    expect(clipsOnTrack(mirror(), v1)).toEqual(after); // the same ids and times as main's

    // Main's timeline has the track locked; this window does not know yet: main refuses the split.
    await api().call('edit.apply', { command: 'track.update', args: { trackId: v1, locked: true } });
    const shown = clipsOnTrack(mirror(), v1);
    useUi.getState().setPlayhead(shown[0]!.startFlicks + secondsToFlicks(0.25));
    await splitAtPlayhead();
    expect(clipsOnTrack(mirror(), v1)).toEqual(shown);
    expect(Object.keys(mirror().clips).sort()).toEqual(Object.keys((await mainState()).clips).sort());
    expect(useToasts.getState().toasts.at(-1)?.message).toMatch(/locked/);
    await api().call('edit.apply', { command: 'track.update', args: { trackId: v1, locked: false } });
  });
});
