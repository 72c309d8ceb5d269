/**
 * Preferences → Endpoints: remote generation servers (an OpenAI-compatible /v1/videos API,
 * `shotline serve` on another machine, a ComfyUI box). Add, test, edit, remove; each shows
 * what it reported it can make. A key typed here goes to main (and the OS keychain) once and is
 * never shown again: the list only says whether one is set and where it comes from.
 */
import { useCallback, useEffect, useState } from 'react';
import { ENDPOINT_KIND_LABELS, SPEECH_ENDPOINT_KINDS, type Endpoint } from '@app/endpoints/types';
import type { SerializedError } from '@app/errors';
import { toSerialized } from '../../actions/errors';
import { addEndpoint, listEndpoints, removeEndpoint, testEndpoint, updateEndpoint } from '../../actions/endpoints';
import { ErrorBanner } from '../common/ErrorBanner';
import { draftFields, draftOf, EMPTY_DRAFT, EndpointForm, type Draft } from './EndpointForm';

const TASK_SHORT: Record<string, string> = { 'text-to-video': 'text', 'image-to-video': 'image', 'video-to-video': 'video' };

/** What an endpoint makes, as short chips: tasks, lengths, sizes, sound, operations. */
function capsChips(e: Endpoint): string[] {
  if (SPEECH_ENDPOINT_KINDS.includes(e.kind)) return ['speech: voices dialogue lines'];
  const c = e.capabilities;
  return [
    `${c.tasks.map((t) => TASK_SHORT[t] ?? t).join(' / ')} → video`,
    `${c.durations.join(', ')} s`,
    c.sizes.map((s) => `${s.width}×${s.height}`).join(', '),
    c.audio ? 'with sound' : 'silent',
    ...(c.imageInput ? ['image input'] : []),
    ...c.operations,
  ];
}

function keyText(e: Endpoint): string {
  return e.keySource === 'keychain' ? 'key in keychain' : e.keySource === 'environment' ? `key from ${e.keyEnvVar}` : 'no key';
}

export function EndpointsSection({ onChanged }: { onChanged: () => void }) {
  const [list, setList] = useState<Endpoint[] | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState(false);
  const [testing, setTesting] = useState<string | null>(null);
  const [error, setError] = useState<SerializedError | null>(null);

  const reload = useCallback(async () => setList(await listEndpoints().catch(() => [])), []);
  useEffect(() => void reload(), [reload]);

  async function run(fn: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await reload();
      onChanged();
    } catch (e) {
      setError(toSerialized(e));
    } finally {
      setBusy(false);
    }
  }

  function save(d: Draft) {
    const fields = draftFields(d);
    void run(async () => {
      if (d.id) await updateEndpoint({ id: d.id, ...fields });
      else await addEndpoint(fields);
      setDraft(null);
    });
  }

  return (
    <section className="prefs__section" aria-labelledby="prefs-endpoints" data-testid="prefs-endpoints">
      <h3 className="section-title" id="prefs-endpoints">
        Endpoints
      </h3>
      <ul className="prefs__packs" aria-busy={list === null}>
        {list?.length === 0 && <li className="muted">No remote endpoints. Add a /v1/videos server (or <code>shotline serve</code> on another machine) or a ComfyUI box.</li>}
        {list?.map((e) => {
          const check = e.lastCheck;
          return (
            <li key={e.id} className={check && !check.ok ? 'prefs__pack prefs__endpoint is-error' : 'prefs__pack prefs__endpoint'} data-testid="prefs-endpoint" data-name={e.name}>
              <div className="prefs__endpoint-head">
                <strong>{e.name}</strong>
                <span className="muted">{ENDPOINT_KIND_LABELS[e.kind]}</span>
                <span className="prefs__tags">
                  {e.pool && <span className="prefs__tag">pool {e.pool}</span>}
                  <span className="prefs__tag">{e.concurrency} at once</span>
                  <span className={e.pricePerSecond !== null ? 'prefs__tag prefs__tag--paid' : 'prefs__tag'}>{e.pricePerSecond !== null ? `$${e.pricePerSecond}/s` : 'free'}</span>
                  <span className="prefs__tag">{keyText(e)}</span>
                </span>
              </div>
              <div className="muted prefs__path" title={e.baseUrl}>
                {e.baseUrl}
                {e.model ? ` · ${e.model}` : ''}
                {e.options.workflow ? ` · ${e.options.workflow}` : ''}
              </div>
              <div className="prefs__caps" data-testid="prefs-endpoint-caps" title={check ? 'As the server reported at the last test' : "The protocol's standard values (test the connection to see the server's own)"}>
                {capsChips(e).map((c) => (
                  <span key={c} className="prefs__cap">
                    {c}
                  </span>
                ))}
              </div>
              {check && (
                <div className={check.ok ? 'prefs__check is-ok' : 'prefs__check prefs__pack-error'} data-testid="prefs-endpoint-check" data-ok={check.ok ? 'true' : 'false'}>
                  {check.ok ? '✓ ' : '✕ '}
                  {check.message}
                  {check.ok && check.latencyMs !== null ? <span className="muted"> ({check.latencyMs} ms)</span> : null}
                </div>
              )}
              <div className="field__row prefs__endpoint-actions">
                <button
                  type="button"
                  className="btn btn--sm"
                  disabled={busy}
                  data-testid="prefs-endpoint-test"
                  onClick={() => {
                    setTesting(e.id);
                    void run(() => testEndpoint(e.id)).finally(() => setTesting(null));
                  }}
                >
                  {testing === e.id ? 'Testing…' : 'Test connection'}
                </button>
                <button type="button" className="btn btn--ghost btn--sm" disabled={busy} data-testid="prefs-endpoint-edit" onClick={() => setDraft(draftOf(e))}>
                  Edit
                </button>
                <button type="button" className="btn btn--ghost btn--sm" disabled={busy} data-testid="prefs-endpoint-remove" onClick={() => void run(() => removeEndpoint(e.id))}>
                  Remove
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} testId="prefs-error-endpoints" />}
      {draft ? (
        <EndpointForm draft={draft} busy={busy} onChange={setDraft} onSave={() => save(draft)} onCancel={() => setDraft(null)} />
      ) : (
        <button type="button" className="btn" onClick={() => setDraft({ ...EMPTY_DRAFT })} data-testid="prefs-endpoint-add">
          Add endpoint…
        </button>
      )}
    </section>
  );
}
