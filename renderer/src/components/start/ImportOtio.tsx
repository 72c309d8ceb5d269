/** "New project from OTIO": the .otio file and, optionally, a folder to find moved media in by name. */
import { useState } from 'react';
import { DisclosureForm } from './DisclosureForm';

export function ImportOtio({ target, busy, onImport }: { target: string; busy: boolean; onImport(file: string, searchDir?: string): void }) {
  const [file, setFile] = useState('');
  const [searchDir, setSearchDir] = useState('');
  return (
    <DisclosureForm
      label="New project from OTIO…"
      submitLabel="Import timeline"
      testId="import-otio"
      busy={busy}
      canSubmit={!!target && !!file.trim()}
      note="The new project is created at the name and location above; a report says what was relinked or left out."
      onSubmit={() => onImport(file.trim(), searchDir.trim() || undefined)}
    >
      <label className="field">
        <span className="field__label">OpenTimelineIO file (.otio)</span>
        <input className="input input--mono" value={file} onChange={(e) => setFile(e.target.value)} placeholder="/path/to/cut.otio" spellCheck={false} required data-testid="import-otio-file" />
      </label>
      <label className="field">
        <span className="field__label">Look for moved media in (optional)</span>
        <input className="input input--mono" value={searchDir} onChange={(e) => setSearchDir(e.target.value)} placeholder="/path/to/media folder" spellCheck={false} data-testid="import-otio-search" />
      </label>
    </DisclosureForm>
  );
}
