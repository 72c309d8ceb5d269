/** Over a shot card's picture: takes being generated (overall progress, ETA) or that failed. */
import { formatEta, formatPercent } from '../../lib/format';
import { summarize, usePendingTakes } from '../../state/generation-jobs';
import '../../styles/generation.css';

export function ShotCardProgress({ shotId }: { shotId: string }) {
  const pending = usePendingTakes(shotId);
  const s = summarize(pending);
  if (s.active === 0 && s.failed === 0) return null;
  return (
    <div className="shot-card__gen" data-testid="shot-card-progress" data-active={s.active} data-failed={s.failed}>
      {s.active > 0 ? (
        <>
          <div className="shot-card__gen-text">
            <span>
              Generating {s.active} take{s.active === 1 ? '' : 's'}
            </span>
            <span className="shot-card__gen-eta">{s.eta !== null ? formatEta(s.eta) : formatPercent(s.progress)}</span>
          </div>
          <div className="progress progress--thin" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(s.progress * 100)} aria-label="Generation progress">
            <div className="progress__bar" style={{ width: formatPercent(s.progress) }} />
          </div>
        </>
      ) : (
        <div className="shot-card__gen-text shot-card__gen-text--failed">
          {s.failed} take{s.failed === 1 ? '' : 's'} failed
        </div>
      )}
    </div>
  );
}
