/** A track: its header (TrackHead.tsx) and its lane of clips, which also takes media drops. */
import { useDroppable } from '@dnd-kit/core';
import { memo, useMemo } from 'react';
import type { Clip, Track } from '@app/model/types';
import { clipEnd } from '@app/timeline/query';
import { trackCrossfades } from '@app/timeline/crossfades';
import { useAssets } from '../../state/selectors';
import { useUi } from '../../state/ui';
import { TrackHead } from './TrackHead';
import { ClipView } from './ClipView';
import { Playhead } from './Playhead';
import { toPx } from './geometry';
import { laneItems, stripRange, windowFor, type LaneView } from './windowing';
import { WaveStrip } from './WaveStrip';

export const TRACK_HEIGHT = { video: 76, audio: 58 } as const;

function overlapsSibling(clip: Clip, siblings: readonly Clip[]): boolean {
  return siblings.some((o) => o.id !== clip.id && o.startFlicks < clipEnd(clip) && clipEnd(o) > clip.startFlicks);
}

export const TrackRow = memo(function TrackRow({ track, clips, zoom, view, laneWidth }: { track: Track; clips: readonly Clip[]; zoom: number; view: LaneView; laneWidth: number }) {
  const assets = useAssets();
  const previewId = useUi((s) => s.preview?.clipId ?? null);
  const { setNodeRef, isOver, active } = useDroppable({ id: `lane:${track.id}`, data: { type: 'lane', trackId: track.id } });
  const assetOver = isOver && (active?.data.current as { type?: string } | undefined)?.type === 'asset';
  const height = TRACK_HEIGHT[track.kind];
  // The lane is a pixel shorter than the row: the row's bottom border is inside its height.
  const laneHeight = height - 1;
  // Crossfades of the whole track, once per edit (linear in its clips).
  const fades = useMemo(() => (track.kind === 'audio' ? trackCrossfades(clips) : null), [clips, track.kind]);
  const items = useMemo(() => laneItems(clips, windowFor(view.pageLeft, view.viewport, zoom), zoom, previewId), [clips, view, zoom, previewId]);
  const drawn = useMemo(() => items.flatMap((it) => (it.type === 'clip' ? [it.clip] : [])), [items]);
  const strip = stripRange(view, laneWidth);
  return (
    <div className={`track-row track-row--${track.kind}`} style={{ height }}>
      <TrackHead track={track} />
      <div
        ref={setNodeRef}
        className={assetOver ? 'lane is-drop-target' : 'lane'}
        data-testid="track"
        data-track-id={track.id}
        data-lane-track-id={track.id}
        data-kind={track.kind}
        data-muted={track.muted ? 'true' : 'false'}
        onPointerDown={(e) => {
          if (e.target === e.currentTarget && e.button === 0) useUi.getState().selectClips([]);
        }}
      >
        <WaveStrip kind={track.kind} laneHeight={laneHeight} clips={drawn} assets={assets} fades={fades} zoom={zoom} left={strip.left} width={strip.width} topId={previewId} />
        {items.map((it) =>
          it.type === 'clip' ? (
            <ClipView
              key={it.clip.id}
              clip={it.clip}
              asset={assets[it.clip.assetId]}
              kind={track.kind}
              zoom={zoom}
              height={laneHeight - 8}
              invalid={it.clip.id === previewId && overlapsSibling(it.clip, clips)}
              xf={fades?.get(it.clip.id)}
            />
          ) : (
            <div
              key={it.key}
              className={`clip-summary clip-summary--${track.kind}`}
              style={{ left: toPx(it.startFlicks, zoom), width: Math.max(2, toPx(it.endFlicks - it.startFlicks, zoom)) }}
              title={`${it.count} clips: zoom in to edit them`}
              data-testid="clip-summary"
              data-count={it.count}
            />
          ),
        )}
        <Playhead variant="lane" />
      </div>
    </div>
  );
});
