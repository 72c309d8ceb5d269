/**
 * The add / edit form of Preferences → Endpoints: labelled fields for the kind, address,
 * model, workflow (ComfyUI), takes at once, price, pool, the download options, and a
 * write-only API key with where it will be kept (and the environment-variable fallback for a
 * machine without a keychain).
 */
import { ENDPOINT_KIND_LABELS, ENDPOINT_KINDS, endpointKeyEnvVar, type Endpoint, type EndpointKind } from '@app/endpoints/types';
import type { ReactNode } from 'react';

export interface Draft {
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
  deleteAfterDownload: boolean;
  imageFit: 'crop' | 'pad';
  /** ComfyUI: a mapping file named explicitly (kept as it is; not edited here). */
  mapping?: string;
}

export const EMPTY_DRAFT: Draft = { id: null, name: '', kind: 'openai-videos', baseUrl: '', model: '', workflow: '', concurrency: '2', price: '', pool: '', apiKey: '', deleteAfterDownload: false, imageFit: 'crop' };

export function draftOf(e: Endpoint): Draft {
  return {
    id: e.id,
    name: e.name,
    kind: e.kind,
    baseUrl: e.baseUrl,
    model: e.model ?? '',
    workflow: e.options.workflow ?? '',
    concurrency: String(e.concurrency),
    price: e.pricePerSecond === null ? '' : String(e.pricePerSecond),
    pool: e.pool ?? '',
    apiKey: '',
    deleteAfterDownload: !!e.options.deleteAfterDownload,
    imageFit: e.options.imageFit ?? 'crop',
    ...(e.options.mapping ? { mapping: e.options.mapping } : {}),
  };
}

/** The API input for a draft (add or update). */
export function draftFields(d: Draft) {
  return {
    name: d.name.trim(),
    kind: d.kind,
    baseUrl: d.baseUrl.trim(),
    model: d.model.trim() || null,
    concurrency: Math.max(1, Math.round(Number(d.concurrency)) || 1),
    pricePerSecond: d.price.trim() ? Number(d.price) : null,
    pool: d.pool.trim() || null,
    options: {
      ...(d.kind === 'comfyui' ? { workflow: d.workflow.trim() || 'builtin:wan2.1-t2v', ...(d.mapping ? { mapping: d.mapping } : {}) } : {}),
      ...(d.deleteAfterDownload ? { deleteAfterDownload: true } : {}),
      imageFit: d.imageFit,
    },
    ...(d.apiKey ? { apiKey: d.apiKey } : {}),
  };
}

function Field({ label, children, grow }: { label: string; children: ReactNode; grow?: boolean }) {
  return (
    <label className={grow ? 'field field--compact prefs__grow' : 'field field--compact'}>
      <span className="field__label">{label}</span>
      {children}
    </label>
  );
}

export function EndpointForm({ draft, busy, onChange, onSave, onCancel }: { draft: Draft; busy: boolean; onChange: (d: Draft) => void; onSave: () => void; onCancel: () => void }) {
  const set = (k: keyof Draft) => (e: { target: { value: string } }) => onChange({ ...draft, [k]: e.target.value });
  const envVar = endpointKeyEnvVar(draft.name.trim() || 'NAME');
  return (
    <form
      className="prefs__form"
      data-testid="prefs-endpoint-form"
      onSubmit={(ev) => {
        ev.preventDefault();
        onSave();
      }}
    >
      <div className="field__row">
        <Field label="Name" grow>
          <input className="input" placeholder="Workstation" value={draft.name} onChange={set('name')} data-testid="prefs-endpoint-name" />
        </Field>
        <Field label="Kind" grow>
          <select className="input select" value={draft.kind} onChange={set('kind')} data-testid="prefs-endpoint-kind">
            {ENDPOINT_KINDS.map((k) => (
              <option key={k} value={k}>
                {ENDPOINT_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="field__row">
        <Field label="Address" grow>
          <input className="input input--mono" placeholder={draft.kind === 'comfyui' ? 'http://127.0.0.1:8188' : 'http://workstation:8720/v1'} value={draft.baseUrl} onChange={set('baseUrl')} data-testid="prefs-endpoint-url" />
        </Field>
        <Field label="Model">
          <input className="input" placeholder="server default" value={draft.model} onChange={set('model')} data-testid="prefs-endpoint-model" />
        </Field>
      </div>
      {draft.kind === 'comfyui' && (
        <Field label="Workflow (API format)">
          <input className="input input--mono" placeholder="builtin:wan2.1-t2v, builtin:wan2.1-i2v, builtin:wan2.2-s2v or /path/to/workflow.json" value={draft.workflow} onChange={set('workflow')} data-testid="prefs-endpoint-workflow" />
        </Field>
      )}
      <div className="field__row">
        <Field label="Takes at once">
          <input className="input input--num" type="number" min={1} max={64} value={draft.concurrency} onChange={set('concurrency')} data-testid="prefs-endpoint-concurrency" />
        </Field>
        <Field label="Price per second ($)">
          <input className="input input--num" type="number" min={0} step="0.01" placeholder="free" value={draft.price} onChange={set('price')} data-testid="prefs-endpoint-price" />
        </Field>
        <Field label="Pool" grow>
          <input className="input" placeholder="none" value={draft.pool} onChange={set('pool')} data-testid="prefs-endpoint-pool" />
        </Field>
      </div>
      {draft.kind !== 'openai-speech' && (
      <div className="field__row prefs__checks">
        <label className="gen-check">
          <input type="checkbox" checked={draft.deleteAfterDownload} onChange={(e) => onChange({ ...draft, deleteAfterDownload: e.target.checked })} data-testid="prefs-endpoint-delete" />
          Delete the server's copy after download
        </label>
        <label className="gen-check">
          Reference image of another shape:
          <select className="input input--sm select" value={draft.imageFit} onChange={(e) => onChange({ ...draft, imageFit: e.target.value as 'crop' | 'pad' })} data-testid="prefs-endpoint-fit">
            <option value="crop">crop to fill</option>
            <option value="pad">pad (letterbox)</option>
          </select>
        </label>
      </div>
      )}
      <Field label="API key">
        <input
          className="input"
          type="password"
          autoComplete="off"
          placeholder={draft.id ? 'leave empty to keep the current key' : 'optional'}
          value={draft.apiKey}
          onChange={set('apiKey')}
          data-testid="prefs-endpoint-key"
        />
      </Field>
      <p className="field__note prefs__key-note" data-testid="prefs-endpoint-key-note">
        Kept in the OS keychain, never shown again. Without a keychain, start Shotline with <code>{envVar}</code> set instead.
      </p>
      <div className="field__row">
        <button type="submit" className="btn btn--primary" disabled={busy || !draft.name.trim() || !draft.baseUrl.trim()} data-testid="prefs-endpoint-save">
          {draft.id ? 'Save' : 'Add endpoint'}
        </button>
        <button type="button" className="btn btn--ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
