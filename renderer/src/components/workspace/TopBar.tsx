import { redo, undo } from '../../actions/edit';
import { closeProject } from '../../actions/project';
import { useProject } from '../../state/project';
import { useActiveJobCount } from '../../state/selectors';
import { useSession } from '../../state/session';
import { useUi, type View } from '../../state/ui';
import { Icon, type IconName } from '../common/Icon';
import { PreferencesButton } from '../preferences/PreferencesDialog';

const TABS: { view: View; label: string; icon: IconName; key: string }[] = [
  { view: 'storyboard', label: 'Storyboard', icon: 'storyboard', key: '1' },
  { view: 'edit', label: 'Edit', icon: 'edit', key: '2' },
  { view: 'media', label: 'Media', icon: 'bin', key: '3' },
  { view: 'cameos', label: 'Cameos', icon: 'cameo', key: '4' },
];

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl+';

function ConnectionDot() {
  const connection = useSession((s) => s.connection);
  if (connection === 'online') return null;
  return (
    <span className={`conn conn--${connection}`} role="status" data-testid="connection-status" data-status={connection}>
      <span className="conn__dot" aria-hidden="true" />
      {connection === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
    </span>
  );
}

function JobsIndicator() {
  const active = useActiveJobCount();
  const open = useUi((s) => s.jobsOpen);
  const setOpen = useUi((s) => s.setJobsOpen);
  return (
    <button
      type="button"
      className={open ? 'btn btn--ghost jobs-indicator is-active' : 'btn btn--ghost jobs-indicator'}
      onClick={() => setOpen(!open)}
      aria-pressed={open}
      aria-label={active ? `Jobs: ${active} running` : 'Jobs'}
      data-testid="jobs-indicator"
      data-active={active}
    >
      {active > 0 ? <span className="spinner spinner--sm" aria-hidden="true" /> : <Icon name="jobs" />}
      Jobs
      {active > 0 && <span className="count">{active}</span>}
    </button>
  );
}

export function TopBar() {
  const name = useProject((s) => s.state?.settings.name ?? '');
  const dir = useProject((s) => s.dir ?? '');
  const history = useProject((s) => s.history);
  const view = useUi((s) => s.view);
  const setView = useUi((s) => s.setView);
  const setExportOpen = useUi((s) => s.setExportOpen);

  return (
    <header className="topbar">
      <div className="topbar__left">
        <span className="brand__mark brand__mark--sm" aria-hidden="true" />
        <div className="topbar__project">
          <span className="topbar__name" data-testid="project-name" title={dir}>
            {name}
          </span>
          <button type="button" className="btn btn--ghost btn--xs" onClick={() => void closeProject()} data-testid="close-project" title="Close project and return to the start screen">
            Close
          </button>
        </div>
      </div>
      <nav className="tabs" role="tablist" aria-label="Workspace">
        {TABS.map((t) => (
          <button
            key={t.view}
            type="button"
            role="tab"
            aria-selected={view === t.view}
            className={view === t.view ? 'tab is-active' : 'tab'}
            onClick={() => setView(t.view)}
            data-testid={`tab-${t.view}`}
            title={`${t.label} (${mod}${t.key})`}
          >
            <Icon name={t.icon} />
            {t.label}
          </button>
        ))}
      </nav>
      <div className="topbar__right">
        <ConnectionDot />
        <div className="btn-group" role="group" aria-label="History">
          <button
            type="button"
            className="btn btn--ghost"
            disabled={!history.canUndo}
            onClick={() => void undo()}
            data-testid="undo"
            title={history.undoLabel ? `Undo ${history.undoLabel} (${mod}Z)` : 'Nothing to undo'}
          >
            <Icon name="undo" />
            <span className="btn__label">{history.undoLabel ? `Undo ${history.undoLabel}` : 'Undo'}</span>
          </button>
          <button
            type="button"
            className="btn btn--ghost"
            disabled={!history.canRedo}
            onClick={() => void redo()}
            data-testid="redo"
            title={history.redoLabel ? `Redo ${history.redoLabel} (${mod}Shift+Z)` : 'Nothing to redo'}
          >
            <Icon name="redo" />
            <span className="btn__label">{history.redoLabel ? `Redo ${history.redoLabel}` : 'Redo'}</span>
          </button>
        </div>
        <JobsIndicator />
        <PreferencesButton />
        <button type="button" className="btn btn--primary" onClick={() => setExportOpen(true)} data-testid="export-open">
          <Icon name="export" /> Export
        </button>
      </div>
    </header>
  );
}
