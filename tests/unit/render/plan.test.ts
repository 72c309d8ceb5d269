import { describe, expect, it } from 'vitest';
import { ShotlineError } from '../../../app/errors.js';
import { compileRenderPlan, frameIndex, type BaseSegment, type RenderPlan, type VideoClipSegment } from '../../../app/render/plan.js';
import { flicksPerFrame } from '../../../app/time/flicks.js';
import { videoAsset } from '../../helpers/state.js';
import { audioAsset, clip, imageAsset, s, timeline, track } from './fixtures.js';

const OUT = { width: 1080, height: 1920, fit: 'fit' as const };

function clipSegs(segs: BaseSegment[]): VideoClipSegment[] {
  return segs.filter((x): x is VideoClipSegment => x.type === 'clip');
}

/** Base segments must tile [0, frameCount) with no hole or overlap. */
function expectTiles(plan: RenderPlan) {
  let at = 0;
  for (const seg of plan.base) {
    expect(seg.startFrame).toBe(at);
    expect(seg.endFrame).toBeGreaterThan(seg.startFrame);
    at = seg.endFrame;
  }
  expect(at).toBe(plan.frameCount);
}

describe('compileRenderPlan', () => {
  it('rejects an empty timeline with invalid_input', () => {
    const st = timeline({});
    expect(() => compileRenderPlan(st, OUT)).toThrowError(ShotlineError);
    try {
      compileRenderPlan(st, OUT);
    } catch (e) {
      expect((e as ShotlineError).code).toBe('invalid_input');
      expect((e as ShotlineError).message).toBe('The timeline is empty');
    }
  });

  it('rejects odd or zero output sizes', () => {
    const st = timeline({ assets: [videoAsset('a', 5)], clips: [clip('c1', 'v1', 'a', 0, 0, 1)] });
    expect(() => compileRenderPlan(st, { ...OUT, width: 1081 })).toThrow(/even/);
    expect(() => compileRenderPlan(st, { ...OUT, height: 0 })).toThrow(/not valid/);
  });

  it('takes size, fit, fps, sample rate and duration from the options, settings and timeline', () => {
    const st = timeline({ assets: [videoAsset('a', 5)], clips: [clip('c1', 'v1', 'a', 0, 1, 3)] });
    st.settings.fps = { num: 25, den: 1 };
    st.settings.sampleRate = 44100;
    const plan = compileRenderPlan(st, { width: 1280, height: 720, fit: 'fill' });
    expect(plan).toMatchObject({ width: 1280, height: 720, fit: 'fill', fps: { num: 25, den: 1 }, sampleRate: 44100, channels: 2 });
    expect(plan.durationFlicks).toBe(s(2));
    expect(plan.frameCount).toBe(50);
  });

  it('lays the base track out as ordered clip segments with black gaps, including a trailing gap', () => {
    const st = timeline({
      assets: [videoAsset('a', 5), videoAsset('b', 5), audioAsset('m', 10)],
      clips: [
        // Inserted out of order on purpose: the plan orders by timeline start.
        clip('c2', 'v1', 'b', 3, 0.5, 2.5),
        clip('c1', 'v1', 'a', 0, 1, 3),
        clip('m1', 'a1', 'm', 0, 0, 6),
      ],
    });
    const plan = compileRenderPlan(st, OUT);
    expect(plan.durationFlicks).toBe(s(6));
    expect(plan.base.map((x) => [x.type, x.startFrame, x.endFrame])).toEqual([
      ['clip', 0, 60],
      ['gap', 60, 90],
      ['clip', 90, 150],
      ['gap', 150, 180],
    ]);
    const [c1, c2] = clipSegs(plan.base);
    expect(c1).toMatchObject({ clipId: 'c1', startFlicks: 0, endFlicks: s(2) });
    expect(plan.inputs[c1!.input]).toMatchObject({ clipId: 'c1', path: 'media/a.mp4', media: 'video', sourceInFlicks: s(1), readFlicks: s(2) });
    expect(plan.inputs[c2!.input]).toMatchObject({ clipId: 'c2', path: 'media/b.mp4', sourceInFlicks: s(0.5), readFlicks: s(2) });
    expect(plan.base[1]).toMatchObject({ type: 'gap', startFlicks: s(2), endFlicks: s(3) });
    expectTiles(plan);
  });

  it('fills the whole picture with black when no video track has clips', () => {
    const st = timeline({ assets: [audioAsset('m', 3)], clips: [clip('m1', 'a1', 'm', 0.5, 0, 2)] });
    const plan = compileRenderPlan(st, OUT);
    expect(plan.base).toEqual([{ type: 'gap', startFlicks: 0, endFlicks: s(2.5), startFrame: 0, endFrame: 75 }]);
    expect(plan.audio).toHaveLength(1);
  });

  it('gives every clip fps then conform stages; the base pads black, overlays pad transparent', () => {
    const st = timeline({
      assets: [videoAsset('a', 5), imageAsset('logo')],
      tracks: [track('v2', 'video', 1)],
      clips: [clip('c1', 'v1', 'a', 0, 0, 4), clip('o1', 'v2', 'logo', 1, 0, 2)],
    });
    const plan = compileRenderPlan(st, OUT);
    const base = clipSegs(plan.base)[0]!;
    expect(base.stages).toEqual([
      { kind: 'fps', rate: { num: 30, den: 1 } },
      { kind: 'conform', width: 1080, height: 1920, fit: 'fit', padding: 'black', matrix: 'bt601' },
    ]);
    expect(plan.overlays).toHaveLength(1);
    const ov = plan.overlays[0]!;
    expect(ov).toMatchObject({ trackId: 'v2', trackIndex: 1 });
    expect(ov.clips.map((c) => [c.clipId, c.startFrame, c.endFrame])).toEqual([['o1', 30, 90]]);
    expect(ov.clips[0]!.stages[1]).toMatchObject({ kind: 'conform', padding: 'transparent' });
  });

  it("conform names the matrix of the frames it gets: the source's, or BT.709 after a grade's LUT", () => {
    const hd = videoAsset('hd', 5, { probe: { durationFlicks: s(5), hasVideo: true, hasAudio: false, width: 1920, height: 1080, fps: { num: 30, den: 1 } } });
    const tagged = videoAsset('sd709', 5, { probe: { ...videoAsset('x', 5).probe, color: { matrix: 'bt709', primaries: null, transfer: null, range: null } } });
    const st = timeline({
      assets: [videoAsset('sd', 5), hd, tagged, imageAsset('still')],
      clips: [clip('c1', 'v1', 'sd', 0, 0, 1), clip('c2', 'v1', 'hd', 1, 0, 1), clip('c3', 'v1', 'sd709', 2, 0, 1), clip('c4', 'v1', 'still', 3, 0, 1)],
    });
    const matrices = clipSegs(compileRenderPlan(st, OUT).base).map((seg) => seg.stages.flatMap((x) => (x.kind === 'conform' ? [x.matrix] : [])));
    expect(matrices).toEqual([['bt601'], ['bt709'], ['bt709'], ['bt601']]);
  });

  it('orders overlay layers bottom-up by track index', () => {
    const st = timeline({
      assets: [videoAsset('a', 5)],
      tracks: [track('v3', 'video', 2), track('v2', 'video', 1)],
      clips: [clip('c1', 'v1', 'a', 0, 0, 2), clip('x', 'v3', 'a', 0, 0, 1), clip('y', 'v2', 'a', 0, 0, 1)],
    });
    expect(compileRenderPlan(st, OUT).overlays.map((o) => o.trackId)).toEqual(['v2', 'v3']);
  });

  it('holds images for the clip length and reads them from time 0', () => {
    const st = timeline({ assets: [imageAsset('still')], clips: [clip('i1', 'v1', 'still', 0, 2, 5)] });
    const plan = compileRenderPlan(st, OUT);
    expect(plan.inputs).toEqual([
      { index: 0, clipId: 'i1', assetId: 'still', assetName: 'still.png', path: 'media/still.png', media: 'image', sourceInFlicks: 0, readFlicks: s(3) },
    ]);
    expect(plan.base).toHaveLength(1);
    expect(plan.audio).toEqual([]);
  });

  it('collects audio from video-track clips with sound and from audio tracks, with volume and fades', () => {
    const silentVideo = videoAsset('quiet', 5, { probe: { ...videoAsset('q', 5).probe, hasAudio: false } });
    const st = timeline({
      assets: [videoAsset('a', 5), silentVideo, audioAsset('m', 10), imageAsset('still')],
      clips: [
        clip('c1', 'v1', 'a', 0, 1, 3, { volume: 0.5, fadeInFlicks: s(0.25) }),
        clip('c2', 'v1', 'quiet', 2, 0, 1),
        clip('c3', 'v1', 'still', 3, 0, 1),
        clip('m1', 'a1', 'm', 0.5, 2, 4, { fadeOutFlicks: s(1) }),
      ],
    });
    const plan = compileRenderPlan(st, OUT);
    expect(plan.audio.map((a) => a.clipId)).toEqual(['c1', 'm1']);
    const [a1, m1] = plan.audio;
    expect(a1).toMatchObject({ trackId: 'v1', startFlicks: 0, endFlicks: s(2), sourceInFlicks: s(1), sourceOutFlicks: s(3), volume: 0.5, fadeInFlicks: s(0.25), fadeOutFlicks: 0 });
    expect(m1).toMatchObject({ trackId: 'a1', startFlicks: s(0.5), endFlicks: s(2.5), sourceInFlicks: s(2), sourceOutFlicks: s(4), volume: 1, fadeOutFlicks: s(1) });
    expect(plan.inputs[m1!.input]).toMatchObject({ media: 'audio', sourceInFlicks: s(2), readFlicks: s(2) });
    // Every source is conformed to the project rate in stereo before it is cut and mixed.
    for (const a of plan.audio) expect(a.stages).toEqual([{ kind: 'conform', sampleRate: 48000, layout: 'stereo' }]);
  });

  it('shares one input between a clip picture and its sound; the same asset twice gets two inputs', () => {
    const st = timeline({ assets: [videoAsset('a', 5)], clips: [clip('c1', 'v1', 'a', 0, 0, 1), clip('c2', 'v1', 'a', 1, 2, 3)] });
    const plan = compileRenderPlan(st, OUT);
    expect(plan.inputs).toHaveLength(2);
    const segs = clipSegs(plan.base);
    expect(plan.audio.map((a) => a.input)).toEqual(segs.map((x) => x.input));
    expect(plan.inputs.map((i) => i.sourceInFlicks)).toEqual([0, s(2)]);
  });

  it('leaves muted tracks out of the mix but keeps their pictures', () => {
    const st = timeline({
      assets: [videoAsset('a', 5), audioAsset('m', 5)],
      clips: [clip('c1', 'v1', 'a', 0, 0, 2), clip('m1', 'a1', 'm', 0, 0, 2)],
    });
    st.tracks.v1 = { ...st.tracks.v1!, muted: true };
    st.tracks.a1 = { ...st.tracks.a1!, muted: true };
    const plan = compileRenderPlan(st, OUT);
    expect(plan.audio).toEqual([]);
    expect(clipSegs(plan.base).map((x) => x.clipId)).toEqual(['c1']);
    st.tracks.a1 = { ...st.tracks.a1, muted: false };
    expect(compileRenderPlan(st, OUT).audio.map((a) => a.clipId)).toEqual(['m1']);
  });

  it('tiles exactly at 29.97 fps with boundaries that are not on frames', () => {
    const st = timeline({
      assets: [videoAsset('a', 60)],
      clips: [clip('c1', 'v1', 'a', 0, 0, 1.234), clip('c2', 'v1', 'a', 1.234, 3, 4.5), clip('c3', 'v1', 'a', 3.9, 10, 13.3)],
    });
    st.settings.fps = { num: 30000, den: 1001 };
    const plan = compileRenderPlan(st, OUT);
    expectTiles(plan);
    expect(plan.frameCount).toBe(Math.round(plan.durationFlicks / flicksPerFrame(st.settings.fps)));
    expect(plan.base.map((x) => x.type)).toEqual(['clip', 'clip', 'gap', 'clip']);
  });

  it('drops pictures shorter than half a frame and resolves touching rounded boundaries', () => {
    const f = flicksPerFrame({ num: 30, den: 1 });
    const st = timeline({ assets: [videoAsset('a', 5)], clips: [] });
    // c1 ends 0.4 frame after frame 30; a 0.05-frame clip follows; c2 starts right after
    // it. All three boundaries round to frame 30: the tiny clip has no picture.
    st.clips.c1 = { ...clip('c1', 'v1', 'a', 0, 0, 1), outFlicks: 30.4 * f };
    st.clips.tiny = { ...clip('tiny', 'v1', 'a', 0, 0, 1), startFlicks: 30.4 * f, inFlicks: 0, outFlicks: 0.05 * f };
    st.clips.c2 = { ...clip('c2', 'v1', 'a', 0, 0, 1), startFlicks: 30.45 * f };
    const plan = compileRenderPlan(st, OUT);
    expectTiles(plan);
    expect(clipSegs(plan.base).map((x) => x.clipId)).toEqual(['c1', 'c2']);
    // The tiny clip still plays its sound.
    expect(plan.audio.map((a) => a.clipId)).toContain('tiny');
  });

  it('names a clip whose asset is gone', () => {
    const st = timeline({ clips: [clip('c1', 'v1', 'ghost', 0, 0, 1)] });
    expect(() => compileRenderPlan(st, OUT)).toThrow(/no longer in the project/);
  });

  it('frameIndex rounds to the nearest output frame', () => {
    const rate = { num: 24000, den: 1001 };
    const f = flicksPerFrame(rate);
    expect(frameIndex(10 * f, rate)).toBe(10);
    expect(frameIndex(10 * f + f / 2 - 1, rate)).toBe(10);
    expect(frameIndex(10 * f + f / 2 + 1, rate)).toBe(11);
  });
});
