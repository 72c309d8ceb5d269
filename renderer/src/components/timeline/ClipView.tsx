/** One clip on a track: filmstrip or waveform, name, trim handles; drag to move or trim. */
import { RevokedBadge, useRevokedAsset } from '../cameos/RevokedMark';
import { memo, type CSSProperties } from 'react';
import type { Asset, Clip, TrackKind } from '@app/model/types';
import { clipDuration } from '@app/timeline/query';
import { mediaUrl } from '../../client';
import { formatDuration } from '../../lib/format';
import { useUi } from '../../state/ui';
import { tileStyle } from '../common/Thumb';
import { beginClipDrag } from './clipDrag';
import { toFlicks, toPx } from './geometry';
import { VIDEO_WAVE_H, waveBand, waveShown } from './waveLayout';
import { RubberBand } from './RubberBand';
import type { ClipCrossfades } from '@app/timeline/crossfades';
import { StabilizeBadge } from '../inspector/StabilizePreview';
import { ColorBadge } from '../inspector/ColorBadge';
import { LoopSeamTicks, sourceAtOffset, TimingBadge } from '../inspector/SpeedPreview';

const MAX_TILES = 160;

function Filmstrip({ asset, clip, width, height, zoom }: { asset: Asset; clip: Clip; width: number; height: number; zoom: number }) {
  const strip = asset.derivatives.filmstrip;
  if (asset.kind === 'image' && !strip) return <div className="clip__still" style={{ backgroundImage: `url("${mediaUrl(asset.path)}")` }} />;
  if (!strip || strip.frames <= 0) return <div className="clip__nostrip" />;
  const natural = (strip.tileWidth * height) / strip.tileHeight;
  const count = Math.max(1, Math.min(MAX_TILES, Math.ceil(width / natural)));
  const tileW = Math.max(natural, width / MAX_TILES);
  const dur = asset.probe.durationFlicks || 1;
  const tiles: CSSProperties[] = [];
  for (let i = 0; i < count; i++) {
    // Speed and loop: the tile shows the source the time map plays at that point.
    const t = sourceAtOffset(clip, toFlicks(i * tileW + tileW / 2, zoom));
    const idx = asset.kind === 'image' ? 0 : Math.floor((t / dur) * strip.frames);
    tiles.push({ ...tileStyle(asset, idx), width: tileW });
  }
  return (
    <div className="clip__filmstrip" aria-hidden="true">
      {tiles.map((s, i) => (
        <div key={i} className="clip__tile" style={s} />
      ))}
    </div>
  );
}

export const ClipView = memo(function ClipView({
  clip,
  asset,
  kind,
  zoom,
  height,
  invalid,
  xf,
}: {
  clip: Clip;
  asset: Asset | undefined;
  kind: TrackKind;
  zoom: number;
  height: number;
  invalid: boolean;
  /** Its crossfades with its neighbours (audio tracks; app/timeline/crossfades.ts). */
  xf?: ClipCrossfades;
}) {
  const selected = useUi((s) => s.selectedClipIds.includes(clip.id));
  const revoked = useRevokedAsset(clip.assetId);
  const dragging = useUi((s) => s.preview?.clipId === clip.id);
  const left = toPx(clip.startFlicks, zoom);
  const width = Math.max(2, toPx(clipDuration(clip), zoom));
  const name = asset?.name ?? 'Missing media';
  // The waveform itself is drawn by the lane's strip canvas under the clip (WaveStrip.tsx): the
  // clip leaves that band transparent (`has-wave`, its background sized above `--wave-h`).
  const showWave = waveShown(clip, asset, kind, zoom);
  const waveH = kind === 'audio' ? height - 22 : VIDEO_WAVE_H;
  // Under the label (17 px) and the 1 px borders, the filmstrip takes what the waveform leaves.
  const stripH = kind === 'video' ? height - 19 - (showWave ? waveH : 0) : 0;
  const cls = ['clip', `clip--${kind}`, showWave && 'has-wave', selected && 'is-selected', dragging && 'is-dragging', invalid && 'is-invalid', !asset && 'is-missing', revoked && 'is-revoked-cameo'].filter(Boolean).join(' ');
  return (
    <div
      className={cls}
      style={showWave ? ({ left, width, '--wave-h': `${waveBand(kind, height + 8).height}px` } as CSSProperties) : { left, width }}
      tabIndex={0}
      role="button"
      aria-pressed={selected}
      aria-label={`${name}, ${formatDuration(clipDuration(clip))}`}
      data-testid="clip"
      data-clip-id={clip.id}
      data-track-id={clip.trackId}
      data-start={clip.startFlicks}
      data-in={clip.inFlicks}
      data-out={clip.outFlicks}
      data-selected={selected ? 'true' : 'false'}
      data-linked={clip.linkId ? 'true' : 'false'}
      data-link-id={clip.linkId ?? ''}
      data-revoked-cameo={revoked ? 'true' : undefined}
      onPointerDown={(e) => beginClipDrag(e, clip.id, 'move')}
      onKeyDown={(e) => {
        if (e.key === 'Enter') useUi.getState().selectClips([clip.id]);
      }}
    >
      <div className="clip__label">
        {revoked && <RevokedBadge compact={width < 140} />}
        <span className="truncate">{name}</span>
        <StabilizeBadge clip={clip} />
        <ColorBadge clip={clip} />
        <TimingBadge clip={clip} />
        {clip.linkId && (
          <span className="clip__badge clip__badge--link" title="Linked picture and sound: they move and trim together (Alt-click selects one side)">
            ∞
          </span>
        )}
        {width > 90 && <span className="clip__dur">{formatDuration(clipDuration(clip))}</span>}
      </div>
      {kind === 'video' && asset && (
        <div className="clip__picture" style={{ height: stripH }}>
          <Filmstrip asset={asset} clip={clip} width={width} height={stripH} zoom={zoom} />
        </div>
      )}
      {showWave && <div className="clip__wave" style={{ height: waveH }} data-testid="clip-wave" />}
      {kind === 'audio' && width >= 24 && <RubberBand clip={clip} width={width} height={waveH} zoom={zoom} />}
      {xf?.in && (
        <div className="clip__xfade" style={{ width: toPx(xf.in.flicks, zoom) }} title={`Crossfade ${formatDuration(xf.in.flicks)} (${xf.in.curve})`} data-testid="clip-crossfade" />
      )}
      <LoopSeamTicks clip={clip} toPx={(f) => toPx(f, zoom)} />
      <div className="clip__handle clip__handle--in" onPointerDown={(e) => beginClipDrag(e, clip.id, 'in')} data-testid="clip-trim-in" aria-hidden="true" />
      <div className="clip__handle clip__handle--out" onPointerDown={(e) => beginClipDrag(e, clip.id, 'out')} data-testid="clip-trim-out" aria-hidden="true" />
    </div>
  );
});
