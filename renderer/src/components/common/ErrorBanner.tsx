import type { SerializedError } from '@app/errors';
import { Icon } from './Icon';

/** A failure in place: what went wrong, and what to do about it. */
export function ErrorBanner({ error, onDismiss, testId = 'error-banner' }: { error: SerializedError; onDismiss?: () => void; testId?: string }) {
  return (
    <div className="banner banner--error" role="alert" data-testid={testId} data-code={error.code}>
      <Icon name="alert" size={18} className="banner__icon" />
      <div className="banner__body">
        <div className="banner__message">{error.message}</div>
        {error.hint && <div className="banner__hint">{error.hint}</div>}
      </div>
      {onDismiss && (
        <button type="button" className="btn btn--ghost btn--icon" onClick={onDismiss} aria-label="Dismiss">
          <Icon name="close" />
        </button>
      )}
    </div>
  );
}
