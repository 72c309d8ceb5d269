/** OTIO reader on hand-written files: nested stacks, gaps, transitions, markers, other rates, unknown schemas, missing media. */
import { describe, expect, it } from 'vitest';
import { OtioFormatError, parseOtio } from '../../../app/interchange/otio-read.js';
import { secondsToFlicks as s } from '../../../app/time/flicks.js';

const rt = (value: number, rate: number) => ({ OTIO_SCHEMA: 'RationalTime.1', rate, value });
const tr = (start: number, duration: number, rate: number) => ({ OTIO_SCHEMA: 'TimeRange.1', start_time: rt(start, rate), duration: rt(duration, rate) });
const clip = (name: string, url: string | null, start: number, dur: number, rate: number, extra: Record<string, unknown> = {}) => ({
  OTIO_SCHEMA: 'Clip.2',
  name,
  source_range: tr(start, dur, rate),
  media_references: { DEFAULT_MEDIA: url ? { OTIO_SCHEMA: 'ExternalReference.1', target_url: url } : { OTIO_SCHEMA: 'MissingReference.1' } },
  active_media_reference_key: 'DEFAULT_MEDIA',
  ...extra,
});
const gap = (dur: number, rate: number) => ({ OTIO_SCHEMA: 'Gap.1', source_range: tr(0, dur, rate) });
const track = (kind: string, children: unknown[], extra: Record<string, unknown> = {}) => ({ OTIO_SCHEMA: 'Track.1', name: kind, kind, children, ...extra });
const timeline = (children: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ OTIO_SCHEMA: 'Timeline.1', name: 'Rough cut', tracks: { OTIO_SCHEMA: 'Stack.1', children, ...extra } });

describe('OTIO reader', () => {
  it('lays out clips and gaps, turns transitions into cuts at the same frames, and reads speed', () => {
    const plan = parseOtio(
      timeline([
        track('Video', [
          clip('A', 'file:///m/a.mov', 24, 48, 24), // 1 s in, 2 s long
          { OTIO_SCHEMA: 'Transition.1', name: 'Dissolve', transition_type: 'SMPTE_Dissolve', in_offset: rt(6, 24), out_offset: rt(6, 24) },
          clip('B', 'file:///m/b.mov', 0, 24, 24, { effects: [{ OTIO_SCHEMA: 'LinearTimeWarp.1', effect_name: 'LinearTimeWarp', time_scalar: 2 }] }),
          gap(12, 24),
          clip('C', 'file:///m/a.mov', 48, 24, 24, { effects: [{ OTIO_SCHEMA: 'LinearTimeWarp.1', time_scalar: -1 }] }),
        ]),
      ]),
    );
    expect(plan.fps).toEqual({ num: 24, den: 1 });
    const v = plan.tracks[0]!.clips;
    expect(v.map((c) => [c.name, c.startFlicks, c.inFlicks, c.outFlicks, c.speed])).toEqual([
      ['A', 0, s(1), s(3), null],
      ['B', s(2), 0, s(2), { rate: 2, reverse: false }], // 1 s on the track uses 2 s of media
      ['C', s(3.5), s(2), s(3), { rate: 1, reverse: true }],
    ]);
    expect(plan.report).toMatchObject({ clips: 3, gaps: 1, transitionsAsCuts: 1 });
    expect(plan.report.dropped.join(' ')).toMatch(/1 transition imported as hard cuts/);
  });

  it('flattens nested stacks through their source range onto lanes', () => {
    const nested = {
      OTIO_SCHEMA: 'Stack.1',
      name: 'Compound',
      source_range: tr(12, 24, 24), // shows 0.5 s – 1.5 s of the compound
      children: [
        track('Video', [clip('N1', 'file:///m/n1.mov', 0, 24, 24), clip('N2', 'file:///m/n2.mov', 0, 24, 24)]),
        track('Video', [gap(6, 24), clip('N3', 'file:///m/n3.mov', 0, 48, 24)]),
      ],
    };
    const plan = parseOtio(timeline([track('Video', [gap(24, 24), nested, clip('After', 'file:///m/a.mov', 0, 24, 24)])]));
    const byName = Object.fromEntries(plan.tracks.flatMap((t, i) => t.clips.map((c) => [c.name, { track: i, start: c.startFlicks, in: c.inFlicks, out: c.outFlicks }])));
    // N1 is seen from its 0.5 s to its end, placed at 1 s; N2 from its start for 0.5 s at 1.5 s.
    expect(byName.N1).toEqual({ track: 0, start: s(1), in: s(0.5), out: s(1) });
    expect(byName.N2).toEqual({ track: 0, start: s(1.5), in: 0, out: s(0.5) });
    // N3 starts at 0.25 s inside the compound: seen from 0.25 s of its media, on the lane above.
    expect(byName.N3).toEqual({ track: 1, start: s(1), in: s(0.25), out: s(1.25) });
    expect(byName.After).toEqual({ track: 0, start: s(2), in: 0, out: s(1) });
    expect(plan.tracks.map((t) => t.name)).toEqual(['V1', 'V2']);
  });

  it('converts other rates to the project grid without overlaps', () => {
    // The project rate comes from the first time (30); these clips are cut at 24 and 25 fps.
    const plan = parseOtio(timeline([track('Video', [clip('x', 'file:///m/x.mov', 0, 30, 30), clip('y', 'file:///m/y.mov', 0, 5, 24), clip('z', 'file:///m/z.mov', 10, 5, 25)])]));
    const [x, y, z] = plan.tracks[0]!.clips;
    expect(plan.fps).toEqual({ num: 30, den: 1 });
    const frame = s(1 / 30);
    for (const c of [x!, y!, z!]) expect(c.startFlicks % frame).toBe(0);
    expect(y!.startFlicks).toBe(s(1));
    expect(y!.startFlicks + y!.durationFlicks).toBeLessThanOrEqual(z!.startFlicks);
    expect(z!.inFlicks).toBe(s(0.4));
  });

  it('reports markers, unknown schemas and missing references, keeps linked audio; never throws for them', () => {
    const plan = parseOtio(
      timeline(
        [
          track('Video', [
            clip('Hero', 'file:///m/hero.mov', 0, 48, 24, { markers: [{ OTIO_SCHEMA: 'Marker.2', name: 'Beat', marked_range: tr(24, 0, 24), comment: 'hit' }] }),
            { OTIO_SCHEMA: 'FancyWipe.3', source_range: tr(0, 24, 24) },
            clip('Lost', null, 0, 24, 24),
            clip('Gen', 'x', 0, 24, 24, { media_references: { DEFAULT_MEDIA: { OTIO_SCHEMA: 'GeneratorReference.1', generator_kind: 'SolidColor' } } }),
          ]),
          track('Audio', [clip('Hero', 'file:///m/hero.mov', 0, 48, 24), clip('Music', 'file:///m/music.wav', 0, 24, 24)]),
        ],
        { markers: [{ OTIO_SCHEMA: 'Marker.2', name: 'Top', marked_range: tr(48, 0, 24) }] },
      ),
    );
    expect(plan.report.markers).toEqual([
      { name: 'Beat', atFlicks: s(1), comment: 'hit' },
      { name: 'Top', atFlicks: s(2), comment: '' },
    ]);
    expect(plan.report.unknownSchemas).toEqual([{ schema: 'FancyWipe.3', count: 1 }, { schema: 'GeneratorReference.1', count: 1 }]);
    const video = plan.tracks.find((t) => t.kind === 'video')!.clips;
    // The wipe keeps its time: the missing clip comes after it.
    expect(video.map((c) => [c.name, c.startFlicks, c.targetUrl])).toEqual([['Hero', 0, 'file:///m/hero.mov'], ['Lost', s(3), null]]);
    // The picture's sound copy stays on the audio track (the importer links it to the picture).
    expect(plan.tracks.find((t) => t.kind === 'audio')!.clips.map((c) => c.name)).toEqual(['Hero', 'Music']);
    const dropped = plan.report.dropped.join('\n');
    expect(dropped).toMatch(/FancyWipe\.3/);
    expect(dropped).toMatch(/"Gen" uses a GeneratorReference\.1/);
    expect(dropped).not.toMatch(/merged/);
    expect(dropped).toMatch(/2 markers listed/);
  });

  it('refuses what is not an OTIO timeline with a clear error', () => {
    expect(() => parseOtio('{not json')).toThrow(OtioFormatError);
    expect(() => parseOtio(JSON.stringify({ OTIO_SCHEMA: 'Clip.2' }))).toThrow(/expected "Timeline.1"/);
    expect(() => parseOtio(JSON.stringify({ OTIO_SCHEMA: 'Timeline.1', tracks: {} }))).toThrow(/no track stack/);
  });
});
