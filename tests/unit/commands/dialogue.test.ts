/**
 * Voiced dialogue on the timeline (app/dialogue/placement.ts through `dialogue.place`): lines at
 * their offsets within the shot, one dialogue track (a second only where lines overlap),
 * revoicing one line replaces only its clip and keeps the user's edits to it and to the others.
 */
import { describe, expect, it } from 'vitest';
import { execute } from '../../../app/commands/engine.js';
import { applyPatch } from '../../../app/commands/patch.js';
import { DIALOGUE_GAP_FLICKS, DIALOGUE_LEAD_FLICKS, dialogueClipsOf } from '../../../app/dialogue/placement.js';
import type { Asset, ProjectState } from '../../../app/model/types.js';
import { secondsToFlicks as s } from '../../../app/time/flicks.js';
import { checkInvariants } from '../../../app/timeline/invariants.js';
import { counterIds, emptyState, videoAsset } from '../../helpers/state.js';

const ids = counterIds();

function voiced(id: string, shotId: string, line: number, seconds: number): Asset {
  return {
    ...videoAsset(id, seconds),
    kind: 'audio',
    name: `line ${line}`,
    probe: { durationFlicks: s(seconds), hasVideo: false, hasAudio: true },
    provenance: { source: 'generated', backend: 'espeak-ng', model: 'en-us', prompt: '', seed: 0, parameters: { dialogue: { shotId, line } }, inputAssetIds: [], createdAt: '2026-01-01T00:00:00Z' },
  };
}

/** Two shots of 4 s and 6 s, assembled on V1; shot B has three lines. */
function project(): ProjectState {
  const st = emptyState();
  st.assets.va = videoAsset('va', 4);
  st.assets.vb = videoAsset('vb', 6);
  const prompt = (dialogue: { speaker: string; line: string; offsetFlicks?: number }[]) => ({ subject: '', action: '', setting: '', camera: '', lighting: '', audio: '', style: '', dialogue });
  st.shots.A = { id: 'A', position: 1, title: 'A', prompt: prompt([]), durationFlicks: s(4), aspect: '16:9', chosenTakeId: null, seed: null, referenceAssetId: null, continuity: false, cameoIds: [], notes: '' };
  st.shots.B = { ...st.shots.A, id: 'B', position: 2, title: 'B', durationFlicks: s(6), prompt: prompt([{ speaker: 'ANNA', line: 'Who is there?' }, { speaker: 'BEN', line: 'Only me.' }, { speaker: 'ANNA', line: 'Come in.' }]) };
  st.clips.ca = { id: 'ca', trackId: 'v1', assetId: 'va', startFlicks: 0, inFlicks: 0, outFlicks: s(4), shotId: 'A', effects: { volume: 1, fadeInFlicks: 0, fadeOutFlicks: 0 } };
  st.clips.cb = { id: 'cb', trackId: 'v1', assetId: 'vb', startFlicks: s(4), inFlicks: 0, outFlicks: s(6), shotId: 'B', effects: { volume: 1, fadeInFlicks: 0, fadeOutFlicks: 0 } };
  return st;
}

function run(st: ProjectState, command: string, args: unknown): ProjectState {
  const done = execute(st, command as never, args, ids);
  const next = applyPatch(st, done.entry.patch);
  expect(checkInvariants(next)).toEqual([]);
  // Undo gives back exactly what was there.
  expect(applyPatch(next, done.entry.inverse)).toEqual(st);
  return next;
}

function withAssets(st: ProjectState, ...assets: Asset[]): ProjectState {
  const next = structuredClone(st);
  for (const a of assets) next.assets[a.id] = a;
  return next;
}

describe('dialogue.place', () => {
  it('lays the lines out one after another from the shot start, on one new Dialogue track', () => {
    let st = withAssets(project(), voiced('l0', 'B', 0, 1), voiced('l1', 'B', 1, 2), voiced('l2', 'B', 2, 1.5));
    st = run(st, 'dialogue.place', { shotId: 'B', voicings: [0, 1, 2].map((line) => ({ line, assetId: `l${line}` })) });
    const byLine = dialogueClipsOf(st, 'B');
    const start0 = s(4) + DIALOGUE_LEAD_FLICKS;
    expect(byLine.get(0)![0]!.startFlicks).toBe(start0);
    expect(byLine.get(1)![0]!.startFlicks).toBe(start0 + s(1) + DIALOGUE_GAP_FLICKS);
    expect(byLine.get(2)![0]!.startFlicks).toBe(start0 + s(1) + DIALOGUE_GAP_FLICKS + s(2) + DIALOGUE_GAP_FLICKS);
    const tracks = new Set([0, 1, 2].map((l) => byLine.get(l)![0]!.trackId));
    expect(tracks.size).toBe(1);
    const track = st.tracks[[...tracks][0]!]!;
    expect(track).toMatchObject({ kind: 'audio', name: 'Dialogue', index: 1 });
    expect(st.tracks.a1!.name).toBe('A1'); // the music lane is not used for dialogue
  });

  it("a line's own offset wins; a shot not on the timeline starts where the storyboard puts it", () => {
    let st = project();
    st.shots.B = { ...st.shots.B!, prompt: { ...st.shots.B!.prompt, dialogue: [{ speaker: 'ANNA', line: 'Late.', offsetFlicks: s(2.5) }] } };
    delete st.clips.cb;
    st = withAssets(st, voiced('x', 'B', 0, 1));
    st = run(st, 'dialogue.place', { shotId: 'B', voicings: [{ line: 0, assetId: 'x' }] });
    expect(dialogueClipsOf(st, 'B').get(0)![0]!.startFlicks).toBe(s(4) + s(2.5));
  });

  it("revoicing one line replaces only its clip, keeping the user's placement and gain; other clips are untouched", () => {
    let st = withAssets(project(), voiced('l0', 'B', 0, 1), voiced('l1', 'B', 1, 2), voiced('l2', 'B', 2, 1.5));
    st = run(st, 'dialogue.place', { shotId: 'B', voicings: [0, 1, 2].map((line) => ({ line, assetId: `l${line}` })) });
    const before = dialogueClipsOf(st, 'B');
    // The user nudges line 1 later and turns it down, and turns line 2 down.
    const c1 = before.get(1)![0]!;
    const c2 = before.get(2)![0]!;
    st = run(st, 'clip.move', { clipId: c2.id, startFlicks: s(12) });
    st = run(st, 'clip.move', { clipId: c1.id, startFlicks: s(9) });
    st = run(st, 'clip.setEffects', { clipId: c1.id, effects: { volume: 0.5, fadeInFlicks: s(0.1) } });
    st = run(st, 'clip.setEffects', { clipId: c2.id, effects: { volume: 0.7 } });
    const edited = structuredClone(st.clips);

    st = withAssets(st, voiced('l1b', 'B', 1, 2.4));
    st = run(st, 'dialogue.place', { shotId: 'B', voicings: [{ line: 1, assetId: 'l1b' }] });
    const after = dialogueClipsOf(st, 'B');
    const n1 = after.get(1)!;
    expect(n1).toHaveLength(1);
    expect(n1[0]!.id).not.toBe(c1.id);
    expect(st.clips[c1.id]).toBeUndefined();
    expect(n1[0]).toMatchObject({ assetId: 'l1b', startFlicks: s(9), trackId: c1.trackId, inFlicks: 0, outFlicks: s(2.4) });
    expect(n1[0]!.effects).toMatchObject({ volume: 0.5, fadeInFlicks: s(0.1) });
    // Every other clip is exactly as the user left it.
    for (const [id, c] of Object.entries(edited)) if (id !== c1.id) expect(st.clips[id]).toEqual(c);
  });

  it('a line that would overlap another goes to a second dialogue track', () => {
    let st = withAssets(project(), voiced('l0', 'B', 0, 1), voiced('l1', 'B', 1, 1));
    st = run(st, 'dialogue.place', { shotId: 'B', voicings: [0, 1].map((line) => ({ line, assetId: `l${line}` })) });
    // Line 0 revoiced much longer: it keeps its start and would run into line 1.
    st = withAssets(st, voiced('l0b', 'B', 0, 3));
    st = run(st, 'dialogue.place', { shotId: 'B', voicings: [{ line: 0, assetId: 'l0b' }] });
    const c = dialogueClipsOf(st, 'B');
    const t0 = st.tracks[c.get(0)![0]!.trackId]!;
    const t1 = st.tracks[c.get(1)![0]!.trackId]!;
    expect(t1.name).toBe('Dialogue');
    expect(t0.name).toBe('Dialogue 2');
    expect(c.get(0)![0]!.startFlicks).toBe(s(4) + DIALOGUE_LEAD_FLICKS);
  });

  it('refuses audio that does not voice that line, and lines the shot does not have', () => {
    const st = withAssets(project(), voiced('l0', 'B', 0, 1), voiced('other', 'A', 0, 1));
    expect(() => execute(st, 'dialogue.place', { shotId: 'B', voicings: [{ line: 0, assetId: 'other' }] }, ids)).toThrow(/does not voice line 1/);
    expect(() => execute(st, 'dialogue.place', { shotId: 'B', voicings: [{ line: 7, assetId: 'l0' }] }, ids)).toThrow(/no dialogue line 8/);
    expect(() => execute(st, 'dialogue.place', { shotId: 'B', voicings: [{ line: 0, assetId: 'va' }] }, ids)).toThrow(/does not voice/);
  });
});
