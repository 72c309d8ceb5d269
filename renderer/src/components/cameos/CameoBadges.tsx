/** A cameo's poster and status chip: shared by the Cameos grid, its detail pane and elsewhere. */
import { useEffect } from 'react';
import type { CameoSummary } from '@app/cameos/types';
import { ensurePoster } from '../../actions/cameos';
import { useCameos } from '../../state/cameos';

const STATUS_TEXT: Record<CameoSummary['status'], string> = { active: 'Active', expiring: 'Expiring', expired: 'Expired', revoked: 'Revoked' };

export function CameoPoster({ id, name, size = 'md' }: { id: string; name: string; size?: 'sm' | 'md' }) {
  const url = useCameos((s) => s.posters[id]);
  useEffect(() => void ensurePoster(id), [id]);
  return url ? (
    <img className={`cameo-poster cameo-poster--${size}`} src={url} alt="" draggable={false} />
  ) : (
    <span className={`cameo-poster cameo-poster--${size} cameo-poster--empty`} aria-hidden="true">
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}

export function StatusChip({ c }: { c: CameoSummary }) {
  const extra = c.status === 'expiring' && c.daysLeft !== null ? ` · ${c.daysLeft} d` : '';
  return (
    <span className={`chip cameo-status cameo-status--${c.status}`} data-testid="cameo-status" data-status={c.status}>
      {STATUS_TEXT[c.status]}
      {extra}
    </span>
  );
}
