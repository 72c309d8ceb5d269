/** Every background job: state, progress, message; cancel what runs, retry what failed. */
import type { Job } from '@app/jobs/types';
import { cancelJob, retryJob } from '../../actions/jobs';
import { formatEta, formatPercent, jobMessageText } from '../../lib/format';
import { isActiveJob, useJobList } from '../../state/selectors';
import { useUi } from '../../state/ui';
import { Icon } from '../common/Icon';

const STATE_LABEL: Record<Job['state'], string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
  canceled: 'Canceled',
};

export function JobRow({ job }: { job: Job }) {
  const active = isActiveJob(job);
  return (
    <li className={`job job--${job.state}`} data-testid="job-row" data-job-id={job.id} data-state={job.state} data-kind={job.kind}>
      <div className="job__head">
        <span className="job__title truncate" title={job.title}>
          {job.title}
        </span>
        <span className={`badge badge--${job.state}`}>{STATE_LABEL[job.state]}</span>
      </div>
      {active && (
        <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(job.progress * 100)} aria-label={`${job.title} progress`}>
          <div className={job.state === 'queued' ? 'progress__bar progress__bar--idle' : 'progress__bar'} style={{ width: formatPercent(job.progress) }} />
        </div>
      )}
      <div className="job__foot">
        <span className="job__message truncate" title={job.error?.message ?? job.message}>
          {job.state === 'failed' && job.error ? job.error.message : jobMessageText(job.message)}
          {job.state === 'running' && <span className="muted"> · {formatPercent(job.progress)}{job.etaSeconds !== null ? ` · ${formatEta(job.etaSeconds)}` : ''}</span>}
        </span>
        {active ? (
          <button type="button" className="btn btn--xs" onClick={() => void cancelJob(job.id)} data-testid="job-cancel">
            Cancel
          </button>
        ) : job.state === 'failed' || job.state === 'canceled' ? (
          <button type="button" className="btn btn--xs" onClick={() => void retryJob(job.id)} data-testid="job-retry">
            <Icon name="retry" size={12} /> Retry
          </button>
        ) : null}
      </div>
      {job.state === 'failed' && job.error?.hint && <div className="job__hint">{job.error.hint}</div>}
    </li>
  );
}

export function JobsPanel() {
  const jobs = useJobList();
  const setOpen = useUi((s) => s.setJobsOpen);
  const active = jobs.filter(isActiveJob);
  const done = jobs.filter((j) => !isActiveJob(j));
  return (
    <aside className="jobs-panel" aria-label="Jobs" data-testid="jobs-panel">
      <header className="panel-header">
        <h2 className="panel-title">
          Jobs <span className="muted">{active.length ? `${active.length} running` : 'idle'}</span>
        </h2>
        <button type="button" className="btn btn--ghost btn--icon btn--sm" onClick={() => setOpen(false)} aria-label="Close jobs panel">
          <Icon name="close" size={14} />
        </button>
      </header>
      {jobs.length === 0 ? (
        <p className="muted jobs-panel__empty">No jobs yet. Imports, thumbnails and exports show up here.</p>
      ) : (
        <ul className="jobs-list">
          {[...active, ...done].map((j) => (
            <JobRow key={j.id} job={j} />
          ))}
        </ul>
      )}
    </aside>
  );
}
