import type { CSSProperties } from 'react';
import type { Asset } from '@app/model/types';
import { mediaUrl } from '../../client';
import { AudioThumb } from './AudioThumb';
import { Icon } from './Icon';

/** CSS that shows tile `i` of a filmstrip sprite filling its element. */
export function tileStyle(asset: Asset, i: number): CSSProperties | null {
  const strip = asset.derivatives.filmstrip;
  if (!strip || strip.frames <= 0) return null;
  const idx = Math.min(strip.frames - 1, Math.max(0, Math.floor(i)));
  return {
    backgroundImage: `url("${mediaUrl(strip.path)}")`,
    backgroundSize: `${strip.frames * 100}% 100%`,
    backgroundPosition: strip.frames > 1 ? `${(idx / (strip.frames - 1)) * 100}% 0` : '0 0',
  };
}

/**
 * One frame of an asset, letterboxed in a black frame: a tile of its filmstrip sprite
 * (CSS background-position), the image itself for stills, or a placeholder while the
 * filmstrip is being made.
 */
export function Thumb({ asset, tile = 0, busy, className }: { asset: Asset | undefined; tile?: number; busy?: boolean; className?: string }) {
  const cls = className ? `thumb ${className}` : 'thumb';
  if (!asset) return <div className={`${cls} thumb--empty`} aria-hidden="true" />;
  const strip = asset.derivatives.filmstrip;
  const style = tileStyle(asset, tile);
  // The still the generating server made (a remote take's poster) stands for its first frame.
  const poster = asset.derivatives.poster;
  if (poster && tile === 0)
    return (
      <div className={cls}>
        <img className="thumb__image" src={mediaUrl(poster.path)} alt={asset.name} data-testid="asset-thumb" data-poster="true" draggable={false} />
      </div>
    );
  if (strip && style) {
    return (
      <div className={cls}>
        <div className="thumb__tile" style={{ ...style, aspectRatio: `${strip.tileWidth} / ${strip.tileHeight}` }} data-testid="asset-thumb" role="img" aria-label={asset.name} />
      </div>
    );
  }
  if (asset.kind === 'image')
    return (
      <div className={cls}>
        <img className="thumb__image" src={mediaUrl(asset.path)} alt={asset.name} data-testid="asset-thumb" draggable={false} />
      </div>
    );
  if (asset.kind === 'audio' && asset.derivatives.peaks)
    return (
      <div className={`${cls} thumb--audio`}>
        <AudioThumb asset={asset} />
      </div>
    );
  return (
    <div className={`${cls} thumb--placeholder`} data-testid="asset-placeholder" data-busy={busy ? 'true' : 'false'}>
      {busy ? <span className="spinner" role="status" aria-label="Making thumbnails" /> : <Icon name={asset.kind === 'audio' ? 'audio' : 'film'} size={22} />}
    </div>
  );
}
