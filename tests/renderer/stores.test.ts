/** The zustand stores on their own: what each keeps, clamps and forgets. */
import { describe, expect, it } from 'vitest';
import type { Job } from '../../app/jobs/types.js';
import { useJobs } from '../../renderer/src/state/jobs.js';
import { useProject } from '../../renderer/src/state/project.js';
import { MAX_ZOOM, MIN_ZOOM, useUi } from '../../renderer/src/state/ui.js';
import { emptyState, videoAsset } from '../helpers/state.js';

const job = (id: string, updatedAt: string, progress: number): Job =>
  ({ id, kind: 'export', state: 'running', progress, createdAt: '2026-01-01T00:00:00Z', updatedAt, payload: null }) as unknown as Job;

describe('project mirror', () => {
  it('applies patches (twice is harmless), keeps history unless given, and clears', () => {
    const state = emptyState();
    useProject.getState().load({ dir: '/films/a', state, history: { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null }, jobs: [] } as never);
    const patch = { assets: { a: videoAsset('a', 2) } };
    useProject.getState().patch(patch, { canUndo: true, canRedo: false, undoLabel: 'Import', redoLabel: null });
    const once = useProject.getState().state;
    useProject.getState().patch(patch);
    expect(useProject.getState().state).toEqual(once);
    expect(useProject.getState().history.undoLabel).toBe('Import');
    expect(state.assets).toEqual({}); // the snapshot it was loaded from is not mutated
    useProject.getState().patch({ assets: { a: null } });
    expect(useProject.getState().state!.assets).toEqual({});
    useProject.getState().clear();
    expect(useProject.getState()).toMatchObject({ dir: null, state: null, history: { canUndo: false } });
    // With no project, a late patch does nothing rather than inventing one.
    useProject.getState().patch(patch);
    expect(useProject.getState().state).toBeNull();
  });
});

describe('jobs', () => {
  it('keeps the newest report of each job when events arrive out of order', () => {
    useJobs.getState().clear();
    useJobs.getState().upsert(job('j1', '2026-01-01T00:00:02Z', 0.5));
    useJobs.getState().upsert(job('j1', '2026-01-01T00:00:01Z', 0.2));
    expect(useJobs.getState().jobs['j1']!.progress).toBe(0.5);
    useJobs.getState().upsert(job('j1', '2026-01-01T00:00:03Z', 0.9));
    expect(useJobs.getState().jobs['j1']!.progress).toBe(0.9);
    useJobs.getState().setAll([job('j2', '2026-01-01T00:00:00Z', 0)]);
    expect(Object.keys(useJobs.getState().jobs)).toEqual(['j2']);
  });
});

describe('editor UI', () => {
  it('clamps zoom, rounds and floors the playhead, and reset forgets the project', () => {
    const ui = useUi.getState();
    ui.setZoom(1e9);
    expect(useUi.getState().zoom).toBe(MAX_ZOOM);
    ui.setZoom(0);
    expect(useUi.getState().zoom).toBe(MIN_ZOOM);
    ui.setPlayhead(-10);
    expect(useUi.getState().playhead).toBe(0);
    ui.setPlayhead(10.6);
    expect(useUi.getState().playhead).toBe(11);
    ui.selectClips(['c1']);
    ui.selectShot('s1');
    ui.setMarks({ markIn: 5 });
    ui.reset();
    expect(useUi.getState()).toMatchObject({ selectedClipIds: [], selectedShotId: null, markIn: null, playhead: 0 });
  });
});
