/** Ruler labels are the project's timecode of the frame under them, as the viewer shows it. */
import { describe, expect, it } from 'vitest';
import { FLICKS_PER_SECOND, frameAt, type Rational } from '../../app/time/flicks.js';
import { formatTimecode } from '../../app/time/timecode.js';
import { rulerLabels } from '../../renderer/src/components/timeline/Ruler.js';

describe('rulerLabels', () => {
  it('labels whole timecode seconds in HH:MM:SS:FF, placed where that second begins', () => {
    const fps: Rational = { num: 30000, den: 1001 };
    const zoom = 2; // px per second: a long stretch in few pixels
    const labels = rulerLabels(130 * zoom, zoom, fps, 30);
    expect(labels.map((l) => l.text)).toEqual(['00:00:00;00', '00:00:30;00', '00:01:00;02', '00:01:30;00', '00:02:00;02']);
    for (const l of labels) expect(formatTimecode(l.at, fps)).toBe(l.text);
    // 00:01:00;02 is frame 1800, 60.06 s in: labels sit on their frames, not on wall-clock seconds.
    expect(frameAt(labels[2]!.at, fps)).toBe(1800);
  });

  it('labels frames when zoomed in below a second', () => {
    const fps: Rational = { num: 24, den: 1 };
    const labels = rulerLabels(300, 600, fps, 5 / 24);
    expect(labels.map((l) => l.text)).toEqual(['00:00:00:00', '00:00:00:05', '00:00:00:10']);
    expect(labels[1]!.at).toBe((5 / 24) * FLICKS_PER_SECOND);
  });
});
