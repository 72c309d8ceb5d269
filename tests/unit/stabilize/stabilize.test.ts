/**
 * Stabilize, pure parts: the command (do → undo → redo, invariants), content keys, filter
 * text (zoom modes, path escaping), the render stage's place in the plan and graph, and
 * the status views derive.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { execute } from '../../../app/commands/engine.js';
import { applyPatch } from '../../../app/commands/patch.js';
import { ShotlineError } from '../../../app/errors.js';
import { checkInvariants } from '../../../app/timeline/invariants.js';
import type { Clip, ProjectState } from '../../../app/model/types.js';
import { DEFAULT_EFFECTS } from '../../../app/model/types.js';
import { findPreset } from '../../../app/export/presets.js';
import { planToFfmpegArgs } from '../../../app/render/ffmpeg-args.js';
import { buildFilterGraph } from '../../../app/render/filtergraph.js';
import { compileRenderPlan } from '../../../app/render/plan.js';
import { deshakeFilter, escapeFilterValue, vidstabDetectFilter, vidstabTransformFilter } from '../../../app/stabilize/filters.js';
import { analysisKey, analysisSpecFor, previewKey, previewSpecFor, stabilizeStageFor, transformsPathFor } from '../../../app/stabilize/keys.js';
import { resolveStabilizePaths, stabilizeStages } from '../../../app/render/stabilize-stages.js';
import { sha256Hex } from '../../../app/util/sha256.js';
import { stabilizeStatus } from '../../../app/stabilize/status.js';
import type { StabilizeSettings } from '../../../app/model/stabilize.js';
import { secondsToFlicks as s } from '../../../app/time/flicks.js';
import { counterIds, stateWithAssets, videoAsset } from '../../helpers/state.js';

function run(state: ProjectState, command: 'clip.setStabilize', args: unknown): ProjectState {
  const done = execute(state, command, args, counterIds());
  const next = applyPatch(state, done.entry.patch);
  expect(checkInvariants(next)).toEqual([]);
  const undone = applyPatch(next, done.entry.inverse);
  expect(undone).toEqual(state);
  expect(applyPatch(undone, done.entry.patch)).toEqual(next);
  return next;
}

function withClip(effects: Partial<Clip['effects']> = {}): ProjectState {
  const st = stateWithAssets(videoAsset('a', 4), { ...videoAsset('img', 1), kind: 'image' });
  st.clips.c1 = { id: 'c1', trackId: 'v1', assetId: 'a', startFlicks: 0, inFlicks: s(0.5), outFlicks: s(3), shotId: null, effects: { ...DEFAULT_EFFECTS, ...effects } };
  st.clips.c2 = { id: 'c2', trackId: 'v1', assetId: 'img', startFlicks: s(3), inFlicks: 0, outFlicks: s(1), shotId: null, effects: DEFAULT_EFFECTS };
  return st;
}

const ON: StabilizeSettings = { enabled: true, smoothing: 15, zoomMode: 'black-borders' };

describe('clip.setStabilize', () => {
  it('turns the effect on with defaults, merges changes, removes it; every step undoes and redoes', () => {
    let st = withClip();
    st = run(st, 'clip.setStabilize', { clipId: 'c1', stabilize: {} });
    expect(st.clips.c1!.effects.stabilize).toEqual({ enabled: true, smoothing: 15, zoomMode: 'black-borders' });
    st = run(st, 'clip.setStabilize', { clipId: 'c1', stabilize: { smoothing: 30, zoomMode: 'fixed-zoom', zoomPercent: 8 } });
    expect(st.clips.c1!.effects.stabilize).toEqual({ enabled: true, smoothing: 30, zoomMode: 'fixed-zoom', zoomPercent: 8 });
    st = run(st, 'clip.setStabilize', { clipId: 'c1', stabilize: { enabled: false } });
    expect(st.clips.c1!.effects.stabilize!.enabled).toBe(false);
    expect(st.clips.c1!.effects.volume).toBe(1);
    st = run(st, 'clip.setStabilize', { clipId: 'c1', stabilize: null });
    expect(st.clips.c1!.effects).toEqual(DEFAULT_EFFECTS);
  });

  it('an unchanged value is a no-op (no history entry)', () => {
    const st = withClip({ stabilize: ON });
    expect(execute(st, 'clip.setStabilize', { clipId: 'c1', stabilize: { smoothing: 15 } }, counterIds()).entry.patch).toEqual({});
  });

  it('rejects bad values, unknown keys, stills and missing clips', () => {
    const st = withClip();
    for (const bad of [{ smoothing: -1 }, { smoothing: 1.5 }, { smoothing: 9999 }, { zoomMode: 'zoom' }, { shakiness: 11 }, { accuracy: 0 }, { zoomPercent: 80 }, { colour: 1 }]) {
      expect(() => execute(st, 'clip.setStabilize', { clipId: 'c1', stabilize: bad }, counterIds())).toThrow(ShotlineError);
    }
    expect(() => execute(st, 'clip.setStabilize', { clipId: 'c2', stabilize: {} }, counterIds())).toThrow(/Only video clips/);
    expect(() => execute(st, 'clip.setStabilize', { clipId: 'nope', stabilize: {} }, counterIds())).toThrow(/does not exist/);
  });
});

describe('content keys', () => {
  it('sha256 matches node:crypto', () => {
    for (const t of ['', 'abc', 'ü'.repeat(70), 'x'.repeat(64)]) expect(sha256Hex(t)).toBe(createHash('sha256').update(t).digest('hex'));
  });

  it('the analysis key follows asset, span and detect settings only; the preview key also follows transform settings', () => {
    const a = videoAsset('a', 4);
    const clip = { inFlicks: s(1), outFlicks: s(2) };
    const k = analysisKey(analysisSpecFor(clip, a, ON, 'vidstab'));
    expect(k).toMatch(/^[0-9a-f]{40}$/);
    expect(analysisKey(analysisSpecFor(clip, a, { ...ON, smoothing: 40, zoomMode: 'adaptive-zoom' }, 'vidstab'))).toBe(k);
    expect(analysisKey(analysisSpecFor({ ...clip, outFlicks: s(2.5) }, a, ON, 'vidstab'))).not.toBe(k);
    expect(analysisKey(analysisSpecFor(clip, { sha256: 'f'.repeat(64) }, ON, 'vidstab'))).not.toBe(k);
    expect(analysisKey(analysisSpecFor(clip, a, { ...ON, shakiness: 9 }, 'vidstab'))).not.toBe(k);
    expect(analysisKey(analysisSpecFor(clip, a, ON, 'deshake'))).not.toBe(k);
    const p = previewKey(previewSpecFor(ON, k, 'vidstab'));
    expect(previewKey(previewSpecFor({ ...ON, enabled: false }, k, 'vidstab'))).toBe(p);
    expect(previewKey(previewSpecFor({ ...ON, smoothing: 16 }, k, 'vidstab'))).not.toBe(p);
    // zoomPercent only matters in fixed-zoom mode (vid.stab).
    expect(previewKey(previewSpecFor({ ...ON, zoomPercent: 9 }, k, 'vidstab'))).toBe(p);
    expect(previewKey(previewSpecFor({ ...ON, zoomMode: 'fixed-zoom', zoomPercent: 9 }, k, 'vidstab'))).not.toBe(previewKey(previewSpecFor({ ...ON, zoomMode: 'fixed-zoom', zoomPercent: 10 }, k, 'vidstab')));
  });
});

describe('filters', () => {
  it('maps the three zoom modes onto vidstabtransform', () => {
    const o = { smoothing: 12, zoomPercent: 7 };
    expect(vidstabTransformFilter('/p/t.trf', { ...o, zoomMode: 'black-borders' })).toBe('vidstabtransform=input=/p/t.trf:smoothing=12:optzoom=0:zoom=0:crop=black');
    expect(vidstabTransformFilter('/p/t.trf', { ...o, zoomMode: 'fixed-zoom' })).toBe('vidstabtransform=input=/p/t.trf:smoothing=12:optzoom=0:zoom=7:crop=black');
    expect(vidstabTransformFilter('/p/t.trf', { ...o, zoomMode: 'adaptive-zoom' })).toBe('vidstabtransform=input=/p/t.trf:smoothing=12:optzoom=2:zoomspeed=0.25:crop=black');
    expect(vidstabDetectFilter('/p/x.trf', { shakiness: 5, accuracy: 15 })).toBe('vidstabdetect=result=/p/x.trf:shakiness=5:accuracy=15');
    expect(deshakeFilter({ zoomMode: 'black-borders', zoomPercent: 5 })).toBe('deshake=rx=32:ry=32:edge=blank');
    expect(deshakeFilter({ zoomMode: 'fixed-zoom', zoomPercent: 25 })).toBe('deshake=rx=32:ry=32:edge=blank,crop=trunc(iw*0.8/2)*2:trunc(ih*0.8/2)*2');
  });

  it('escapes paths for both parsing levels of a filter graph', () => {
    expect(escapeFilterValue('/a b/c.trf')).toBe('/a b/c.trf');
    // ':' → '\:' (option level) → '\\:' (graph level: only the backslash is special there)
    expect(escapeFilterValue('C:/x')).toBe('C\\\\:/x');
    expect(escapeFilterValue("it's")).toBe("it\\\\\\'s");
    expect(escapeFilterValue('a,b;c[d]')).toBe('a\\,b\\;c\\[d\\]');
    expect(escapeFilterValue('a\\b')).toBe('a\\\\\\\\b');
  });
});

describe('render plan', () => {
  it('puts stabilize first (before fps and conform), only on enabled video clips, and compiles to vidstabtransform', () => {
    const st = withClip({ stabilize: { ...ON, zoomMode: 'fixed-zoom', zoomPercent: 6 } });
    const plan = compileRenderPlan(st, { width: 1280, height: 720, fit: 'fit' });
    const seg = plan.base.find((x) => x.type === 'clip' && x.clipId === 'c1');
    const still = plan.base.find((x) => x.type === 'clip' && x.clipId === 'c2');
    if (seg?.type !== 'clip' || still?.type !== 'clip') throw new Error('segments missing');
    expect(seg.stages.map((x) => x.kind)).toEqual(['stabilize', 'fps', 'conform']);
    expect(still.stages.map((x) => x.kind)).not.toContain('stabilize');
    const stage = stabilizeStages(plan)[0]!;
    expect(stage).toMatchObject({ method: 'vidstab', assetId: 'a', sourceInFlicks: s(0.5), sourceOutFlicks: s(3), smoothing: 15, zoomMode: 'fixed-zoom', zoomPercent: 6, shakiness: 5, accuracy: 15 });
    expect(stage.transformsPath).toBe(transformsPathFor(stage.analysisKey));
    expect(stabilizeStageFor(st.clips.c1!, st.assets.a!)).toEqual(stage);

    const args = planToFfmpegArgs(plan, findPreset('720p-draft')!, '/out/x.mp4', { resolvePath: (p) => `/proj dir/${p}` });
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    expect(graph).toContain(`[0:v:0]setpts=PTS-STARTPTS,vidstabtransform=input=/proj dir/${stage.transformsPath}:smoothing=15:optzoom=0:zoom=6:crop=black,fps=30/1,colormatrix=bt601:bt709,scale=`); // an SD source: converted into the export matrix

    const deshake = buildFilterGraph(compileRenderPlan(st, { width: 1280, height: 720, fit: 'fit' }, { stabilizeMethod: 'deshake' })).graph;
    expect(deshake).toContain('setpts=PTS-STARTPTS,deshake=rx=32:ry=32:edge=blank,crop=');
    expect(deshake).not.toContain('vidstab');
    expect(resolveStabilizePaths(plan, (p) => `/x/${p}`)).not.toBe(plan);

    const off = withClip({ stabilize: { ...ON, enabled: false } });
    expect(stabilizeStages(compileRenderPlan(off, { width: 1280, height: 720, fit: 'fit' }))).toEqual([]);
  });
});

describe('with loop (each iteration reads the span again, stabilize first)', () => {
  it('finds, resolves and switches the stages nested in loop iterations', () => {
    const st = withClip({ stabilize: ON, loop: { mode: 'count', count: 3, fillFlicks: 0, crossfadeFlicks: 0 } });
    const plan = compileRenderPlan(st, { width: 1280, height: 720, fit: 'fit' });
    const stages = stabilizeStages(plan);
    expect(stages).toHaveLength(3);
    expect(new Set(stages.map((x) => x.analysisKey)).size).toBe(1);
    const resolved = stabilizeStages(resolveStabilizePaths(plan, (p) => `/abs/${p}`));
    expect(resolved.every((x) => x.transformsPath.startsWith('/abs/media/derived/stab/'))).toBe(true);
    const opts = { width: 1280, height: 720, fit: 'fit' } as const;
    expect(stabilizeStages(compileRenderPlan(st, opts, { stabilizeMethod: 'deshake' })).map((x) => x.method)).toEqual(['deshake', 'deshake', 'deshake']);
    // The transforms file the export resolved reaches every iteration; the plan is final as compiled.
    const key = stages[0]!.analysisKey;
    const given = stabilizeStages(compileRenderPlan(st, opts, { stabilizeTransforms: { [key]: '/cache/x.trf' } }));
    expect(given.map((x) => x.transformsPath)).toEqual(['/cache/x.trf', '/cache/x.trf', '/cache/x.trf']);
    expect(stabilizeStages(compileRenderPlan(st, opts, { stabilizeTransforms: { other: '/cache/y.trf' } }))).toEqual(stages);
    const graph = buildFilterGraph(resolveStabilizePaths(plan, (p) => `/abs/${p}`)).graph;
    expect(graph.match(/setpts=PTS-STARTPTS,vidstabtransform=input=\/abs\//g)).toHaveLength(3);
  });
});

describe('status', () => {
  it('tells off, not analysed, analysed (with preview) and stale apart', () => {
    const st = withClip({ stabilize: ON });
    const clip = st.clips.c1!;
    const asset = st.assets.a!;
    expect(stabilizeStatus({ ...clip, effects: DEFAULT_EFFECTS }, asset, 'vidstab').state).toBe('off');
    expect(stabilizeStatus(clip, st.assets.img, 'vidstab').state).toBe('unsupported');
    const first = stabilizeStatus(clip, asset, 'vidstab');
    expect(first.state).toBe('not-analysed');
    const rec = { method: 'vidstab' as const, transformsPath: transformsPathFor(first.analysisKey!), inFlicks: clip.inFlicks, outFlicks: clip.outFlicks, shakiness: 5, accuracy: 15, clipIds: ['c1'], previews: { [first.previewKey!]: 'media/derived/stab/p.preview.mp4' }, analysedAt: '2026-01-01T00:00:00Z' };
    const analysed = { ...asset, derivatives: { stabilize: { [first.analysisKey!]: rec } } };
    expect(stabilizeStatus(clip, analysed, 'vidstab')).toMatchObject({ state: 'analysed', previewPath: 'media/derived/stab/p.preview.mp4' });
    // Another smoothing: still analysed, but that preview is not rendered yet.
    expect(stabilizeStatus({ ...clip, effects: { ...clip.effects, stabilize: { ...ON, smoothing: 40 } } }, analysed, 'vidstab')).toMatchObject({ state: 'analysed', previewPath: null });
    // Trimmed: the analysis no longer matches.
    expect(stabilizeStatus({ ...clip, outFlicks: s(2.9) }, analysed, 'vidstab').state).toBe('stale');
    expect(stabilizeStatus({ ...clip, id: 'other', outFlicks: s(2.9) }, analysed, 'vidstab').state).toBe('not-analysed');
  });
});
