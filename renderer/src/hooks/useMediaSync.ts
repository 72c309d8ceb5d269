/**
 * Keep a <video>/<audio> element on the timeline's clock. Playing forward, the element
 * plays at the shuttle rate and is only re-seeked when it drifts; paused or in reverse it
 * is seeked to the exact frame (one seek at a time, the latest target wins).
 */
import { useEffect, useRef, type RefObject } from 'react';

const DRIFT_S = 0.25;

export function useMediaSync(
  ref: RefObject<HTMLMediaElement | null>,
  src: string | null,
  targetSeconds: number,
  rate: number,
  /** Without `volume` the caller sets the level (the Viewer's Web Audio route, useMixLevel). */
  opts: { volume?: number; muted: boolean },
): void {
  const latest = useRef({ targetSeconds, rate });
  latest.current = { targetSeconds, rate };

  const apply = useRef(() => {
    const el = ref.current;
    if (!el || !el.getAttribute('src')) return;
    const { targetSeconds: t, rate: r } = latest.current;
    if (el.readyState < HTMLMediaElement.HAVE_METADATA) return;
    if (r > 0) {
      if (el.playbackRate !== r) el.playbackRate = r;
      if (!el.seeking && Math.abs(el.currentTime - t) > DRIFT_S * Math.max(1, r)) el.currentTime = t;
      if (el.paused) void el.play().catch(() => {});
    } else {
      if (!el.paused) el.pause();
      if (!el.seeking && Math.abs(el.currentTime - t) > 0.004) el.currentTime = t;
    }
  });

  // Re-apply once metadata is in and after each seek, so a burst of targets converges.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fn = () => apply.current();
    el.addEventListener('loadedmetadata', fn);
    el.addEventListener('seeked', fn);
    el.addEventListener('canplay', fn);
    return () => {
      el.removeEventListener('loadedmetadata', fn);
      el.removeEventListener('seeked', fn);
      el.removeEventListener('canplay', fn);
    };
  }, [ref, src]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (!src) {
      if (!el.paused) el.pause();
      return;
    }
    apply.current();
  }, [ref, src, targetSeconds, rate]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (opts.volume !== undefined) el.volume = Math.min(1, Math.max(0, opts.volume));
    el.muted = opts.muted;
  }, [ref, opts.volume, opts.muted]);
}
