/**
 * A start-screen action that opens into a small form: a wide button first, then the fields,
 * a note, and submit / cancel. Test ids are `<testId>-open` and `<testId>-start`.
 */
import { useState, type ReactNode } from 'react';
import { Icon } from '../common/Icon';

export interface DisclosureFormProps {
  label: string;
  submitLabel: string;
  testId: string;
  busy: boolean;
  canSubmit: boolean;
  note: string;
  onSubmit(): void;
  children: ReactNode;
}

export function DisclosureForm({ label, submitLabel, testId, busy, canSubmit, note, onSubmit, children }: DisclosureFormProps) {
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <button type="button" className="btn btn--wide" onClick={() => setOpen(true)} disabled={busy} data-testid={`${testId}-open`}>
        <Icon name="folderOpen" /> {label}
      </button>
    );
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        if (canSubmit) onSubmit();
      }}
    >
      {children}
      <p className="field__note">{note}</p>
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={!canSubmit || busy} data-testid={`${testId}-start`}>
          {submitLabel}
        </button>
        <button type="button" className="btn" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
