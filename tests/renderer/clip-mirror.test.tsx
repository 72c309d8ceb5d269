/**
 * The project mirror changes `state.clips` in place (renderer/src/state/project.ts: copying a
 * 5,000-entry object per edit cost milliseconds), so nothing may re-render from that object's
 * identity. These check what the editor re-renders from instead: a new `state` per edit, the
 * clip itself (`useClip`, the Inspector), the per-track lists (drag previews included), and
 * app/'s track and link lookups; and that the snapshot a project was loaded from is not touched.
 */
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_EFFECTS, type Clip } from '../../app/model/types.js';
import { linkedPartners } from '../../app/timeline/links.js';
import { clipsOnTrack } from '../../app/timeline/query.js';
import { useProject } from '../../renderer/src/state/project.js';
import { useClip, useClipsByTrack } from '../../renderer/src/state/selectors.js';
import { useUi } from '../../renderer/src/state/ui.js';
import { Inspector } from '../../renderer/src/components/inspector/Inspector.js';
import { emptyState, videoAsset } from '../helpers/state.js';

afterEach(cleanup);

const NO_HISTORY = { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null };
const clip = (id: string, trackId: string, start: number, linkId?: string): Clip => ({
  id, trackId, assetId: 'a', startFlicks: start, inFlicks: 0, outFlicks: 100, shotId: null, effects: DEFAULT_EFFECTS, ...(linkId ? { linkId } : {}),
});

function loadTwoLinked() {
  const state = emptyState();
  state.assets.a = videoAsset('a', 10);
  state.clips.c1 = clip('c1', 'v1', 0, 'L');
  state.clips.c2 = clip('c2', 'a1', 0, 'L');
  state.clips.c3 = clip('c3', 'v1', 500);
  useProject.getState().load({ dir: '/p', state, history: NO_HISTORY, jobs: [] });
  useUi.getState().reset();
  return state;
}

function Probe() {
  const c1 = useClip('c1');
  const v1 = useClipsByTrack().v1 ?? [];
  return (
    <p>
      <span data-testid="c1-start">{c1 ? c1.startFlicks : 'gone'}</span>
      <span data-testid="v1-order">{v1.map((c) => `${c.id}@${c.startFlicks}`).join(' ')}</span>
    </p>
  );
}

describe('project mirror with clips changed in place', () => {
  it('re-renders from the clip and the track lists, keeps app lookups right, and leaves the loaded snapshot alone', () => {
    const snapshot = loadTwoLinked();
    render(<Probe />);
    expect(screen.getByTestId('c1-start').textContent).toBe('0');
    const before = useProject.getState().state!;
    expect(linkedPartners(before, before.clips.c1!).map((c) => c.id)).toEqual(['c2']);

    act(() => useProject.getState().patch({ clips: { c1: clip('c1', 'v1', 900, 'L'), c2: clip('c2', 'a1', 900) } }));
    const after = useProject.getState().state!;
    expect(after).not.toBe(before); // a new state per edit
    expect(after.clips).toBe(before.clips); // the clips object is the same one, changed
    expect(screen.getByTestId('c1-start').textContent).toBe('900');
    expect(screen.getByTestId('v1-order').textContent).toBe('c3@500 c1@900');
    expect(clipsOnTrack(after, 'v1').map((c) => c.id)).toEqual(['c3', 'c1']);
    expect(linkedPartners(after, after.clips.c1!)).toEqual([]); // c2 left the link
    // The snapshot the project was opened from is not the mirror's clips object.
    expect(snapshot.clips.c1!.startFlicks).toBe(0);

    // A drag preview over the changed clips draws the preview.
    act(() => useUi.setState({ preview: { clipId: 'c3', trackId: 'v1', startFlicks: 1000, inFlicks: 0, outFlicks: 100 } as never }));
    expect(screen.getByTestId('v1-order').textContent).toBe('c1@900 c3@1000');
    act(() => useUi.setState({ preview: null }));

    act(() => useProject.getState().patch({ clips: { c1: null } }));
    expect(screen.getByTestId('c1-start').textContent).toBe('gone');
    expect(screen.getByTestId('v1-order').textContent).toBe('c3@500');
  });

  it('the Inspector follows an edit of the selected clip and its removal', () => {
    loadTwoLinked();
    act(() => useUi.getState().selectClips(['c3']));
    render(<Inspector />);
    const start = () => screen.getByTestId('inspector-start').textContent;
    const first = start();
    act(() => useProject.getState().patch({ clips: { c3: { ...clip('c3', 'v1', 500), startFlicks: 30 * 705600000 } } }));
    expect(start()).not.toBe(first);
    expect(start()).toMatch(/00:00:30/);
    act(() => useProject.getState().patch({ clips: { c3: null } }));
    expect(screen.queryByTestId('clip-inspector')).toBeNull();
  });
});
