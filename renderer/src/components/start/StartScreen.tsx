/** Start: recent projects, new project, open project, sample project. */
import { useEffect, useState } from 'react';
import type { RecentProject } from '@app/api/contract';
import type { SerializedError } from '@app/errors';
import { toSerialized } from '../../actions/errors';
import { createProject, createSampleProject, importOtioProject, openPackage, openProject } from '../../actions/project';
import { listFolder, recentProjects } from '../../actions/files';
import { hostTransport } from '../../client';
import { joinPath, parentPath } from '../../lib/format';
import { PreferencesButton } from '../preferences/PreferencesDialog';
import { useSession } from '../../state/session';
import { ErrorBanner } from '../common/ErrorBanner';
import { Icon } from '../common/Icon';
import { FolderBrowser } from './FolderBrowser';
import { ImportOtio } from './ImportOtio';
import { OpenPackage } from './OpenPackage';
import { RecentProjects } from './RecentProjects';

type Browsing = null | 'location' | 'open';

export function StartScreen() {
  const info = useSession((s) => s.info);
  const [name, setName] = useState('Untitled film');
  const [location, setLocation] = useState('');
  const [browsing, setBrowsing] = useState<Browsing>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<SerializedError | null>(null);

  const [recent, setRecent] = useState<RecentProject[] | null>(null);

  // Default location: where the last project lives, else the folder fs.list starts in (home).
  useEffect(() => {
    let live = true;
    void (async () => {
      const list = await recentProjects();
      if (!live) return;
      setRecent(list);
      let guess = list[0] ? parentPath(list[0].dir) : null;
      if (!guess) {
        guess = (await listFolder().catch(() => null))?.path ?? null;
      }
      if (live && guess) setLocation((l) => l || guess);
    })();
    return () => {
      live = false;
    };
  }, []);

  /** Native dialog in Electron; the fs.list browser in the studio. */
  async function browse(kind: 'location' | 'open') {
    const pick = hostTransport().pickDirectory;
    if (!pick) return setBrowsing(kind);
    const dir = await pick();
    if (!dir) return;
    if (kind === 'location') setLocation(dir);
    else void run('open', () => openProject(dir));
  }

  const target = location.trim() && name.trim() ? joinPath(location.trim(), name.trim()) : '';

  async function run(label: string, fn: () => Promise<void>) {
    setBusy(label);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(toSerialized(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="start" data-testid="start-screen">
      <header className="start__header">
        <div className="brand">
          <span className="brand__mark" aria-hidden="true" />
          <span className="brand__name">Shotline</span>
        </div>
        <span className="muted start__version">
          {info ? `v${info.version} · ${info.engine.kind === 'native' ? `ffmpeg ${info.engine.version}` : 'ffmpeg (wasm)'}` : ''}
          <PreferencesButton />
        </span>
      </header>
      <main className="start__main">
        <h1 className="start__headline">Storyboard, generate, cut.</h1>
        {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
        <div className="start__grid">
          <section className="start-card" aria-labelledby="new-title">
            <h2 id="new-title" className="start-card__title">
              New project
            </h2>
            <form
              className="form"
              onSubmit={(e) => {
                e.preventDefault();
                if (target) void run('create', () => createProject(target, name.trim()));
              }}
            >
              <label className="field">
                <span className="field__label">Name</span>
                <input className="input" value={name} onChange={(e) => setName(e.target.value)} data-testid="new-project-name" maxLength={200} required />
              </label>
              <label className="field">
                <span className="field__label">Location</span>
                <span className="field__row">
                  <input className="input input--mono" value={location} onChange={(e) => setLocation(e.target.value)} data-testid="new-project-dir" spellCheck={false} placeholder="/path/to/folder" required />
                  <button type="button" className="btn" onClick={() => void browse('location')} data-testid="browse-location">
                    <Icon name="folderOpen" /> Browse…
                  </button>
                </span>
              </label>
              <p className="field__note" data-testid="new-project-target">
                {target ? (
                  <>
                    Project folder: <code>{target}</code>
                  </>
                ) : (
                  'Pick a location and a name.'
                )}
              </p>
              <div className="form__actions">
                <button type="submit" className="btn btn--primary" disabled={!target || !!busy} data-testid="new-project-create">
                  <Icon name="plus" /> {busy === 'create' ? 'Creating…' : 'Create project'}
                </button>
                <button
                  type="button"
                  className="btn"
                  disabled={!target || !!busy}
                  onClick={() => void run('sample', () => createSampleProject(target))}
                  data-testid="create-sample"
                  title="Creates a project with a storyboard and generated media to explore"
                >
                  <Icon name="sparkle" /> {busy === 'sample' ? 'Creating sample…' : 'Create sample project'}
                </button>
              </div>
            </form>
            <div className="start-card__divider" />
            <button type="button" className="btn btn--wide" onClick={() => void browse('open')} disabled={!!busy} data-testid="open-project">
              <Icon name="folderOpen" /> Open project…
            </button>
            <OpenPackage target={target} busy={!!busy} onOpen={(file) => void run('package', () => openPackage(file, target))} />
            <ImportOtio target={target} busy={!!busy} onImport={(file, searchDir) => void run('otio', () => importOtioProject(file, target, searchDir))} />
          </section>
          <RecentProjects recent={recent} onOpen={(dir) => void run('open', () => openProject(dir))} busy={!!busy} />
        </div>
      </main>
      {browsing === 'location' && (
        <FolderBrowser
          mode="folder"
          initialPath={location || undefined}
          onClose={() => setBrowsing(null)}
          onChoose={(p) => {
            setLocation(p);
            setBrowsing(null);
          }}
        />
      )}
      {browsing === 'open' && (
        <FolderBrowser
          mode="project"
          initialPath={location || undefined}
          onClose={() => setBrowsing(null)}
          onChoose={(p) => {
            setBrowsing(null);
            void run('open', () => openProject(p));
          }}
        />
      )}
    </div>
  );
}
