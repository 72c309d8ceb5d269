import { describe, expect, it } from 'vitest';
import { matrixFromTag, sourceMatrix, untaggedMatrix } from '../../../app/color/matrix.js';
import { escapeFilterPath, lut3dStages } from '../../../app/render/color-stage.js';
import { gradeKey } from '../../../app/color/hash.js';
import { NEUTRAL_GRADE, type ColorGrade } from '../../../app/model/color.js';
import { execute } from '../../../app/commands/engine.js';
import { applyPatch } from '../../../app/commands/patch.js';
import type { CommandName } from '../../../app/commands/registry.js';
import { ShotlineError } from '../../../app/errors.js';
import { checkInvariants } from '../../../app/timeline/invariants.js';
import type { ProjectState } from '../../../app/model/types.js';
import { buildFilterGraph } from '../../../app/render/filtergraph.js';
import { compileRenderPlan, type VideoClipSegment } from '../../../app/render/plan.js';
import { randomGrade } from '../../helpers/color.js';
import { counterIds, stateWithAssets, videoAsset } from '../../helpers/state.js';

function run(state: ProjectState, command: CommandName, args: unknown, ids = counterIds()): ProjectState {
  const done = execute(state, command, args, ids);
  const next = applyPatch(state, done.entry.patch);
  expect(checkInvariants(next)).toEqual([]);
  expect(applyPatch(next, done.entry.inverse)).toEqual(state);
  expect(applyPatch(applyPatch(next, done.entry.inverse), done.entry.patch)).toEqual(next);
  return next;
}

function timeline(): ProjectState {
  let st = stateWithAssets(videoAsset('a', 3), videoAsset('b', 3), { ...videoAsset('m', 3), kind: 'audio', probe: { ...videoAsset('m', 3).probe, hasVideo: false } });
  st = run(st, 'clip.add', { trackId: 'v1', assetId: 'a', startFlicks: 0 });
  st = run(st, 'clip.add', { trackId: 'v1', assetId: 'b', startFlicks: videoAsset('a', 3).probe.durationFlicks });
  // The pictures' linked sound is on A1: the music goes on the first free audio track.
  st = run(st, 'clip.add', { assetId: 'm', startFlicks: 0 });
  return st;
}

const clipOf = (st: ProjectState, assetId: string) => Object.values(st.clips).find((c) => c.assetId === assetId)!;
const grade = (over: Partial<ColorGrade> = {}): ColorGrade => ({ ...randomGrade(11), ...over });

describe('color commands', () => {
  it('sets, replaces and removes a grade, undoably', () => {
    let st = timeline();
    const a = clipOf(st, 'a');
    st = run(st, 'clip.setGrade', { clipId: a.id, grade: grade() });
    expect(st.clips[a.id]!.effects.color).toEqual(grade());
    expect(st.clips[a.id]!.effects.volume).toBe(1);
    // Other effect edits keep the grade.
    st = run(st, 'clip.setEffects', { clipId: a.id, effects: { volume: 0.5 } });
    expect(st.clips[a.id]!.effects.color).toEqual(grade());
    st = run(st, 'clip.setGrade', { clipId: a.id, grade: null });
    expect('color' in st.clips[a.id]!.effects).toBe(false);
    // A grade that does nothing and names no LUT is stored as none.
    st = run(st, 'clip.setGrade', { clipId: a.id, grade: NEUTRAL_GRADE });
    expect('color' in st.clips[a.id]!.effects).toBe(false);
    // A LUT at strength 0 is kept (the user may turn it up again).
    const sha = '1'.repeat(64);
    const lut = { sha256: sha, path: `media/luts/${sha}.cube`, name: 'x.cube', title: '', size: 33 };
    st = run(st, 'clip.setGrade', { clipId: a.id, grade: { ...NEUTRAL_GRADE, lut, lutStrength: 0 } });
    expect(st.clips[a.id]!.effects.color?.lut).toEqual(lut);
  });

  it('pastes one grade onto several clips in one undo step; split clips keep their grade', () => {
    let st = timeline();
    const [a, b] = [clipOf(st, 'a'), clipOf(st, 'b')];
    const done = execute(st, 'clip.pasteGrade', { clipIds: [a.id, b.id], grade: grade() }, counterIds());
    expect(done.entry.label).toBe('Paste color grade');
    expect(Object.keys(done.entry.patch.clips!)).toHaveLength(2);
    st = run(st, 'clip.pasteGrade', { clipIds: [a.id, b.id, a.id], grade: grade() });
    expect(st.clips[b.id]!.effects.color).toEqual(grade());
    st = run(st, 'clip.split', { clipId: a.id, atFlicks: Math.round(a.outFlicks / 2) });
    const graded = Object.values(st.clips).filter((c) => c.effects.color);
    expect(graded).toHaveLength(3);
  });

  it('refuses audio clips, unknown clips and invalid grades', () => {
    const st = timeline();
    const m = clipOf(st, 'm');
    expect(() => execute(st, 'clip.setGrade', { clipId: m.id, grade: grade() }, counterIds())).toThrow(/no picture to grade/);
    expect(() => execute(st, 'clip.setGrade', { clipId: 'nope', grade: grade() }, counterIds())).toThrow(/does not exist/);
    expect(() => execute(st, 'clip.setGrade', { clipId: clipOf(st, 'a').id, grade: { ...grade(), saturation: 5 } }, counterIds())).toThrow(ShotlineError);
    expect(() => execute(st, 'clip.setGrade', { clipId: clipOf(st, 'a').id, grade: { ...grade(), extra: 1 } }, counterIds())).toThrow(ShotlineError);
  });

  it('saves (replacing by name), and deletes presets in the project settings', () => {
    let st = timeline();
    const ids = counterIds();
    st = run(st, 'gradePreset.save', { name: 'Warm', grade: grade({ temperature: 0.5 }) }, ids);
    st = run(st, 'gradePreset.save', { name: 'Cold', grade: grade({ temperature: -0.5 }) }, ids);
    expect(st.settings.gradePresets!.map((p) => p.name)).toEqual(['Warm', 'Cold']);
    const warmId = st.settings.gradePresets![0]!.id;
    st = run(st, 'gradePreset.save', { name: 'warm', grade: grade({ temperature: 0.7 }) }, ids);
    expect(st.settings.gradePresets).toHaveLength(2);
    expect(st.settings.gradePresets![0]).toMatchObject({ id: warmId, name: 'warm', grade: { temperature: 0.7 } });
    // Other settings edits keep the presets.
    st = run(st, 'settings.update', { name: 'Renamed' });
    expect(st.settings.gradePresets).toHaveLength(2);
    st = run(st, 'gradePreset.delete', { presetId: warmId });
    expect(st.settings.gradePresets!.map((p) => p.name)).toEqual(['Cold']);
    expect(() => execute(st, 'gradePreset.delete', { presetId: warmId }, ids)).toThrow(/does not exist/);
    expect(() => execute(st, 'gradePreset.save', { name: '  ', grade: grade() }, ids)).toThrow(ShotlineError);
  });
});

describe('render plan: the lut3d stage', () => {
  it('is added before conform for graded clips only, keyed by the grade', () => {
    let st = timeline();
    const [a, b] = [clipOf(st, 'a'), clipOf(st, 'b')];
    st = run(st, 'clip.setGrade', { clipId: a.id, grade: grade() });
    const plan = compileRenderPlan(st, { width: 1280, height: 720, fit: 'fit' });
    const segA = plan.base.find((s) => s.type === 'clip' && s.clipId === a.id) as VideoClipSegment;
    const segB = plan.base.find((s) => s.type === 'clip' && s.clipId === b.id) as VideoClipSegment;
    expect(segA.stages.map((s) => s.kind)).toEqual(['fps', 'lut3d', 'conform']);
    expect(segB.stages.map((s) => s.kind)).toEqual(['fps', 'conform']);
    const [stage] = lut3dStages(plan);
    expect(stage).toMatchObject({ key: gradeKey(grade()), file: `media/derived/luts/${gradeKey(grade())}.cube`, interp: 'tetrahedral' });
    // The export hands the compiled LUT's path in; the plan it gets is final as compiled.
    const key = gradeKey(grade());
    const resolved = compileRenderPlan(st, { width: 1280, height: 720, fit: 'fit' }, { lutFiles: { [key]: `/projects/my film/media/derived/luts/${key}.cube` } });
    expect(resolved.base.filter((x) => x.type === 'gap')).toEqual(plan.base.filter((x) => x.type === 'gap'));
    const graph = buildFilterGraph(resolved).graph;
    // 'a' is 320x240 (untagged SD): decoded as BT.601, like a browser does.
    expect(stage!.matrix).toBe('bt601');
    expect(graph).toContain(
      `fps=30/1,scale=in_color_matrix=bt601,format=gbrp,lut3d=file=\\'/projects/my film/media/derived/luts/${stage!.key}.cube\\':interp=tetrahedral,` +
        'scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,scale=',
    );
    // Only the file differs between the two plans.
    expect({ ...lut3dStages(resolved)[0], file: stage!.file }).toEqual(stage);
  });

  it('chooses the YUV matrix a browser would: by tag, else BT.709 from 720 lines up', () => {
    const hd = { ...videoAsset('h', 1), probe: { ...videoAsset('h', 1).probe, width: 1280, height: 720 } };
    expect(untaggedMatrix(hd)).toBe('bt709');
    expect(untaggedMatrix({ ...hd, probe: { ...hd.probe, height: 719 } })).toBe('bt601');
    expect(untaggedMatrix({ ...hd, kind: 'image' })).toBe('bt601');
    expect(matrixFromTag('bt709')).toBe('bt709');
    expect(matrixFromTag('smpte170m')).toBe('bt601');
    expect(matrixFromTag('bt470bg')).toBe('bt601');
    expect(matrixFromTag('bt2020nc')).toBe('bt2020');
    expect(matrixFromTag('unknown')).toBeNull();
    expect(matrixFromTag(null)).toBeNull();
    // The probe's recorded tag wins over the height rule; an unusable tag falls back to it.
    const tags = (matrix: string | null) => ({ ...hd, probe: { ...hd.probe, color: { matrix, primaries: null, transfer: null, range: null } } });
    expect(sourceMatrix(tags('smpte170m'))).toBe('bt601');
    expect(sourceMatrix(tags('bt2020nc'))).toBe('bt2020');
    expect(sourceMatrix(tags(null))).toBe('bt709');
    expect(sourceMatrix(tags('fcc'))).toBe('bt709');
    expect(sourceMatrix({ ...tags('bt709'), kind: 'image' })).toBe('bt601');
  });

  it('compiles the tagged matrix into the stage, so the plan needs no probing afterwards', () => {
    let st = timeline();
    const a = clipOf(st, 'a');
    st = run(st, 'clip.setGrade', { clipId: a.id, grade: grade() });
    const asset = st.assets[a.assetId]!;
    const tagged = { ...st, assets: { ...st.assets, [asset.id]: { ...asset, probe: { ...asset.probe, color: { matrix: 'bt709', primaries: 'bt709', transfer: 'bt709', range: 'tv' } } } } };
    expect(lut3dStages(compileRenderPlan(st, { width: 1280, height: 720, fit: 'fit' }))[0]!.matrix).toBe('bt601'); // 320x240, untagged
    const [stage] = lut3dStages(compileRenderPlan(tagged, { width: 1280, height: 720, fit: 'fit' }));
    expect(stage!.matrix).toBe('bt709');
    expect(buildFilterGraph(compileRenderPlan(tagged, { width: 1280, height: 720, fit: 'fit' })).graph).toContain('scale=in_color_matrix=bt709,format=gbrp,');
  });

  it('escapes paths for the filter graph only when needed', () => {
    expect(escapeFilterPath('/tmp/plain/x.cube')).toBe('/tmp/plain/x.cube');
    expect(escapeFilterPath("/a b/it's:here,[x];y.cube")).toBe("\\'/a b/it\\'\\\\\\'\\'s:here\\,\\[x\\]\\;y.cube\\'");
  });
});
