/**
 * A Viewer media element's level and pan as export mixes them, through Web Audio
 * (lib/audio-route.ts): `gainAt(t)` is the model's gain at timeline time t (app/timeline/fades.ts
 * clipGainAt × the track fader), read at the playhead and a little ahead while playing.
 */
import { useEffect, type RefObject } from 'react';
import type { Flicks } from '@app/time/flicks';
import { FLICKS_PER_SECOND } from '@app/time/flicks';
import { applyLevel, routeOf } from '../lib/audio-route';

const AHEAD_S = 0.1;

export function useMixLevel(ref: RefObject<HTMLMediaElement | null>, src: string | null, gainAt: (t: Flicks) => number, playhead: Flicks, rate: number, pan: number): void {
  const now = gainAt(playhead);
  const playing = rate > 0;
  const next = playing ? gainAt(playhead + Math.round(AHEAD_S * rate * FLICKS_PER_SECOND)) : null;
  useEffect(() => {
    const el = ref.current;
    if (!el || !src) return;
    const route = routeOf(el);
    if (route) {
      el.volume = 1;
      applyLevel(route, now, next, AHEAD_S, pan, playing);
      el.dataset.level = now.toFixed(4);
      el.dataset.routed = 'webaudio';
    } else {
      // Not routable (cross-origin media): the element's own volume, which stops at 1×.
      el.volume = Math.min(1, Math.max(0, now));
      el.dataset.level = now.toFixed(4);
      el.dataset.routed = 'element';
    }
  }, [ref, src, now, next, pan, playing]);
}
