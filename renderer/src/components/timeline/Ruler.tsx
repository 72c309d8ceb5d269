/** Time ruler: timecode labels, ticks, I/O range; click or drag on it to move the playhead. */
import { memo, type CSSProperties, type PointerEvent as ReactPointerEvent } from 'react';
import { formatTimecode, rateToNumber, snapToFrame, type Rational } from '@app/time/flicks';
import { useProject } from '../../state/project';
import { useUi } from '../../state/ui';
import { Playhead } from './Playhead';
import { SNAP_PX, snapShift, snapTargets, tickStep, toFlicks } from './geometry';

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

/** "00:01:02:03" without the hour while under an hour. */
function label(seconds: number, fps: Rational): string {
  const tc = formatTimecode(Math.round(seconds * 705_600_000), fps);
  return seconds < 3600 ? tc.slice(3) : tc;
}

export const Ruler = memo(function Ruler({ width, zoom, fps }: { width: number; zoom: number; fps: Rational }) {
  const markIn = useUi((s) => s.markIn);
  const markOut = useUi((s) => s.markOut);
  const { major, minor } = tickStep(zoom, rateToNumber(fps));
  const labels: number[] = [];
  for (let s = 0; s * zoom < width; s += major) labels.push(s);
  const inPx = markIn !== null ? (markIn / 705_600_000) * zoom : null;
  const outPx = markOut !== null ? (markOut / 705_600_000) * zoom : null;
  return (
    <div
      className="ruler"
      style={
        {
          width,
          '--minor': `${minor * zoom}px`,
          '--major': `${major * zoom}px`,
        } as CSSProperties
      }
      onPointerDown={onPointerDown}
      data-testid="ruler"
      title="Click or drag to move the playhead (Alt: no snapping)"
    >
      {labels.map((s) => (
        <span key={s} className="ruler__label" style={{ left: s * zoom }}>
          {label(s, fps)}
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
