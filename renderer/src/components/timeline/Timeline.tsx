/**
 * The timeline: ruler, tracks (video above audio) and playhead in one scroll area with
 * sticky headers. Ctrl/Cmd+wheel zooms around the pointer; playback keeps the playhead
 * in view.
 */
import { startTransition, useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { flicksToSeconds } from '@app/time/flicks';
import type { Clip } from '@app/model/types';
import { useDisplayTracks, useClipsByTrack, useSettings, useTimelineEnd } from '../../state/selectors';
import { MAX_ZOOM, MIN_ZOOM, useUi } from '../../state/ui';
import { HEADER_WIDTH, toPx } from './geometry';
import { Playhead } from './Playhead';
import { Ruler } from './Ruler';
import { TimelineToolbar } from './TimelineToolbar';
import { TrackRow } from './TrackRow';
import { pageOf, type LaneView } from './windowing';

function useFollowPlayhead(scroller: RefObject<HTMLDivElement | null>) {
  useEffect(
    () =>
      useUi.subscribe((s, prev) => {
        const el = scroller.current;
        if (!el || s.rate === 0 || s.playhead === prev.playhead) return;
        const x = toPx(s.playhead, s.zoom);
        const visible = el.clientWidth - HEADER_WIDTH;
        if (x < el.scrollLeft || x > el.scrollLeft + visible - 24) el.scrollLeft = Math.max(0, x - visible * 0.15);
      }),
    [scroller],
  );
}

const NO_CLIPS: readonly Clip[] = [];
const INITIAL_VIEW: LaneView = { pageLeft: 0, viewport: 1200 };

export function Timeline() {
  const tracks = useDisplayTracks();
  const clipsByTrack = useClipsByTrack();
  const settings = useSettings();
  const end = useTimelineEnd();
  const zoom = useUi((s) => s.zoom);
  const scrollRef = useRef<HTMLDivElement>(null);
  const anchor = useRef<{ seconds: number; offset: number } | null>(null);
  const [viewport, setViewport] = useState(900);
  const [view, setView] = useState<LaneView>(INITIAL_VIEW);
  const reported = useRef<LaneView>(INITIAL_VIEW);
  // Where the lanes are scrolled, as a half-screen page. A transition: mounting the clips that
  // scroll into view may take a few frames and must not hold up the scroll itself (the window
  // already reaches half a screen past each edge). Within a page nothing is scheduled at all
  // (a transition per scroll frame re-rendered this component to find nothing changed).
  const report = useCallback((el: HTMLElement) => {
    const next = { pageLeft: pageOf(el.scrollLeft, el.clientWidth - HEADER_WIDTH), viewport: el.clientWidth - HEADER_WIDTH };
    const v = reported.current;
    if (v.pageLeft === next.pageLeft && Math.abs(v.viewport - next.viewport) < 1) return;
    reported.current = next;
    startTransition(() => setView(next));
  }, []);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    // The lanes draw only what is around the visible range (windowing.ts): tell them where it is.
    const onScroll = () => report(el);
    const ro = new ResizeObserver(() => {
      setViewport(el.clientWidth);
      report(el);
    });
    ro.observe(el);
    setViewport(el.clientWidth);
    report(el);
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      ro.disconnect();
      el.removeEventListener('scroll', onScroll);
    };
  }, [report]);

  // Ctrl/Cmd+wheel zoom, keeping the time under the pointer where it is.
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      const ui = useUi.getState();
      const offset = e.clientX - el.getBoundingClientRect().left - HEADER_WIDTH;
      anchor.current = { seconds: (el.scrollLeft + offset) / ui.zoom, offset };
      ui.setZoom(ui.zoom * Math.exp(-e.deltaY * 0.0025));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    const a = anchor.current;
    anchor.current = null;
    if (el && a) el.scrollLeft = Math.max(0, a.seconds * zoom - a.offset);
    if (el) report(el);
  }, [zoom, report]);

  useFollowPlayhead(scrollRef);

  const fit = useCallback(() => {
    const el = scrollRef.current;
    if (!el || end <= 0) return;
    const z = (el.clientWidth - HEADER_WIDTH - 40) / flicksToSeconds(end);
    useUi.getState().setZoom(Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z)));
    el.scrollLeft = 0;
  }, [end]);

  const contentW = Math.max(toPx(end, zoom) + 320, viewport - HEADER_WIDTH);
  const fps = settings?.fps ?? { num: 30, den: 1 };

  return (
    <section className="timeline" aria-label="Timeline" data-testid="timeline">
      <TimelineToolbar onFit={fit} />
      <div className="timeline__scroll" ref={scrollRef}>
        <div className="timeline__content" style={{ width: HEADER_WIDTH + contentW }}>
          <div className="timeline__ruler-row">
            <div className="timeline__corner" />
            <Ruler width={contentW} zoom={zoom} fps={fps} view={view} />
          </div>
          {tracks.map((t) => (
            <TrackRow key={t.id} track={t} clips={clipsByTrack[t.id] ?? NO_CLIPS} zoom={zoom} view={view} laneWidth={contentW} />
          ))}
          <div className="track-row track-row--filler">
            <div className="track-head" />
            <div className="lane lane--filler">
              {tracks.length === 0 && <p className="timeline__empty">No tracks yet. Assemble the storyboard, or add a track and drag media onto it.</p>}
              <Playhead variant="lane" />
            </div>
          </div>
        </div>
      </div>
    </section>
  );
}
