/**
 * Every command in app/commands/registry.ts, one after another on a growing project, each
 * through run → undo → redo against a real project file (ProjectStore, SQLite): after each
 * step the invariants hold, the state in memory is exactly the prior/next state, and the
 * file reloads to that same state. A table entry per command is required by the type
 * (Record<CommandName, …>) and by a runtime check, so a new command cannot skip the walk.
 * The same check run on deliberately broken inverses must report them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { execute, type Executed } from '../../../app/commands/engine.js';
import { applyPatch, applyPatchInPlace, isEmptyPatch, PatchBuilder, type Patch } from '../../../app/commands/patch.js';
import { commands, type CommandName } from '../../../app/commands/registry.js';
import { checkInvariants } from '../../../app/timeline/invariants.js';
import type { Asset, ProjectState } from '../../../app/model/types.js';
import { clipEnd, clipsOnTrack, orderedShots } from '../../../app/timeline/query.js';
import { secondsToFlicks as s, flicksPerFrame } from '../../../app/time/flicks.js';
import { ProjectStore } from '../../../main/store/project-store.js';
import { counterIds, emptyState, videoAsset } from '../../helpers/state.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-walk-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const FRAME = flicksPerFrame({ num: 30, den: 1 });
const grade = {
  exposure: 0.4,
  contrast: 0.1,
  saturation: 1.2,
  temperature: 0.2,
  tint: -0.1,
  lift: { r: 0, g: 0, b: 0.02, m: 0 },
  gamma: { r: 1, g: 1, b: 1, m: 1.1 },
  gain: { r: 1.05, g: 1, b: 1, m: 1 },
  lut: null,
  lutStrength: 1,
};
const audioAsset: Asset = { ...videoAsset('m', 10), kind: 'audio', probe: { durationFlicks: s(10), hasVideo: false, hasAudio: true } };
/** A voiced dialogue line of shot_walk (app/dialogue/placement.ts knows it by its provenance). */
const voicedLine: Asset = {
  ...videoAsset('dl', 1.2),
  kind: 'audio',
  probe: { durationFlicks: s(1.2), hasVideo: false, hasAudio: true },
  provenance: { source: 'generated', backend: 'espeak-ng', model: 'en-us', prompt: 'Dusk again.', seed: 0, parameters: { dialogue: { shotId: 'shot_walk', line: 0 } }, inputAssetIds: [], createdAt: '2026-01-01T00:00:00Z' },
};

const v1 = (st: ProjectState) => clipsOnTrack(st, 'v1');
const shotTitled = (st: ProjectState, title: string) => orderedShots(st).find((x) => x.title === title)!;
const takeOf = (st: ProjectState, shotId: string, assetId: string) => Object.values(st.takes).find((t) => t.shotId === shotId && t.assetId === assetId)!;

/**
 * Args for each command, built from the state the walk has reached; the walk runs them in
 * this order, so earlier steps make what later ones need (shots, takes, clips, presets).
 */
const WALK: Record<CommandName, (st: ProjectState) => unknown> = {
  'settings.update': () => ({ name: 'Walked' }),
  'shot.add': (st) => ({ afterShotId: shotTitled(st, 'One').id, shotId: 'shot_walk', fields: { title: 'Three' } }),
  'shot.update': () => ({ shotId: 'shot_walk', fields: { title: 'Three b', prompt: { subject: 'a fox at dusk', dialogue: [{ speaker: 'FOX', line: 'Dusk again.' }] }, durationFlicks: s(2) } }),
  'shot.duplicate': (st) => ({ shotId: shotTitled(st, 'Two').id }),
  'shot.move': () => ({ shotId: 'shot_walk', toIndex: 0 }),
  'take.add': (st) => ({ shotId: shotTitled(st, 'One').id, assetId: 'b' }),
  'take.choose': (st) => ({ takeId: takeOf(st, shotTitled(st, 'One').id, 'b').id }),
  'timeline.assemble': () => ({}),
  // A picture with its sound left in it (linkAudio false), moved, then its sound detached.
  'clip.add': (st) => ({ trackId: 'v1', assetId: 'b', startFlicks: clipEnd(v1(st).at(-1)!) + s(10), linkAudio: false }),
  'clip.move': (st) => ({ clipId: v1(st).at(-1)!.id, startFlicks: v1(st).at(-1)!.startFlicks + s(1) }),
  'clip.detachAudio': (st) => ({ clipIds: [v1(st).at(-1)!.id] }),
  'clip.trimSource': (st) => ({ clipId: v1(st)[1]!.id, inFrame: 6, ripple: true }),
  'clip.roll': (st) => ({ clipId: v1(st)[0]!.id, toFlicks: clipEnd(v1(st)[0]!) - 2 * FRAME }),
  'clip.slip': (st) => ({ clipId: v1(st)[0]!.id, frames: 1 }),
  'clip.trim': (st) => ({ clipId: v1(st)[0]!.id, edge: 'out', toFlicks: clipEnd(v1(st)[0]!) - s(1) }),
  'clip.split': (st) => ({ clipId: v1(st)[1]!.id, atFlicks: v1(st)[1]!.startFlicks + s(1) }),
  'clip.remove': (st) => ({ clipIds: [v1(st).at(-1)!.id], ripple: true }),
  'clip.setEffects': (st) => ({ clipId: clipsOnTrack(st, 'a1')[0]!.id, effects: { volume: 0.5, fadeInFlicks: s(0.5) } }),
  'clip.setGrade': (st) => ({ clipId: v1(st)[0]!.id, grade }),
  'clip.pasteGrade': (st) => ({ clipIds: v1(st).map((c) => c.id), grade: { ...grade, exposure: -0.3 } }),
  'clip.setStabilize': (st) => ({ clipId: v1(st)[0]!.id, stabilize: { enabled: true, smoothing: 20 } }),
  'clip.keepRange': (st) => ({ clipId: v1(st)[1]!.id, fromFlicks: v1(st)[1]!.startFlicks + 3 * FRAME, toFlicks: clipEnd(v1(st)[1]!) - 3 * FRAME }),
  'clip.setSpeed': (st) => ({ clipId: v1(st)[0]!.id, speed: { rate: 1.5, keyframes: [], reverse: false, frames: 'nearest', rampAudio: 'resample' }, ripple: true }),
  'clip.setLoop': (st) => ({ clipId: v1(st)[1]!.id, loop: { mode: 'count', count: 2, fillFlicks: 0, crossfadeFlicks: 0 } }),
  'clip.applyLoopPoint': (st) => ({ clipId: v1(st)[1]!.id, startFrame: 3, endFrame: 33 }),
  'gradePreset.save': () => ({ name: 'Dusk look', grade }),
  'gradePreset.delete': (st) => ({ presetId: st.settings.gradePresets![0]!.id }),
  'track.add': () => ({ kind: 'video', name: 'Titles' }),
  'track.update': () => ({ trackId: 'a1', muted: true, name: 'Dialogue', volume: 1.5, pan: -0.25, solo: true }),
  'dialogue.place': () => ({ shotId: 'shot_walk', voicings: [{ line: 0, assetId: 'dl' }] }),
  'clip.setGainKeyframes': (st) => ({ clipId: clipsOnTrack(st, 'a1').find((c) => !c.effects.speed && !c.effects.loop)!.id, keyframes: [{ sourceFlicks: s(0.5), gain: 0.5 }, { sourceFlicks: s(1), gain: 2 }] }),
  'clip.unlink': (st) => ({ clipIds: [clipsOnTrack(st, 'a1')[0]!.id] }),
  'clip.link': (st) => ({ clipIds: [v1(st)[0]!.id, clipsOnTrack(st, 'a1')[0]!.id] }),
  'clip.crossfade': (st) => {
    const a1 = clipsOnTrack(st, 'a1');
    const plain = (c: (typeof a1)[number]) => !c.effects.speed && !c.effects.loop;
    const butted = a1.find((c, i) => i > 0 && clipEnd(a1[i - 1]!) === c.startFlicks && plain(c) && plain(a1[i - 1]!));
    if (!butted) throw new Error(`no butted clips on A1: ${JSON.stringify(a1.map((c) => [c.startFlicks, clipEnd(c), c.inFlicks, c.outFlicks]))}`);
    return { clipId: butted.id, durationFlicks: s(0.2) };
  },
  'track.remove': (st) => ({ trackId: Object.values(st.tracks).find((t) => t.name === 'Titles')!.id }),
  'take.remove': (st) => ({ takeId: takeOf(st, shotTitled(st, 'One').id, 'a').id }),
  'shot.remove': () => ({ shotId: 'shot_walk' }),
};

/** A history the check drives: main's SQLite store, or a plain log for the broken-inverse cases. */
interface History {
  commit(entry: Executed['entry']): void;
  undo(): Patch;
  redo(): Patch;
  /** The state as persisted (reloaded), if the history persists it. */
  reload(): ProjectState | null;
}

/** run → undo → redo of one executed command from `before`; returns what went wrong (empty when all is well). */
function checkStep(h: History, before: ProjectState, done: Executed): { problems: string[]; after: ProjectState } {
  const problems: string[] = [];
  const expectState = (label: string, got: ProjectState, want: ProjectState) => {
    if (!isDeepStrictEqual(got, want)) problems.push(`${label}: state differs`);
  };
  const after = applyPatch(before, done.entry.patch);
  const mem = structuredClone(before);
  h.commit(done.entry);
  applyPatchInPlace(mem, done.entry.patch);
  problems.push(...checkInvariants(mem).map((p) => `run: ${p}`));
  expectState('run (in place)', mem, after);
  const saved = h.reload();
  if (saved) expectState('run (reloaded)', saved, after);

  applyPatchInPlace(mem, h.undo());
  problems.push(...checkInvariants(mem).map((p) => `undo: ${p}`));
  expectState('undo', mem, before);
  const undone = h.reload();
  if (undone) expectState('undo (reloaded)', undone, before);

  applyPatchInPlace(mem, h.redo());
  problems.push(...checkInvariants(mem).map((p) => `redo: ${p}`));
  expectState('redo', mem, after);
  const redone = h.reload();
  if (redone) expectState('redo (reloaded)', redone, after);
  return { problems, after };
}

function sqliteHistory(store: ProjectStore): History {
  return {
    commit: (e) => void store.commit(e),
    undo: () => store.undo()!.inverse,
    redo: () => store.redo()!.patch,
    reload: () => store.loadState(),
  };
}

function memoryHistory(): History {
  const log: Executed['entry'][] = [];
  let at = 0;
  return {
    commit: (e) => void (log.splice(at), log.push(e), at++),
    undo: () => log[--at]!.inverse,
    redo: () => log[at++]!.patch,
    reload: () => null,
  };
}

function seededStore(dir: string): { store: ProjectStore; state: ProjectState } {
  const base = emptyState();
  const store = ProjectStore.create(dir, base.settings);
  const b = new PatchBuilder();
  for (const t of Object.values(base.tracks)) b.set('tracks', t);
  b.set('assets', videoAsset('a', 6)).set('assets', videoAsset('b', 8)).set('assets', audioAsset).set('assets', voicedLine);
  store.applySystemPatch(b.patch);
  let state = store.loadState();
  // Two shots with a take each: what a storyboard looks like before the walk.
  const ids = counterIds();
  for (const [title, asset] of [['One', 'a'], ['Two', 'b']] as const) {
    const add = execute(state, 'shot.add', { fields: { title } }, ids);
    store.applySystemPatch(add.entry.patch);
    state = applyPatch(state, add.entry.patch);
    const take = execute(state, 'take.add', { shotId: shotTitled(state, title).id, assetId: asset }, ids);
    store.applySystemPatch(take.entry.patch);
    state = applyPatch(state, take.entry.patch);
  }
  return { store, state: store.loadState() };
}

describe('every registered command: run → undo → redo', () => {
  it('the walk table names every command in the registry, and nothing else', () => {
    expect(Object.keys(WALK).sort()).toEqual(Object.keys(commands).sort());
  });

  it('each command changes the project, keeps the invariants, and undoes and redoes exactly (in SQLite too)', () => {
    const { store, state: start } = seededStore(path.join(tmp, 'walk'));
    const h = sqliteHistory(store);
    const ids = counterIds();
    let st = start;
    const walked: CommandName[] = [];
    try {
      for (const name of Object.keys(WALK) as CommandName[]) {
        const done = execute(st, name, WALK[name](st), ids);
        expect(isEmptyPatch(done.entry.patch), `${name} changed nothing`).toBe(false);
        const { problems, after } = checkStep(h, st, done);
        expect(problems, name).toEqual([]);
        st = after;
        walked.push(name);
      }
    } finally {
      store.close();
    }
    expect(walked).toHaveLength(Object.keys(commands).length);
    // The walk really went somewhere: a few facts from along the way.
    expect(st.settings.name).toBe('Walked');
    expect(st.tracks['a1']).toMatchObject({ muted: true, name: 'Dialogue' });
    expect(st.shots['shot_walk']).toBeUndefined();
  });

  it('reports a broken inverse for every command (the check can fail)', () => {
    const { store, state: start } = seededStore(path.join(tmp, 'broken'));
    store.close();
    const ids = counterIds();
    let st = start;
    for (const name of Object.keys(WALK) as CommandName[]) {
      const done = execute(st, name, WALK[name](st), ids);
      // An inverse that forgets the last entity (or the settings) it should restore.
      const broken = structuredClone(done.entry.inverse);
      if (broken.settings) delete broken.settings;
      else {
        const coll = (Object.keys(broken) as (keyof Patch)[]).filter((k) => k !== 'settings' && Object.keys(broken[k] ?? {}).length).at(-1)!;
        const rec = broken[coll] as Record<string, unknown>;
        delete rec[Object.keys(rec).at(-1)!];
      }
      const tampered: Executed = { entry: { ...done.entry, inverse: broken } };
      expect(checkStep(memoryHistory(), st, tampered).problems, name).not.toEqual([]);
      st = applyPatch(st, done.entry.patch);
    }
  });
});
