// Pure unit tests for the progress parsing shared by both engines (no ffmpeg needed).
import { describe, expect, it } from 'vitest';
import { FLICKS_PER_SECOND } from '../../../app/time/flicks.js';
import { LineSplitter, LineTail } from '../../../main/media/lines.js';
import { isProgressLine, parseClockUs, parseSpeed, parseStatsLine, ProgressBlockParser, ProgressTracker, type RawProgress } from '../../../main/media/progress-parser.js';

const BLOCK = (us: string, speed: string, progress: string) =>
  ['frame=12', 'fps=0.00', 'stream_0_0_q=-0.0', 'bitrate=N/A', 'total_size=N/A', `out_time_us=${us}`, `out_time_ms=${us}`, 'out_time=00:00:00.400000', 'dup_frames=0', 'drop_frames=0', `speed=${speed}`, `progress=${progress}`];

describe('ProgressBlockParser', () => {
  it('yields one report per block, at the progress= line', () => {
    const p = new ProgressBlockParser();
    const out: RawProgress[] = [];
    for (const line of [...BLOCK('400000', '1.5x', 'continue'), ...BLOCK('1000000', '2x', 'end')]) {
      const r = p.feedLine(line);
      if (r) out.push(r);
    }
    expect(out).toEqual([
      { outTimeUs: 400000, speed: 1.5, end: false },
      { outTimeUs: 1000000, speed: 2, end: true },
    ]);
  });

  it('handles N/A and negative times and falls back to out_time text', () => {
    const p = new ProgressBlockParser();
    expect(['out_time_us=N/A', 'out_time=N/A', 'speed=N/A', 'progress=continue'].map((l) => p.feedLine(l)).at(-1)).toEqual({ outTimeUs: null, speed: null, end: false });
    expect(['out_time_us=-23220', 'progress=continue'].map((l) => p.feedLine(l)).at(-1)?.outTimeUs).toBe(-23220);
    expect(['out_time=00:01:02.500000', 'progress=continue'].map((l) => p.feedLine(l)).at(-1)?.outTimeUs).toBe(62_500_000);
  });

  it('ignores log lines', () => {
    const p = new ProgressBlockParser();
    expect(p.feedLine('[mp4 @ 0x1] Starting second pass: moving the moov atom')).toBeNull();
    expect(isProgressLine('out_time_us=5')).toBe(true);
    expect(isProgressLine('Input #0, mov,mp4, from \'a.mp4\':')).toBe(false);
    expect(isProgressLine('/tmp/x.mp4: No space left on device')).toBe(false);
  });
});

describe('small parsers', () => {
  it('parses speed and clock values', () => {
    expect(parseSpeed('1.33e+04x')).toBe(13300);
    expect(parseSpeed('  0.5x')).toBe(0.5);
    expect(parseSpeed('N/A')).toBeNull();
    expect(parseClockUs('01:00:00.25')).toBe(3_600_250_000);
    expect(parseClockUs('-00:00:00.02')).toBe(-20_000);
    expect(parseClockUs('garbage')).toBeNull();
  });

  it('reads the wasm core stats lines', () => {
    expect(parseStatsLine('frame=    1 fps=0.0 q=-0.0 size=N/A time=00:00:00.04 bitrate=N/A speed=1.33e+04x    ')).toEqual({ outTimeUs: 40_000, speed: 13300, end: false });
    expect(parseStatsLine('frame=   25 fps=0.0 q=-0.0 Lsize=N/A time=00:00:01.00 bitrate=N/A speed=73.5x')).toEqual({ outTimeUs: 1_000_000, speed: 73.5, end: true });
    expect(parseStatsLine('size=N/A time=00:00:00.00 bitrate=N/A speed=N/A')).toEqual({ outTimeUs: 0, speed: null, end: false });
    expect(parseStatsLine('  Duration: 00:00:02.00, start: 0.000000, bitrate: 866 kb/s')).toBeNull();
  });
});

describe('ProgressTracker', () => {
  it('is monotonic, clamps, and ends at fraction 1 with ETA 0', () => {
    const t = new ProgressTracker(2 * FLICKS_PER_SECOND);
    const a = t.update({ outTimeUs: -20_000, speed: null, end: false });
    expect(a).toEqual({ fraction: 0, outTimeFlicks: 0, speed: null, etaSeconds: null });
    const b = t.update({ outTimeUs: 1_000_000, speed: 2, end: false });
    expect(b.fraction).toBeCloseTo(0.5, 9);
    expect(b.etaSeconds).toBeCloseTo(0.5, 9); // 1 s of media left at 2x
    const c = t.update({ outTimeUs: 500_000, speed: 2, end: false }); // a stream lagging behind
    expect(c.outTimeFlicks).toBe(b.outTimeFlicks);
    const d = t.update({ outTimeUs: 2_100_000, speed: 2, end: false });
    expect(d.fraction).toBe(1);
    expect(t.update({ outTimeUs: null, speed: null, end: true })).toMatchObject({ fraction: 1, etaSeconds: 0 });
  });

  it('has no fraction or ETA without an expected duration', () => {
    const t = new ProgressTracker();
    expect(t.update({ outTimeUs: 1_000_000, speed: 1, end: false })).toEqual({ fraction: null, outTimeFlicks: FLICKS_PER_SECOND, speed: 1, etaSeconds: null });
  });
});

describe('LineSplitter / LineTail', () => {
  it('splits on \\n, \\r\\n and \\r across chunk boundaries', () => {
    const s = new LineSplitter();
    expect(s.push('a=1\nb=')).toEqual(['a=1']);
    expect(s.push('2\r')).toEqual(['b=2']);
    expect(s.push('\nc=3\r\nd')).toEqual(['c=3']);
    expect(s.flush()).toEqual(['d']);
    expect(s.flush()).toEqual([]);
  });

  it('keeps only the last N lines', () => {
    const t = new LineTail(3);
    for (let i = 0; i < 10; i++) t.add(String(i));
    expect(t.get()).toEqual(['7', '8', '9']);
  });
});
