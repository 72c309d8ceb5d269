/** OTIO writer: the JSON has the fields OTIO 0.17/0.18 requires of each schema, and places every cut on its frame. */
import { describe, expect, it } from 'vitest';
import { writeOtio } from '../../../app/interchange/otio.js';
import { mediaPath, writerState } from './fixtures.js';

type J = Record<string, any>;

/** Required fields per schema, as OTIO's own serializer writes them. */
const REQUIRED: Record<string, string[]> = {
  'Timeline.1': ['name', 'metadata', 'global_start_time', 'tracks'],
  'Stack.1': ['name', 'metadata', 'source_range', 'effects', 'markers', 'enabled', 'children'],
  'Track.1': ['name', 'metadata', 'source_range', 'effects', 'markers', 'enabled', 'children', 'kind'],
  'Clip.2': ['name', 'metadata', 'source_range', 'effects', 'markers', 'enabled', 'media_references', 'active_media_reference_key'],
  'Gap.1': ['name', 'metadata', 'source_range', 'effects', 'markers', 'enabled'],
  'ExternalReference.1': ['name', 'metadata', 'available_range', 'available_image_bounds', 'target_url'],
  'RationalTime.1': ['rate', 'value'],
  'TimeRange.1': ['start_time', 'duration'],
  'LinearTimeWarp.1': ['name', 'metadata', 'effect_name', 'time_scalar'],
  'Marker.2': ['name', 'metadata', 'color', 'marked_range', 'comment'],
};

function walk(v: unknown, visit: (o: J) => void): void {
  if (Array.isArray(v)) v.forEach((x) => walk(x, visit));
  else if (v && typeof v === 'object') {
    if ('OTIO_SCHEMA' in (v as J)) visit(v as J);
    Object.values(v as J).forEach((x) => walk(x, visit));
  }
}

const frames = (rt: J) => rt.value as number;

describe('OTIO writer', () => {
  const { text, warnings } = writeOtio(writerState(), { mediaPath });
  const doc = JSON.parse(text) as J;

  it('uses only known schemas, each with all of its fields', () => {
    const seen = new Set<string>();
    walk(doc, (o) => {
      seen.add(o.OTIO_SCHEMA);
      const required = REQUIRED[o.OTIO_SCHEMA as string];
      expect(required, o.OTIO_SCHEMA).toBeDefined();
      for (const f of required ?? []) expect(o, `${o.OTIO_SCHEMA}.${f}`).toHaveProperty(f);
      if (o.OTIO_SCHEMA === 'RationalTime.1') {
        expect(o.rate).toBe(30);
        expect(Number.isFinite(o.value)).toBe(true);
      }
    });
    expect([...seen].sort()).toEqual(['Clip.2', 'ExternalReference.1', 'Gap.1', 'LinearTimeWarp.1', 'Marker.2', 'RationalTime.1', 'Stack.1', 'TimeRange.1', 'Timeline.1', 'Track.1']);
  });

  it('stacks tracks bottom first with their kinds', () => {
    const tracks = doc.tracks.children as J[];
    expect(tracks.map((t) => [t.name, t.kind])).toEqual([['V1', 'Video'], ['V2', 'Video'], ['Music', 'Audio']]);
  });

  it('lays V1 out as clip, gap, 2× clip, reversed clip on exact frames', () => {
    const v1 = doc.tracks.children[0].children as J[];
    expect(v1.map((c) => c.OTIO_SCHEMA)).toEqual(['Clip.2', 'Gap.1', 'Clip.2', 'Clip.2']);
    const ranges = v1.map((c) => [frames(c.source_range.start_time), frames(c.source_range.duration)]);
    expect(ranges).toEqual([[30, 60], [0, 30], [30, 30], [150, 30]]);
    expect(v1[2]!.effects).toEqual([expect.objectContaining({ OTIO_SCHEMA: 'LinearTimeWarp.1', time_scalar: 2 })]);
    expect(v1[3]!.effects[0].time_scalar).toBe(-1);
    // V2 starts at 1 s: a 30-frame gap first.
    const v2 = doc.tracks.children[1].children as J[];
    expect(v2.map((c) => [c.OTIO_SCHEMA, frames(c.source_range.duration)])).toEqual([['Gap.1', 30], ['Clip.2', 15]]);
  });

  it('references media by file URL, with available ranges', () => {
    const ref = doc.tracks.children[0].children[0].media_references.DEFAULT_MEDIA as J;
    expect(ref.target_url).toBe('file:///projects/Film%20One/media/aaaa.mp4');
    expect(frames(ref.available_range.duration)).toBe(300);
    expect(doc.tracks.children[2].children[1].media_references.DEFAULT_MEDIA.target_url).toBe('file:///projects/Film%20One/media/cccc.wav');
  });

  it('marks the shot, keeps Shotline effects in metadata, and never writes the prompt', () => {
    const c1 = doc.tracks.children[0].children[0] as J;
    expect(c1.markers).toEqual([expect.objectContaining({ name: 'Opening', comment: 'wide' })]);
    const gen = doc.tracks.children[0].children[2] as J;
    expect(gen.metadata.shotline.provenance).toEqual({ source: 'generated', backend: 'local-onnx', model: 'tiny', seed: 7, createdAt: '2026-01-01T00:00:00Z' });
    expect(text).not.toContain('secret prompt');
    expect(doc.tracks.children[1].children[1].metadata.shotline.volume).toBe(0.5);
    expect(warnings).toEqual([]);
  });
});
