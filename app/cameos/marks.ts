/**
 * The revoke cascade inside a project, pure: which takes used a revoked cameo (their asset's
 * provenance lists the cameos it was made with), the patch that marks them "uses a revoked
 * cameo", and the export refusal that lists the shots to replace.
 */
import type { Patch } from '../commands/patch.js';
import type { Asset, ProjectState, Take } from '../model/types.js';

/** What a generated asset's provenance says about the cameos in it. */
export interface AssetCameo {
  cameoId: string;
  handle: string;
  consentRecordId: string;
  parts: string[];
  delivery: string;
  characterId?: string;
}

export function cameosOfAsset(asset: Asset | undefined): AssetCameo[] {
  if (!asset || asset.provenance.source !== 'generated') return [];
  const list = asset.provenance.parameters.cameos;
  return Array.isArray(list) ? (list as AssetCameo[]).filter((c) => c && typeof c.cameoId === 'string') : [];
}

/** The patch that marks every take whose media used a cameo in `revoked` (null: nothing new to mark). */
export function revocationPatch(state: ProjectState, revoked: ReadonlySet<string>): Patch | null {
  if (!revoked.size) return null;
  const takes: Record<string, Take> = {};
  for (const t of Object.values(state.takes)) {
    const hit = cameosOfAsset(state.assets[t.assetId]).map((c) => c.cameoId).filter((id) => revoked.has(id));
    if (!hit.length) continue;
    const had = t.revokedCameos ?? [];
    const all = [...new Set([...had, ...hit])].sort();
    if (all.length !== had.length) takes[t.id] = { ...t, revokedCameos: all };
  }
  return Object.keys(takes).length ? { takes } : null;
}

export interface ExportBlocker {
  shotId: string | null;
  shotTitle: string;
  takeLabel: string | null;
  clipIds: string[];
  cameoIds: string[];
}

/**
 * Timeline clips whose media uses a revoked cameo: marked on a take of that media, or (a mark
 * lost to an undo, a take deleted) a cameo in `revoked` named by the asset's provenance.
 * Grouped by shot, in timeline order.
 */
export function exportBlockers(state: ProjectState, revoked: ReadonlySet<string> = new Set()): ExportBlocker[] {
  const byAsset = new Map<string, Take[]>();
  for (const t of Object.values(state.takes)) byAsset.set(t.assetId, [...(byAsset.get(t.assetId) ?? []), t]);
  const out = new Map<string, ExportBlocker>();
  const clips = Object.values(state.clips).sort((a, b) => a.startFlicks - b.startFlicks);
  for (const c of clips) {
    const takes = byAsset.get(c.assetId) ?? [];
    const ids = new Set<string>();
    for (const t of takes) for (const id of t.revokedCameos ?? []) ids.add(id);
    for (const a of cameosOfAsset(state.assets[c.assetId])) if (revoked.has(a.cameoId)) ids.add(a.cameoId);
    if (!ids.size) continue;
    const take = takes.find((t) => t.shotId === c.shotId) ?? takes[0];
    const shotId = c.shotId ?? take?.shotId ?? null;
    const key = `${shotId ?? ''}/${c.assetId}`;
    const b = out.get(key) ?? { shotId, shotTitle: (shotId && state.shots[shotId]?.title) || state.assets[c.assetId]?.name || 'Untitled clip', takeLabel: take?.label ?? null, clipIds: [], cameoIds: [] };
    b.clipIds.push(c.id);
    b.cameoIds = [...new Set([...b.cameoIds, ...ids])].sort();
    out.set(key, b);
  }
  return [...out.values()];
}

/** "Shot 2 (Take 1), Shot 5 (Take 3)". */
export function blockerList(blockers: readonly ExportBlocker[]): string {
  return blockers.map((b) => `${b.shotTitle}${b.takeLabel ? ` (${b.takeLabel})` : ''}`).join(', ');
}
