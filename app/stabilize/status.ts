/**
 * What the Inspector, the Viewer and the timeline badge show for a clip's stabilization,
 * derived from the clip and its asset's recorded analyses alone (no call to main).
 */
import type { Asset, Clip } from '../model/types.js';
import { analysisKey, analysisSpecFor, isStabilizable, previewKey, previewSpecFor } from './keys.js';
import type { StabilizeAnalysisRecord, StabilizeMethod } from '../model/stabilize.js';

export type StabilizeState =
  /** No effect, or it is switched off. */
  | 'off'
  /** Stills and audio have no motion to remove. */
  | 'unsupported'
  /** On, never analysed for this clip. */
  | 'not-analysed'
  /** Analysed once, but the clip's span or the detect settings changed since. */
  | 'stale'
  /** The analysis for the current span and settings exists. */
  | 'analysed';

export interface StabilizeStatus {
  state: StabilizeState;
  method: StabilizeMethod;
  analysisKey: string | null;
  record: StabilizeAnalysisRecord | null;
  previewKey: string | null;
  /** Project-relative stabilized preview for the current settings, when rendered. */
  previewPath: string | null;
}

export function stabilizeStatus(clip: Clip, asset: Asset | undefined, method: StabilizeMethod): StabilizeStatus {
  const settings = clip.effects.stabilize;
  const none: StabilizeStatus = { state: 'off', method, analysisKey: null, record: null, previewKey: null, previewPath: null };
  if (!settings?.enabled) return none;
  if (!asset || !isStabilizable(asset)) return { ...none, state: 'unsupported' };
  const key = analysisKey(analysisSpecFor(clip, asset, settings, method));
  const pKey = previewKey(previewSpecFor(settings, key, method));
  const records = asset.derivatives.stabilize ?? {};
  const record = records[key] ?? null;
  if (record) return { state: 'analysed', method, analysisKey: key, record, previewKey: pKey, previewPath: record.previews[pKey] ?? null };
  const stale = Object.values(records).some((r) => r.method === method && r.clipIds.includes(clip.id));
  return { state: stale ? 'stale' : 'not-analysed', method, analysisKey: key, record: null, previewKey: pKey, previewPath: null };
}

export const STABILIZE_STATE_LABEL: Record<StabilizeState, string> = {
  off: 'Off',
  unsupported: 'Not available for this media',
  'not-analysed': 'Not analyzed',
  stale: 'Stale: the clip changed since its analysis',
  analysed: 'Analyzed',
};
