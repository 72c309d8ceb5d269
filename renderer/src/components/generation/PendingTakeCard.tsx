/** A take being generated (progress, ETA, cancel) or one that did not come out (message, Retry). */
import { cancelJob, retryJob } from '../../actions/jobs';
import { formatEta, formatPercent } from '../../lib/format';
import { useGeneration } from '../../state/generation';
import type { PendingTake } from '../../state/generation-jobs';
import { Icon } from '../common/Icon';
import '../../styles/generation.css';

export function PendingTakeCard({ pending, remixOfLabel }: { pending: PendingTake; remixOfLabel: string | null }) {
  const dismiss = useGeneration((s) => s.dismiss);
  const { job, label, seed } = pending;
  const active = job.state === 'queued' || job.state === 'running';
  const failed = job.state === 'failed';
  const what = remixOfLabel ? `Remix of ${remixOfLabel}` : pending.task === 'image-to-video' ? 'From image' : null;
  return (
    <li className={`take take--pending take--${job.state}`} data-testid="pending-take" data-job-id={job.id} data-state={job.state} aria-label={`${label}: ${job.state}`}>
      <div className="take__pick take__pick--pending">
        <div className="thumb thumb--placeholder pending-take__media">
          {active ? (
            <span className={job.state === 'running' ? 'spinner' : 'spinner pending-take__idle'} aria-hidden="true" />
          ) : (
            <Icon name={failed ? 'alert' : 'close'} size={20} className={failed ? 'pending-take__alert' : ''} />
          )}
        </div>
        <span className="take__label truncate">{label}</span>
        <span className="take-meta">
          {seed !== null && <span className="take-meta__seed">seed {seed}</span>}
          {what && <span className="take-meta__remix truncate">{what}</span>}
        </span>
        {active && (
          <div className="pending-take__progress">
            <div
              className="progress progress--thin"
              role="progressbar"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(job.progress * 100)}
              aria-label={`${label} progress`}
              data-testid="pending-progress"
            >
              <div className={job.state === 'queued' ? 'progress__bar progress__bar--idle' : 'progress__bar'} style={{ width: formatPercent(job.progress) }} />
            </div>
            <span className="pending-take__eta" data-testid="pending-eta">
              {job.state === 'queued' ? 'Queued' : `${formatPercent(job.progress)}${job.etaSeconds !== null ? ` · ${formatEta(job.etaSeconds)}` : ''}`}
            </span>
            {/* What the job is doing now ("Generating on Workstation: 40%", "Downloading 60%"). */}
            {job.state === 'running' && job.message && (
              <span className="pending-take__status truncate" title={job.message} data-testid="pending-status">
                {job.message}
              </span>
            )}
          </div>
        )}
        {!active && (
          <span className="pending-take__message" title={failed ? [job.error?.message, job.error?.hint].filter(Boolean).join(' ') : undefined} data-testid="pending-message">
            {failed ? (job.error?.message ?? 'Generation failed.') : 'Canceled'}
            {failed && job.error?.hint && <span className="pending-take__hint"> {job.error.hint}</span>}
          </span>
        )}
      </div>
      <div className="pending-take__actions">
        {active ? (
          <button type="button" className="btn btn--xs" onClick={() => void cancelJob(job.id)} aria-label={`Cancel ${label}`} data-testid="pending-cancel">
            Cancel
          </button>
        ) : (
          <>
            <button type="button" className="btn btn--xs" onClick={() => void retryJob(job.id)} aria-label={`Retry ${label}`} data-testid="pending-retry">
              <Icon name="retry" size={12} /> Retry
            </button>
            <button type="button" className="btn btn--ghost btn--icon btn--xs" onClick={() => dismiss(job.id)} aria-label={`Dismiss ${label}`} title="Dismiss" data-testid="pending-dismiss">
              <Icon name="close" size={12} />
            </button>
          </>
        )}
      </div>
    </li>
  );
}
