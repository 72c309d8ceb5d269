/**
 * A checkbox whose value lives in the project store and changes through an edit round
 * trip. A plain controlled checkbox snaps back to the old value for the few milliseconds
 * the edit takes (React re-asserts `checked` before the store catches up), which reads
 * as a flicker and makes the first click look ignored. React 19's useOptimistic shows
 * the new value at once and falls back to the store's value if the edit fails.
 */
import { startTransition, useOptimistic, type ReactNode } from 'react';

export function EditCheckbox({
  checked,
  onToggle,
  disabled,
  testId,
  children,
}: {
  checked: boolean;
  /** Commits the change; the checkbox shows the new value until this settles. */
  onToggle: (next: boolean) => Promise<unknown>;
  disabled?: boolean;
  testId?: string;
  children: ReactNode;
}) {
  const [shown, setShown] = useOptimistic(checked);
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={shown}
        disabled={disabled}
        onChange={(e) => {
          const next = e.target.checked;
          startTransition(async () => {
            setShown(next);
            await onToggle(next);
          });
        }}
        data-testid={testId}
      />
      {children}
    </label>
  );
}
