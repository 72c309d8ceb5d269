/**
 * Content addresses of stabilize results. An analysis is a pure function of the asset's
 * content, the source span and the detect settings, so its key is a hash of exactly those:
 * re-exports, undo/redo and reopening the project find the same file, and a trim (another
 * span) or new detect settings find none (the old one is "stale").
 */
import type { Asset, Clip } from '../model/types.js';
import { sha256Hex } from '../util/sha256.js';
import { resolveStabilize, type StabilizeAnalysisSpec, type StabilizeMethod, type StabilizeSettings, type StabilizeStage } from '../model/stabilize.js';

/** Where analyses and previews live, relative to the project folder. */
export const STAB_DIR = 'media/derived/stab';
/** Bump when the analysis (arguments, vid.stab options) changes meaning: old files stop matching. */
const ANALYSIS_VERSION = 1;
/** Bump when the preview encode changes. */
const PREVIEW_VERSION = 1;
/** Preview proxies are this tall at most (even), H.264. */
export const PREVIEW_HEIGHT = 360;

export function analysisKey(spec: StabilizeAnalysisSpec): string {
  const base = `${spec.assetSha256}|${spec.inFlicks}|${spec.outFlicks}`;
  const text = spec.method === 'vidstab' ? `vidstab/${ANALYSIS_VERSION}|${base}|s${spec.shakiness}|a${spec.accuracy}` : `deshake/${ANALYSIS_VERSION}|${base}`;
  return sha256Hex(text).slice(0, 40);
}

export function transformsPathFor(key: string): string {
  return `${STAB_DIR}/${key}.trf`;
}

/** Transform settings that change the picture; the preview is keyed by them and its analysis. */
export interface PreviewSpec {
  analysisKey: string;
  method: StabilizeMethod;
  smoothing: number;
  zoomMode: StabilizeSettings['zoomMode'];
  zoomPercent: number;
}

export function previewKey(p: PreviewSpec): string {
  const zoom = p.zoomMode === 'fixed-zoom' || p.method === 'deshake' ? `|z${p.zoomPercent}` : '';
  return sha256Hex(`preview/${PREVIEW_VERSION}|${p.analysisKey}|${p.method}|m${p.smoothing}|${p.zoomMode}${zoom}|h${PREVIEW_HEIGHT}`).slice(0, 40);
}

export function previewPathFor(key: string): string {
  return `${STAB_DIR}/${key}.preview.mp4`;
}

/** The analysis a clip's current span and settings need. */
export function analysisSpecFor(clip: Pick<Clip, 'inFlicks' | 'outFlicks'>, asset: Pick<Asset, 'sha256'>, settings: StabilizeSettings, method: StabilizeMethod): StabilizeAnalysisSpec {
  const s = resolveStabilize(settings);
  return { method, assetSha256: asset.sha256, inFlicks: clip.inFlicks, outFlicks: clip.outFlicks, shakiness: s.shakiness, accuracy: s.accuracy };
}

export function previewSpecFor(settings: StabilizeSettings, key: string, method: StabilizeMethod): PreviewSpec {
  const s = resolveStabilize(settings);
  return { analysisKey: key, method, smoothing: s.smoothing, zoomMode: s.zoomMode, zoomPercent: s.zoomPercent };
}

/** Whether the clip's picture is stabilized: the effect is on and the clip shows moving video. */
export function isStabilizable(asset: Pick<Asset, 'kind' | 'probe'> | undefined): boolean {
  return !!asset && asset.kind === 'video' && asset.probe.hasVideo;
}

/**
 * The render stage for a clip, or null when it has none. Compiled for vid.stab with the
 * cache's transforms path; compileRenderPlan applies the caller's PlanResources (deshake where
 * the engine lacks vid.stab, the resolved transforms file).
 */
export function stabilizeStageFor(clip: Clip, asset: Asset): StabilizeStage | null {
  const settings = clip.effects.stabilize;
  if (!settings?.enabled || !isStabilizable(asset)) return null;
  const s = resolveStabilize(settings);
  const key = analysisKey(analysisSpecFor(clip, asset, settings, 'vidstab'));
  return {
    kind: 'stabilize',
    method: 'vidstab',
    analysisKey: key,
    transformsPath: transformsPathFor(key),
    assetId: asset.id,
    sourceInFlicks: clip.inFlicks,
    sourceOutFlicks: clip.outFlicks,
    shakiness: s.shakiness,
    accuracy: s.accuracy,
    smoothing: s.smoothing,
    zoomMode: s.zoomMode,
    zoomPercent: s.zoomPercent,
  };
}
