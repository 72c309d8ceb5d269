/** "Open package…": a .shotlinepkg is unpacked into the new-project folder above and opened. */
import { useState } from 'react';
import { Icon } from '../common/Icon';

export function OpenPackage({ target, busy, onOpen }: { target: string; busy: boolean; onOpen(file: string): void }) {
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState('');
  if (!open)
    return (
      <button type="button" className="btn btn--wide" onClick={() => setOpen(true)} disabled={busy} data-testid="open-package-open">
        <Icon name="folderOpen" /> Open package…
      </button>
    );
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        if (target && file.trim()) onOpen(file.trim());
      }}
    >
      <label className="field">
        <span className="field__label">Project package (.shotlinepkg)</span>
        <input className="input input--mono" value={file} onChange={(e) => setFile(e.target.value)} placeholder="/path/to/Film.shotlinepkg" spellCheck={false} required data-testid="open-package-file" />
      </label>
      <p className="field__note">It is unpacked into the project folder named above, checked against its manifest, then opened.</p>
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={!target || !file.trim() || busy} data-testid="open-package-start">
          Unpack and open
        </button>
        <button type="button" className="btn" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
