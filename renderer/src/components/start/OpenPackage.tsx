/** "Open package…": a .shotlinepkg is unpacked into the new-project folder above and opened. */
import { useState } from 'react';
import { DisclosureForm } from './DisclosureForm';

export function OpenPackage({ target, busy, onOpen }: { target: string; busy: boolean; onOpen(file: string): void }) {
  const [file, setFile] = useState('');
  return (
    <DisclosureForm
      label="Open package…"
      submitLabel="Unpack and open"
      testId="open-package"
      busy={busy}
      canSubmit={!!target && !!file.trim()}
      note="It is unpacked into the project folder named above, checked against its manifest, then opened."
      onSubmit={() => onOpen(file.trim())}
    >
      <label className="field">
        <span className="field__label">Project package (.shotlinepkg)</span>
        <input className="input input--mono" value={file} onChange={(e) => setFile(e.target.value)} placeholder="/path/to/Film.shotlinepkg" spellCheck={false} required data-testid="open-package-file" />
      </label>
    </DisclosureForm>
  );
}
