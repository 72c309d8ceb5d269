// @vitest-environment jsdom
/** EDL against the CMX3600 column layout; FCPXML against the 1.10 structure Resolve and Final Cut read. */
import { describe, expect, it } from 'vitest';
import { reelNames, writeEdl } from '../../../app/interchange/edl.js';
import { fcpTime, writeFcpxml } from '../../../app/interchange/fcpxml.js';
import { mediaPath, writerState } from './fixtures.js';

const TC = /^\d\d:\d\d:\d\d:\d\d$/;

describe('CMX3600 EDL writer', () => {
  const { text, warnings } = writeEdl(writerState(), { mediaPath });
  const lines = text.split('\r\n');
  const events = lines.filter((l) => /^\d{3} /.test(l));

  it('starts with TITLE and FCM and uses CRLF line ends', () => {
    expect(lines[0]).toBe('TITLE: Writers <test>');
    expect(lines[1]).toBe('FCM: NON-DROP FRAME');
    expect(text).not.toMatch(/[^\r]\n/);
  });

  it('puts every field of an event line in its column', () => {
    expect(events).toHaveLength(3);
    for (const l of events) {
      expect(l.length).toBe(76);
      expect(l.slice(0, 3)).toMatch(/^\d{3}$/);
      expect(l.slice(3, 5)).toBe('  ');
      expect(l.slice(5, 13)).toMatch(/^[A-Z0-9_ ]{8}$/);
      expect(l.slice(14, 19).trim()).toMatch(/^(V|AA\/V)$/);
      expect(l.slice(20, 24)).toBe('C   ');
      for (const col of [29, 41, 53, 65]) expect(l.slice(col, col + 11)).toMatch(TC);
    }
  });

  it('places source and record times from the time map (01:00:00:00 record start)', () => {
    const t = (l: string) => [l.slice(29, 40), l.slice(41, 52), l.slice(53, 64), l.slice(65, 76)];
    expect(t(events[0]!)).toEqual(['00:00:01:00', '00:00:03:00', '01:00:00:00', '01:00:02:00']);
    // 2×: one second on the timeline uses two of the source.
    expect(t(events[1]!)).toEqual(['00:00:01:00', '00:00:03:00', '01:00:03:00', '01:00:04:00']);
    expect(t(events[2]!)).toEqual(['00:00:05:00', '00:00:06:00', '01:00:04:00', '01:00:05:00']);
  });

  it('writes speed as M2 lines, clip names as comments, and unique 8-char reels', () => {
    expect(lines).toContain('M2   BEACHTA1       060.0                00:00:01:00');
    expect(lines).toContain('M2   BEACHTAK       -030.0               00:00:05:00');
    expect(lines.filter((l) => l.startsWith('* FROM CLIP NAME: '))).toEqual(['* FROM CLIP NAME: Beach Take.mp4', '* FROM CLIP NAME: Beach Take 2.mp4', '* FROM CLIP NAME: Beach Take.mp4']);
    expect(events.map((l) => l.slice(5, 13))).toEqual(['BEACHTAK', 'BEACHTA1', 'BEACHTAK']);
    expect([...reelNames([{ key: 'a', name: 'x.mp4' }, { key: 'b', name: 'x.mov' }, { key: 'c', name: 'é!.mp4' }]).values()]).toEqual(['X', 'X1', 'REEL']);
    expect(warnings.join(' ')).toMatch(/only V1 is written/);
    expect(warnings.join(' ')).toMatch(/audio tracks are left out/);
  });
});

describe('FCPXML 1.10 writer', () => {
  const { text } = writeFcpxml(writerState(), { mediaPath });
  const doc = new DOMParser().parseFromString(text, 'text/xml');
  const secs = (t: string | null): number => {
    const m = /^(-?\d+)(?:\/(\d+))?s$/.exec(t ?? '');
    if (!m) throw new Error(`not an FCPXML time: ${t}`);
    return Number(m[1]) / Number(m[2] ?? 1);
  };

  it('is well-formed 1.10 with the library/event/project/sequence/spine chain', () => {
    expect(doc.querySelector('parsererror')).toBeNull();
    expect(doc.documentElement.tagName).toBe('fcpxml');
    expect(doc.documentElement.getAttribute('version')).toBe('1.10');
    expect(doc.querySelector('fcpxml > library > event > project > sequence > spine')).not.toBeNull();
    expect(text).toContain('<!DOCTYPE fcpxml>');
  });

  it('declares every referenced resource, with file URLs', () => {
    const ids = new Set([...doc.querySelectorAll('resources > *')].map((e) => e.getAttribute('id')));
    for (const el of doc.querySelectorAll('[ref], [format]')) {
      const ref = el.getAttribute('ref') ?? el.getAttribute('format');
      expect(ids.has(ref)).toBe(true);
    }
    const reps = [...doc.querySelectorAll('asset > media-rep')].map((e) => e.getAttribute('src'));
    expect(reps).toEqual(['file:///projects/Film%20One/media/aaaa.mp4', 'file:///projects/Film%20One/media/bbbb.mp4', 'file:///projects/Film%20One/media/cccc.wav']);
    expect([...doc.querySelectorAll('asset')].find((e) => e.getAttribute('name') === 'Score & Theme.wav')?.getAttribute('hasVideo')).toBe('0');
  });

  it('tiles the spine contiguously on the frame grid up to the sequence duration', () => {
    const spine = [...doc.querySelector('spine')!.children];
    expect(spine.map((e) => e.tagName)).toEqual(['asset-clip', 'gap', 'asset-clip', 'asset-clip']);
    let t = 0;
    for (const e of spine) {
      expect(secs(e.getAttribute('offset'))).toBeCloseTo(t, 9);
      t += secs(e.getAttribute('duration'));
    }
    expect(t).toBeCloseTo(secs(doc.querySelector('sequence')!.getAttribute('duration')), 9);
    expect(t).toBeCloseTo(5, 9);
    for (const e of doc.querySelectorAll('[offset], [start], [duration]'))
      for (const a of ['offset', 'start', 'duration']) if (e.hasAttribute(a)) expect(Number.isInteger(Math.round(secs(e.getAttribute(a)) * 30 * 1e6) / 1e6)).toBe(true);
  });

  it('connects upper and audio tracks on lanes at their timeline positions', () => {
    const lane1 = doc.querySelector('asset-clip[lane="1"]')!;
    const laneM1 = doc.querySelector('asset-clip[lane="-1"]')!;
    // V2 at 1 s sits on the first clip (local start 1 s): offset 2 s in its local time.
    expect(secs(lane1.getAttribute('offset'))).toBeCloseTo(2, 9);
    expect(lane1.querySelector('adjust-volume')?.getAttribute('amount')).toBe('-6.02dB');
    expect(secs(laneM1.getAttribute('offset'))).toBeCloseTo(1.5, 9);
    expect(secs(laneM1.getAttribute('start'))).toBeCloseTo(2, 9);
  });

  it('retimes with a timeMap before any connected clip', () => {
    const [fast, back] = [...doc.querySelectorAll('spine > asset-clip')].slice(1);
    const pts = [...fast!.querySelectorAll('timeMap > timept')].map((p) => [secs(p.getAttribute('time')), secs(p.getAttribute('value'))]);
    expect(pts).toEqual([[0, 0], [3, 6]]);
    expect(secs(fast!.getAttribute('start'))).toBeCloseTo(0.5, 9); // media 1 s at 2×
    const rev = [...back!.querySelectorAll('timeMap > timept')].map((p) => [secs(p.getAttribute('time')), secs(p.getAttribute('value'))]);
    expect(rev).toEqual([[0, 10], [10, 0]]);
    expect(secs(back!.getAttribute('start'))).toBeCloseTo(4, 9); // plays media 6 s → 5 s
    const first = doc.querySelector('spine > asset-clip')!;
    expect(first.firstElementChild?.tagName).toBe('asset-clip');
    expect(fcpTime(1, { num: 30000, den: 1001 })).toBe('1001/30000s');
    expect(fcpTime(60, { num: 30, den: 1 })).toBe('2s');
  });
});
