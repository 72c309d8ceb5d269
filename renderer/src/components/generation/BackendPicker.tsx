/** Which backend and model generates: status, execution provider, and why one is unusable. */
import type { BackendInfo } from '@app/generation/types';
import type { SerializedError } from '@app/errors';
import { Icon } from '../common/Icon';
import { backendKey } from '../../state/generation';
import { providerText } from './util';

export function ErrorBanner({ error, testId }: { error: SerializedError; testId: string }) {
  return (
    <div className="banner banner--error gen-error" role="alert" data-testid={testId}>
      <Icon name="alert" className="banner__icon" />
      <div className="banner__body">
        <div className="banner__message" data-testid={`${testId}-message`}>
          {error.message}
        </div>
        {error.hint && (
          <div className="banner__hint" data-testid={`${testId}-hint`}>
            {error.hint}
          </div>
        )}
      </div>
    </div>
  );
}

export function BackendPicker({
  backends,
  selected,
  loading,
  error,
  onSelect,
  onRefresh,
}: {
  backends: BackendInfo[] | null;
  selected: BackendInfo | null;
  loading: boolean;
  error: SerializedError | null;
  onSelect: (key: string) => void;
  onRefresh: () => void;
}) {
  return (
    <div className="gen-backend">
      <div className="gen-row">
        <label className="gen-row__label" htmlFor="gen-backend-select">
          Backend
        </label>
        <div className="gen-row__control gen-backend__pick">
          <select
            id="gen-backend-select"
            className="input input--sm select"
            value={selected ? backendKey(selected) : ''}
            onChange={(e) => onSelect(e.target.value)}
            disabled={!backends || backends.length === 0}
            data-testid="backend-select"
          >
            {!backends?.length && <option value="">{loading ? 'Looking for backends…' : 'No backend found'}</option>}
            {backends?.map((b) => (
              <option key={`${backendKey(b)}:${b.location ?? ''}`} value={backendKey(b)}>
                {b.label}
                {b.status === 'error' ? ' (unusable)' : ''}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn btn--ghost btn--icon btn--sm"
            onClick={onRefresh}
            disabled={loading}
            aria-label="Look for backends and model packs again"
            title="Look for backends and model packs again"
            data-testid="backend-refresh"
          >
            {loading ? <span className="spinner spinner--sm" role="status" aria-label="Loading backends" /> : <Icon name="retry" size={14} />}
          </button>
        </div>
      </div>
      {selected && (
        <div className="gen-backend__meta">
          <span className={`gen-status gen-status--${selected.status}`} data-testid="backend-status" data-status={selected.status}>
            <span className="gen-status__dot" aria-hidden="true" />
            {selected.status === 'ready' ? 'Ready' : 'Unusable'}
          </span>
          <span className="gen-provider" data-testid="backend-provider" title="Where it runs (execution provider)">
            {providerText(selected)}
          </span>
          {selected.executionProvider === 'remote' ? (
            <span className="muted truncate" title={selected.location ?? selected.model.displayName} data-testid="backend-where">
              {selected.model.displayName}
              {selected.location ? ` · ${selected.location}` : ''}
            </span>
          ) : (
            <span className="muted truncate" title={selected.model.description ?? selected.model.displayName}>
              {selected.model.name} {selected.model.version}
            </span>
          )}
        </div>
      )}
      {selected?.status === 'error' && selected.error && <ErrorBanner error={selected.error} testId="backend-error" />}
      {error && <ErrorBanner error={error} testId="backend-error" />}
    </div>
  );
}
