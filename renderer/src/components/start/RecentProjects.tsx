import type { RecentProject } from '@app/api/contract';
import { Icon } from '../common/Icon';

function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function RecentProjects({ recent, onOpen, busy }: { recent: RecentProject[] | null; onOpen: (dir: string) => void; busy: boolean }) {
  return (
    <section className="start-card start-card--recent" aria-labelledby="recent-title">
      <h2 id="recent-title" className="start-card__title">
        Recent projects
      </h2>
      {recent === null && <p className="muted">Loading…</p>}
      {recent?.length === 0 && <p className="muted">Nothing yet. Create a project or try the sample.</p>}
      <ul className="recent-list" data-testid="recent-projects">
        {recent?.map((r) => (
          <li key={r.dir}>
            <button type="button" className="recent-item" onClick={() => onOpen(r.dir)} disabled={busy} data-testid="recent-project" data-dir={r.dir}>
              <Icon name="film" size={20} className="recent-item__icon" />
              <span className="recent-item__text">
                <span className="recent-item__name">{r.name}</span>
                <span className="recent-item__dir">{r.dir}</span>
              </span>
              <span className="recent-item__when">{when(r.openedAt)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
