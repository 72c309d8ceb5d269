/**
 * The transport clock: while the shuttle rate is non-zero, advance the playhead by wall
 * time × rate each animation frame, stopping at the ends of the timeline. Media elements
 * follow the playhead (see useMediaSync), so there is one source of truth for "now".
 */
import { useEffect } from 'react';
import { clipEnd } from '@app/timeline/query';
import { FLICKS_PER_SECOND } from '@app/time/flicks';
import { useProject } from '../state/project';
import { useUi } from '../state/ui';

function timelineEnd(): number {
  const clips = useProject.getState().state?.clips ?? {};
  let end = 0;
  for (const c of Object.values(clips)) end = Math.max(end, clipEnd(c));
  return end;
}

export function usePlaybackClock(): void {
  useEffect(() => {
    let raf = 0;
    let last: number | null = null;
    // Fractional flicks between frames, so slow rates never round away to nothing.
    let carry = 0;
    const tick = (now: number) => {
      raf = requestAnimationFrame(tick);
      const ui = useUi.getState();
      if (ui.rate === 0) {
        last = null;
        carry = 0;
        return;
      }
      if (last === null) {
        last = now;
        return;
      }
      const dt = Math.min(0.1, (now - last) / 1000);
      last = now;
      const end = timelineEnd();
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
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, []);
}
