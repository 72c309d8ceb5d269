/**
 * The running cost of a project's remote takes: per take, what its generated asset's
 * provenance recorded (`parameters.remote.costUsd`, set when a paid endpoint delivered it).
 * Counted per take, not per asset: two paid takes that came back byte-identical share one
 * (content-addressed) asset but were paid twice. Pure, from state: the total of the takes the
 * project holds.
 */
import type { ProjectState } from '../model/types.js';
import type { ProjectSpend } from './api.js';

export function projectSpend(state: ProjectState): ProjectSpend {
  const by = new Map<string, { totalUsd: number; takes: number }>();
  for (const t of Object.values(state.takes)) {
    const a = state.assets[t.assetId];
    if (!a || a.provenance.source !== 'generated') continue;
    const r = a.provenance.parameters.remote as { endpointName?: unknown; costUsd?: unknown } | undefined;
    if (!r || typeof r.costUsd !== 'number') continue;
    const name = typeof r.endpointName === 'string' ? r.endpointName : 'remote';
    const e = by.get(name) ?? { totalUsd: 0, takes: 0 };
    e.totalUsd += r.costUsd;
    e.takes++;
    by.set(name, e);
  }
  const byEndpoint = [...by].map(([endpointName, v]) => ({ endpointName, totalUsd: round(v.totalUsd), takes: v.takes }));
  return { totalUsd: round(byEndpoint.reduce((s, e) => s + e.totalUsd, 0)), takes: byEndpoint.reduce((s, e) => s + e.takes, 0), byEndpoint };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
