/**
 * Finished analyses are recorded on their asset (derivatives.stabilize[key]) as a system
 * patch: saved with the project, broadcast to every renderer, not undoable (it is a cache
 * entry, not an edit). The files are the truth; the record lets views tell analysed,
 * stale and previewable apart without asking main.
 */
import { PatchBuilder } from '../../app/commands/patch.js';
import type { Asset } from '../../app/model/types.js';
import type { StabilizeAnalysisRecord, StabilizeMethod } from '../../app/model/stabilize.js';
import type { Flicks } from '../../app/time/flicks.js';
import type { Patch } from '../../app/commands/patch.js';

/** Most analyses kept per asset, previews per analysis and clips per record (oldest dropped first). */
const MAX_RECORDS = 24;
const MAX_PREVIEWS = 8;
const MAX_CLIPS = 64;

export interface AnalysisFacts {
  key: string;
  method: StabilizeMethod;
  transformsPath: string | null;
  inFlicks: Flicks;
  outFlicks: Flicks;
  shakiness: number;
  accuracy: number;
  clipId?: string;
  preview?: { key: string; path: string };
}

/** Where records go: an open project session, or nothing (plain runExport calls). */
export interface RecordSink {
  readonly state: { assets: Record<string, Asset> };
  systemPatch(patch: Patch): void;
}

function keepLast<T>(entries: [string, T][], max: number): [string, T][] {
  return entries.length > max ? entries.slice(entries.length - max) : entries;
}

export function recordAnalysis(sink: RecordSink, assetId: string, f: AnalysisFacts, now = new Date().toISOString()): void {
  const asset = sink.state.assets[assetId];
  if (!asset) return;
  const all = asset.derivatives.stabilize ?? {};
  const prev = all[f.key];
  const clipIds = [...(prev?.clipIds ?? []).filter((c) => c !== f.clipId), ...(f.clipId ? [f.clipId] : [])].slice(-MAX_CLIPS);
  const previews = Object.fromEntries(
    keepLast(Object.entries({ ...(prev?.previews ?? {}), ...(f.preview ? { [f.preview.key]: f.preview.path } : {}) }), MAX_PREVIEWS),
  );
  const rec: StabilizeAnalysisRecord = {
    method: f.method,
    transformsPath: f.transformsPath,
    inFlicks: f.inFlicks,
    outFlicks: f.outFlicks,
    shakiness: f.shakiness,
    accuracy: f.accuracy,
    clipIds,
    previews,
    analysedAt: prev?.analysedAt ?? now,
  };
  if (prev && JSON.stringify(prev) === JSON.stringify(rec)) return;
  // Re-inserted last, so the cap drops the least recently used analyses.
  const rest = Object.entries(all).filter(([k]) => k !== f.key);
  const stabilize = Object.fromEntries(keepLast([...rest, [f.key, rec] as [string, StabilizeAnalysisRecord]], MAX_RECORDS));
  sink.systemPatch(new PatchBuilder().set('assets', { ...asset, derivatives: { ...asset.derivatives, stabilize } }).patch);
}
