/**
 * The YUV matrix a source is decoded with: the source's own tag where it has one, else the
 * rule a browser applies to untagged media (so preview and export decode alike).
 */
import type { Asset } from '../model/types.js';

export type ColorMatrix = 'bt601' | 'bt709' | 'bt2020';

/**
 * The matrix every export is encoded and tagged with (HD: what players assume for untagged HD
 * too). Sources in another matrix (SD video, stills, generated takes) are converted into it:
 * an untagged 1080p file of SD-matrix pixels would play with shifted colours everywhere.
 */
export const EXPORT_MATRIX: ColorMatrix = 'bt709';

/** The matrix a browser assumes for an untagged source of this kind and height. */
export function untaggedMatrix(asset: Pick<Asset, 'kind' | 'probe'>): ColorMatrix {
  return asset.kind === 'video' && (asset.probe.height ?? 0) >= 720 ? 'bt709' : 'bt601';
}

/** ffmpeg's color_space tag (ffprobe) → the matrix, or null when untagged or unusual. */
export function matrixFromTag(tag: string | undefined | null): ColorMatrix | null {
  switch (tag) {
    case 'bt709':
      return 'bt709';
    case 'smpte170m':
    case 'bt470bg':
      return 'bt601';
    case 'bt2020nc':
    case 'bt2020c':
      return 'bt2020';
    default:
      return null;
  }
}

/** The matrix a source is decoded with: its own tag where it has a usable one, else the untagged rule. */
export function sourceMatrix(asset: Pick<Asset, 'kind' | 'probe'>): ColorMatrix {
  return (asset.kind === 'video' ? matrixFromTag(asset.probe.color?.matrix) : null) ?? untaggedMatrix(asset);
}
