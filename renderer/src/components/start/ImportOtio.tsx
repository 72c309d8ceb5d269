/** "New project from OTIO": the .otio file and, optionally, a folder to find moved media in by name. */
import { useState } from 'react';
import { Icon } from '../common/Icon';

export function ImportOtio({ target, busy, onImport }: { target: string; busy: boolean; onImport(file: string, searchDir?: string): void }) {
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState('');
  const [searchDir, setSearchDir] = useState('');
  if (!open)
    return (
      <button type="button" className="btn btn--wide" onClick={() => setOpen(true)} disabled={busy} data-testid="import-otio-open">
        <Icon name="folderOpen" /> New project from OTIO…
      </button>
    );
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        if (target && file.trim()) onImport(file.trim(), searchDir.trim() || undefined);
      }}
    >
      <label className="field">
        <span className="field__label">OpenTimelineIO file (.otio)</span>
        <input className="input input--mono" value={file} onChange={(e) => setFile(e.target.value)} placeholder="/path/to/cut.otio" spellCheck={false} required data-testid="import-otio-file" />
      </label>
      <label className="field">
        <span className="field__label">Look for moved media in (optional)</span>
        <input className="input input--mono" value={searchDir} onChange={(e) => setSearchDir(e.target.value)} placeholder="/path/to/media folder" spellCheck={false} data-testid="import-otio-search" />
      </label>
      <p className="field__note">The new project is created at the name and location above; a report says what was relinked or left out.</p>
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={!target || !file.trim() || busy} data-testid="import-otio-start">
          Import timeline
        </button>
        <button type="button" className="btn" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
