/** Time ruler: timecode labels, ticks, I/O range; click or drag on it to move the playhead. */
import { memo, type CSSProperties, type PointerEvent as ReactPointerEvent } from 'react';
import { FLICKS_PER_SECOND, frameToFlicks, rateToNumber, snapToFrame, type Flicks, type Rational } from '@app/time/flicks';
import { formatTimecode, timecodeSecondLength, timecodeSecondStart } from '@app/time/timecode';
import { useProject } from '../../state/project';
import { useUi } from '../../state/ui';
import { windowFor, type LaneView } from './windowing';
import { Playhead } from './Playhead';
import { SNAP_PX, snapShift, snapTargets, tickStep, toFlicks, toPx } from './geometry';

function seekFromPointer(e: { clientX: number }, el: HTMLElement, snap: boolean): void {
  const state = useProject.getState().state;
  if (!state) return;
  const ui = useUi.getState();
  let t = Math.max(0, toFlicks(e.clientX - el.getBoundingClientRect().left, ui.zoom));
  if (snap && ui.snapping) t += snapShift([t], snapTargets(state.clips, null, [ui.markIn, ui.markOut]), toFlicks(SNAP_PX, ui.zoom));
  ui.setPlayhead(snapToFrame(Math.max(0, t), state.settings.fps));
}

function onPointerDown(e: ReactPointerEvent<HTMLDivElement>): void {
  if (e.button !== 0) return;
  const el = e.currentTarget;
  el.setPointerCapture(e.pointerId);
  useUi.getState().setRate(0);
  seekFromPointer(e, el, !e.altKey);
  const move = (ev: PointerEvent) => seekFromPointer(ev, el, !ev.altKey);
  const up = () => {
    el.removeEventListener('pointermove', move);
    el.removeEventListener('pointerup', up);
    el.removeEventListener('pointercancel', up);
  };
  el.addEventListener('pointermove', move);
  el.addEventListener('pointerup', up);
  el.addEventListener('pointercancel', up);
}

/**
 * Ruler labels: the project's timecode (formatTimecode), the same text the viewer shows.
 * Whole-second steps are placed where that timecode second begins (at 29.97 the second
 * "00:01:00;02" starts 60.06 s in), so a label is exactly the timecode of the frame under
 * it; finer steps are frame multiples.
 */
export function rulerLabels(widthPx: number, zoom: number, fps: Rational, major: number, fromPx = 0): { at: Flicks; text: string }[] {
  const out: { at: Flicks; text: string }[] = [];
  const endFlicks = (widthPx / zoom) * FLICKS_PER_SECOND;
  // Labels from one step before `fromPx` (the windowed lanes' range): an hour-long timeline
  // would otherwise carry thousands of labels nobody can see.
  const fromSeconds = Math.max(0, fromPx / zoom);
  if (major >= 1) {
    for (let sec = Math.max(0, (Math.floor(fromSeconds / major) - 1) * major); ; sec += major) {
      const at = timecodeSecondStart(sec, fps);
      if (at > endFlicks) break;
      out.push({ at, text: formatTimecode(at, fps) });
    }
  } else {
    const step = Math.max(1, Math.round(major * rateToNumber(fps)));
    for (let frame = Math.max(0, (Math.floor((fromSeconds * rateToNumber(fps)) / step) - 1) * step); ; frame += step) {
      const at = frameToFlicks(frame, fps);
      if (at > endFlicks) break;
      out.push({ at, text: formatTimecode(at, fps) });
    }
  }
  return out;
}

export const Ruler = memo(function Ruler({ width, zoom, fps, view }: { width: number; zoom: number; fps: Rational; view: LaneView }) {
  const markIn = useUi((s) => s.markIn);
  const markOut = useUi((s) => s.markOut);
  const { major, minor } = tickStep(zoom, rateToNumber(fps));
  const win = windowFor(view.pageLeft, view.viewport, zoom);
  const labels = rulerLabels(Math.min(width, toPx(win.to, zoom)), zoom, fps, major, toPx(win.from, zoom));
  // Ticks repeat at the real length of a timecode second (1.001 s at non-drop 23.976/29.97).
  const tick = major >= 1 ? timecodeSecondLength(fps) : 1;
  const inPx = markIn !== null ? (markIn / 705_600_000) * zoom : null;
  const outPx = markOut !== null ? (markOut / 705_600_000) * zoom : null;
  return (
    <div
      className="ruler"
      style={
        {
          width,
          '--minor': `${minor * tick * zoom}px`,
          '--major': `${major * tick * zoom}px`,
        } as CSSProperties
      }
      onPointerDown={onPointerDown}
      data-testid="ruler"
      title="Click or drag to move the playhead (Alt: no snapping)"
    >
      {labels.map((l) => (
        <span key={l.at} className="ruler__label" style={{ left: toPx(l.at, zoom) }} data-testid="ruler-label">
          {l.text}
        </span>
      ))}
      <Playhead variant="ruler" />
      {(inPx !== null || outPx !== null) && (
        <div
          className="ruler__range"
          data-testid="marks"
          data-in={markIn ?? ''}
          data-out={markOut ?? ''}
          style={{ left: inPx ?? 0, width: Math.max(2, (outPx ?? width) - (inPx ?? 0)) }}
        >
          {inPx !== null && <span className="ruler__mark ruler__mark--in" data-testid="mark-in" />}
          {outPx !== null && <span className="ruler__mark ruler__mark--out" data-testid="mark-out" />}
        </div>
      )}
    </div>
  );
});
