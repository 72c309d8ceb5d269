import { formatPercent } from '../../lib/format';
import { useSession } from '../../state/session';

export function ImportProgress() {
  const importing = useSession((s) => s.importing);
  if (!importing) return null;
  return (
    <div className="import-progress" role="status" data-testid="import-progress">
      <div className="import-progress__text">
        <span className="spinner spinner--sm" aria-hidden="true" />
        <span className="truncate">Importing {importing.name}</span>
        <span className="muted">{formatPercent(importing.fraction)}</span>
      </div>
      <div className="progress progress--thin">
        <div className="progress__bar" style={{ width: formatPercent(importing.fraction) }} />
      </div>
    </div>
  );
}
