/**
 * The user's own name: who "Only me" means on the consents they record, and the name that
 * "named collaborators" lists are matched against. Shown in the Cameos view's header and beside
 * "Who may use it" in the consent form; checked here as you type and again by main.
 */
import { useEffect, useId, useState } from 'react';
import { userNameProblem } from '@app/cameos/user-name';
import { loadUserName, saveUserName } from '../../actions/cameos';
import { useCameos } from '../../state/cameos';

export function UserNameField({ label = 'Your name' }: { label?: string }) {
  const saved = useCameos((s) => s.userName);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  useEffect(() => {
    if (saved === null) loadUserName().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [saved]);
  const value = draft ?? saved ?? '';
  const problem = draft !== null ? userNameProblem(draft) : null;
  const changed = draft !== null && draft.trim() !== (saved ?? '');

  async function save() {
    if (!changed || problem) return;
    setBusy(true);
    setError(null);
    try {
      await saveUserName(draft!);
      setDraft(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="user-name"
      data-testid="cameo-user"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label className="user-name__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="input user-name__input"
        value={value}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && draft !== null) {
            e.stopPropagation(); // the field's own undo, not the dialog's close
            setDraft(null);
          }
        }}
        aria-invalid={!!problem}
        aria-describedby={problem || error ? `${id}-err` : undefined}
        title="Who “Only me” means on the consents you record, and the name collaborators’ lists are matched against"
        data-testid="cameo-user-name"
      />
      <button type="submit" className="btn btn--sm" disabled={!changed || !!problem || busy} data-testid="cameo-user-save">
        Save
      </button>
      {(problem || error) && (
        <span id={`${id}-err`} className="error-text" role="alert" data-testid="cameo-user-error">
          {problem ?? error}
        </span>
      )}
    </form>
  );
}
