/**
 * "Uses a revoked cameo": the mark on timeline clips, takes and shot cards. Which assets carry
 * it is computed once per takes object (WeakMap), so each clip's check is a set look-up
 * (thousands of clips, issue 14).
 */
import type { Take } from '@app/model/types';
import { useProject } from '../../state/project';

const cache = new WeakMap<object, Set<string>>();

export function revokedAssets(takes: Record<string, Take>): Set<string> {
  let s = cache.get(takes);
  if (!s) {
    s = new Set();
    for (const t of Object.values(takes)) if (t.revokedCameos?.length) s.add(t.assetId);
    cache.set(takes, s);
  }
  return s;
}

export function useRevokedAsset(assetId: string | undefined): boolean {
  return useProject((s) => (assetId && s.state ? revokedAssets(s.state.takes).has(assetId) : false));
}

export function RevokedBadge({ compact }: { compact?: boolean }) {
  return (
    <span className="revoked-badge" title="Uses a revoked cameo: replace this take before exporting" data-testid="revoked-mark">
      {compact ? '⊘' : '⊘ Revoked cameo'}
    </span>
  );
}
