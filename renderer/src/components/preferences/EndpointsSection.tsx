/**
 * Preferences → Endpoints: remote generation servers (an OpenAI-compatible /v1/videos API,
 * `shotline serve` on another machine, a ComfyUI box). Add, test, edit, remove; each shows
 * what it reported it can make. A key typed here goes to main (and the OS keychain) once and is
 * never shown again: the list only says whether one is set and where it comes from.
 */
import { useCallback, useEffect, useState } from 'react';
import { ENDPOINT_KIND_LABELS, ENDPOINT_KINDS, type Endpoint, type EndpointKind } from '@app/endpoints/types';
import type { SerializedError } from '@app/errors';
import { toSerialized } from '../../actions/errors';
import { addEndpoint, listEndpoints, removeEndpoint, testEndpoint, updateEndpoint } from '../../actions/endpoints';
import { ErrorBanner } from '../common/ErrorBanner';

interface Draft {
  id: string | null;
  name: string;
  kind: EndpointKind;
  baseUrl: string;
  model: string;
  workflow: string;
  concurrency: string;
  price: string;
  pool: string;
  apiKey: string;
}

const EMPTY: Draft = { id: null, name: '', kind: 'openai-videos', baseUrl: '', model: '', workflow: '', concurrency: '2', price: '', pool: '', apiKey: '' };

function capsText(e: Endpoint): string {
  const c = e.capabilities;
  const parts = [
    c.tasks.join(', '),
    `${c.durations.join('/')} s`,
    c.sizes.map((s) => `${s.width}×${s.height}`).join(', '),
    c.audio ? 'with sound' : 'no sound',
    ...(c.operations.length ? [c.operations.join(', ')] : []),
  ];
  return parts.join(' · ');
}

export function EndpointsSection({ onChanged }: { onChanged: () => void }) {
  const [list, setList] = useState<Endpoint[] | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<SerializedError | null>(null);
  const [tests, setTests] = useState<Record<string, { ok: boolean; message: string }>>({});

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
    const fields = {
      name: d.name.trim(),
      kind: d.kind,
      baseUrl: d.baseUrl.trim(),
      model: d.model.trim() || null,
      concurrency: Number(d.concurrency) || 1,
      pricePerSecond: d.price.trim() ? Number(d.price) : null,
      pool: d.pool.trim() || null,
      ...(d.kind === 'comfyui' ? { options: { workflow: d.workflow.trim() || 'builtin:wan2.1-t2v' } } : {}),
      ...(d.apiKey ? { apiKey: d.apiKey } : {}),
    };
    void run(async () => {
      if (d.id) await updateEndpoint({ id: d.id, ...fields });
      else await addEndpoint(fields);
      setDraft(null);
    });
  }

  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setDraft((d) => (d ? { ...d, [k]: e.target.value } : d));

  return (
    <section className="prefs__section" aria-labelledby="prefs-endpoints" data-testid="prefs-endpoints">
      <h3 className="section-title" id="prefs-endpoints">
        Endpoints
      </h3>
      <ul className="prefs__packs" aria-busy={list === null}>
        {list?.length === 0 && <li className="muted">No remote endpoints. Add a /v1/videos server (or `shotline serve` on another machine) or a ComfyUI box.</li>}
        {list?.map((e) => (
          <li key={e.id} className={e.lastCheck && !e.lastCheck.ok ? 'prefs__pack is-error' : 'prefs__pack'} data-testid="prefs-endpoint" data-name={e.name}>
            <div>
              <strong>{e.name}</strong> <span className="muted">{ENDPOINT_KIND_LABELS[e.kind]}</span>
              {e.pool && <span className="prefs__tag">pool {e.pool}</span>}
              {e.pricePerSecond !== null && <span className="prefs__tag">${e.pricePerSecond}/s</span>}
              <span className="prefs__tag">{e.keySource === 'keychain' ? 'key in keychain' : e.keySource === 'environment' ? `key from ${e.keyEnvVar}` : 'no key'}</span>
            </div>
            <div className="muted prefs__path">{e.baseUrl}{e.model ? ` · ${e.model}` : ''}</div>
            <div className="muted" data-testid="prefs-endpoint-caps">{capsText(e)}</div>
            {(tests[e.id] ?? e.lastCheck) && (
              <div className={(tests[e.id] ?? e.lastCheck)!.ok ? 'field__note' : 'prefs__pack-error'} data-testid="prefs-endpoint-check">
                {(tests[e.id] ?? e.lastCheck)!.message}
              </div>
            )}
            <div className="field__row">
              <button type="button" className="btn btn--ghost" disabled={busy} data-testid="prefs-endpoint-test" onClick={() =>
                  void run(async () => {
                    const r = await testEndpoint(e.id);
                    setTests((t) => ({ ...t, [e.id]: r }));
                  })
                }>
                Test connection
              </button>
              <button
                type="button"
                className="btn btn--ghost"
                disabled={busy}
                onClick={() => setDraft({ id: e.id, name: e.name, kind: e.kind, baseUrl: e.baseUrl, model: e.model ?? '', workflow: e.options.workflow ?? '', concurrency: String(e.concurrency), price: e.pricePerSecond === null ? '' : String(e.pricePerSecond), pool: e.pool ?? '', apiKey: '' })}
              >
                Edit
              </button>
              <button type="button" className="btn btn--ghost" disabled={busy} data-testid="prefs-endpoint-remove" onClick={() => void run(() => removeEndpoint(e.id))}>
                Remove
              </button>
            </div>
          </li>
        ))}
      </ul>
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} testId="prefs-error-endpoints" />}
      {draft ? (
        <form
          className="prefs__form"
          data-testid="prefs-endpoint-form"
          onSubmit={(ev) => {
            ev.preventDefault();
            save(draft);
          }}
        >
          <div className="field__row">
            <input className="input" placeholder="Name" aria-label="Endpoint name" value={draft.name} onChange={set('name')} data-testid="prefs-endpoint-name" />
            <select className="input select" aria-label="Kind" value={draft.kind} onChange={set('kind')} data-testid="prefs-endpoint-kind">
              {ENDPOINT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {ENDPOINT_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </div>
          <div className="field__row">
            <input className="input input--mono prefs__grow" placeholder={draft.kind === 'comfyui' ? 'http://127.0.0.1:8188' : 'https://host/v1'} aria-label="Address" value={draft.baseUrl} onChange={set('baseUrl')} data-testid="prefs-endpoint-url" />
            <input className="input" placeholder="Model (optional)" aria-label="Model" value={draft.model} onChange={set('model')} data-testid="prefs-endpoint-model" />
          </div>
          {draft.kind === 'comfyui' && (
            <input className="input input--mono prefs__grow" placeholder="Workflow (API format) or builtin:wan2.1-t2v / builtin:wan2.1-i2v" aria-label="Workflow" value={draft.workflow} onChange={set('workflow')} />
          )}
          <div className="field__row">
            <input className="input" type="number" min={1} max={64} aria-label="Takes at once" title="Takes at once" value={draft.concurrency} onChange={set('concurrency')} />
            <input className="input" type="number" min={0} step="0.01" placeholder="$ per second (paid)" aria-label="Price per second" value={draft.price} onChange={set('price')} />
            <input className="input" placeholder="Pool (optional)" aria-label="Pool" value={draft.pool} onChange={set('pool')} />
          </div>
          <input
            className="input prefs__grow"
            type="password"
            autoComplete="off"
            placeholder={draft.id ? 'New API key (leave empty to keep)' : 'API key (stored in the OS keychain)'}
            aria-label="API key"
            value={draft.apiKey}
            onChange={set('apiKey')}
            data-testid="prefs-endpoint-key"
          />
          <div className="field__row">
            <button type="submit" className="btn btn--primary" disabled={busy || !draft.name.trim() || !draft.baseUrl.trim()} data-testid="prefs-endpoint-save">
              {draft.id ? 'Save' : 'Add endpoint'}
            </button>
            <button type="button" className="btn btn--ghost" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <button type="button" className="btn" onClick={() => setDraft({ ...EMPTY })} data-testid="prefs-endpoint-add">
          Add endpoint…
        </button>
      )}
    </section>
  );
}
