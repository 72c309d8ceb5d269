/**
 * The transport clock: while the shuttle rate is non-zero, advance the playhead by wall
 * time × rate each animation frame, stopping at the ends of the timeline. Media elements
 * follow the playhead (see useMediaSync), so there is one source of truth for "now".
 *
 * The frame loop runs only while the rate is non-zero (issue 14): a requestAnimationFrame
 * callback pending every frame makes the browser run a frame for it even when nothing
 * changed, on every view, while the editor sits idle.
 */
import { useEffect } from 'react';
import { FLICKS_PER_SECOND } from '@app/time/flicks';
import { useProject } from '../state/project';
import { timelineEndOf } from '../state/selectors';
import { useUi } from '../state/ui';

export function usePlaybackClock(): void {
  useEffect(() => {
    let raf = 0;
    let last: number | null = null;
    // Fractional flicks between frames, so slow rates never round away to nothing.
    let carry = 0;
    const tick = (now: number) => {
      const ui = useUi.getState();
      if (ui.rate === 0) {
        raf = 0;
        last = null;
        carry = 0;
        return;
      }
      raf = requestAnimationFrame(tick);
      if (last === null) {
        last = now;
        return;
      }
      const dt = Math.min(0.1, (now - last) / 1000);
      last = now;
      // From the per-track lists (each list's end remembered), not a scan of every clip per frame.
      const end = timelineEndOf(useProject.getState().index.clipsByTrack);
      const exact = ui.playhead + carry + dt * ui.rate * FLICKS_PER_SECOND;
      let next = Math.round(exact);
      carry = exact - next;
      if (ui.rate > 0 && next >= end) {
        next = end;
        ui.setRate(0);
      } else if (ui.rate < 0 && next <= 0) {
        next = 0;
        ui.setRate(0);
      }
      ui.setPlayhead(next);
    };
    const start = () => {
      if (raf === 0 && useUi.getState().rate !== 0) raf = requestAnimationFrame(tick);
    };
    const unsubscribe = useUi.subscribe((s, prev) => {
      if (s.rate !== prev.rate) start();
    });
    start();
    return () => {
      unsubscribe();
      cancelAnimationFrame(raf);
    };
  }, []);
}
