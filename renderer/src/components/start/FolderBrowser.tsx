/**
 * A folder browser over `fs.list`, so the studio (a browser with no file dialogs) can
 * pick folders on the machine that runs Shotline. In "project" mode, Shotline projects
 * are openable; in "folder" mode the user chooses the folder being shown.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DirEntry } from '@app/api/contract';
import type { SerializedError } from '@app/errors';
import { toSerialized } from '../../actions/errors';
import { listFolder } from '../../actions/files';
import { ErrorBanner } from '../common/ErrorBanner';
import { Icon } from '../common/Icon';
import { Modal } from '../common/Modal';

export function FolderBrowser({
  mode,
  initialPath,
  onChoose,
  onClose,
}: {
  mode: 'folder' | 'project';
  initialPath?: string;
  onChoose: (path: string) => void;
  onClose: () => void;
}) {
  const [path, setPath] = useState<string>(initialPath ?? '');
  const [parent, setParent] = useState<string | null>(null);
  const [typed, setTyped] = useState<string>(initialPath ?? '');
  const [entries, setEntries] = useState<DirEntry[] | null>(null);
  const [error, setError] = useState<SerializedError | null>(null);

  // Whether the user has typed into the path field since they last went somewhere: a listing
  // then leaves the field alone (input typed before an answer wins).
  const edited = useRef(false);
  // Only the latest listing asked for is shown (an earlier, slower one must not replace it).
  const asked = useRef(0);

  const load = useCallback(async (target: string | undefined, byUser: boolean) => {
    if (byUser) edited.current = false;
    setError(null);
    setEntries(null);
    const mine = ++asked.current;
    try {
      const list = await listFolder(target);
      if (mine !== asked.current) return;
      setPath(list.path);
      if (!edited.current) setTyped(list.path);
      setParent(list.parent);
      setEntries(list.entries.filter((e) => e.isDir).sort((a, b) => Number(b.isProject) - Number(a.isProject) || a.name.localeCompare(b.name)));
    } catch (e) {
      if (mine !== asked.current) return;
      setError(toSerialized(e));
      setEntries([]);
    }
  }, []);

  // The folder to start in is the one given when the browser opened; a later change of it
  // (the start screen's default location arriving) must not navigate away under the user.
  const start = useRef(initialPath);
  useEffect(() => {
    void load(start.current || undefined, false);
  }, [load]);

  const up = parent;
  const footer = (
    <>
      <span className="folder-browser__current" title={path}>
        {path || '—'}
      </span>
      <button type="button" className="btn" onClick={onClose}>
        Cancel
      </button>
      {mode === 'folder' && (
        <button type="button" className="btn btn--primary" disabled={!path} onClick={() => onChoose(path)} data-testid="folder-choose">
          Choose this folder
        </button>
      )}
    </>
  );

  return (
    <Modal title={mode === 'project' ? 'Open project' : 'Choose a folder'} onClose={onClose} footer={footer} testId="folder-browser" wide>
      <form
        className="folder-browser__bar"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed.trim()) void load(typed.trim(), true);
        }}
      >
        <button type="button" className="btn btn--icon" onClick={() => up && void load(up, true)} disabled={!up} aria-label="Parent folder" data-testid="folder-up">
          <Icon name="up" />
        </button>
        <input className="input input--mono" value={typed} onChange={(e) => {
            edited.current = true;
            setTyped(e.target.value);
          }} aria-label="Folder path" data-testid="folder-path" spellCheck={false} />
        <button type="submit" className="btn">
          Go
        </button>
      </form>
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      <ul className="folder-browser__list" aria-label="Folders" data-testid="folder-list">
        {entries === null && <li className="folder-browser__empty">Loading…</li>}
        {entries?.length === 0 && !error && <li className="folder-browser__empty">No folders here.</li>}
        {entries?.map((e) => (
          <li key={e.path}>
            <button
              type="button"
              className={e.isProject ? 'folder-entry folder-entry--project' : 'folder-entry'}
              data-testid="folder-entry"
              data-path={e.path}
              data-is-project={e.isProject ? 'true' : 'false'}
              onClick={() => (mode === 'project' && e.isProject ? onChoose(e.path) : void load(e.path, true))}
              title={mode === 'project' && e.isProject ? `Open ${e.name}` : `Open folder ${e.name}`}
            >
              <Icon name={e.isProject ? 'film' : 'folder'} size={18} />
              <span className="folder-entry__name">{e.name}</span>
              {e.isProject && <span className="badge badge--accent">Shotline project</span>}
              {mode === 'project' && e.isProject && <span className="folder-entry__action">Open</span>}
            </button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}
