/**
 * Preferences (app-wide, not per project): which ffmpeg runs, a folder of extra model packs,
 * and the execution provider for local generation. Every change goes through 'prefs.set',
 * which tries the value before saving it; a refusal shows main's message and hint in place
 * and leaves the saved value as it was.
 */
import { useCallback, useEffect, useState } from 'react';
import { EXECUTION_PROVIDER_CHOICES, type ExecutionProviderChoice, type PreferencesPatch, type PreferencesView } from '@app/api/preferences';
import type { SerializedError } from '@app/errors';
import type { BackendInfo } from '@app/generation/types';
import { toSerialized } from '../../actions/errors';
import { hostTransport } from '../../client';
import { ErrorBanner } from '../common/ErrorBanner';
import { Icon } from '../common/Icon';
import { Modal } from '../common/Modal';
import { FolderBrowser } from '../start/FolderBrowser';
import { getPreferences, setPreferences, listBackends } from '../../actions/prefs';
import { EndpointsSection } from './EndpointsSection';

const PROVIDER_LABEL: Record<ExecutionProviderChoice, string> = {
  auto: 'Automatic (CUDA, DirectML, CoreML, WebGPU, then CPU)',
  cuda: 'CUDA (NVIDIA)',
  dml: 'DirectML (Windows GPUs)',
  coreml: 'CoreML (Apple)',
  webgpu: 'WebGPU',
  cpu: 'CPU',
};

type Section = 'ffmpeg' | 'models' | 'provider';

function PathInput({ value, onChange, placeholder, label, testId }: { value: string; onChange: (v: string) => void; placeholder: string; label: string; testId: string }) {
  return (
    <input
      className="input input--mono prefs__grow"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      placeholder={placeholder}
      aria-label={label}
      spellCheck={false}
      data-testid={testId}
    />
  );
}

export function PreferencesDialog({ onClose }: { onClose: () => void }) {
  const [view, setView] = useState<PreferencesView | null>(null);
  const [backends, setBackends] = useState<BackendInfo[] | null>(null);
  const [ffmpeg, setFfmpeg] = useState('');
  // A new ffmpeg program is run by Shotline: its path is typed twice (main refuses it otherwise).
  const [ffmpegConfirm, setFfmpegConfirm] = useState('');
  const [models, setModels] = useState('');
  const [busy, setBusy] = useState<Section | null>(null);
  const [error, setError] = useState<{ section: Section; error: SerializedError } | null>(null);
  const [browsing, setBrowsing] = useState(false);

  const loadBackends = useCallback(async () => {
    setBackends(null);
    setBackends(await listBackends());
  }, []);

  useEffect(() => {
    void (async () => {
      const v = await getPreferences();
      setView(v);
      setFfmpeg(v.preferences.ffmpegPath ?? '');
      setModels(v.preferences.userModelsDir ?? '');
    })();
    void loadBackends();
  }, [loadBackends]);

  async function save(section: Section, patch: PreferencesPatch) {
    setBusy(section);
    setError(null);
    try {
      const v = await setPreferences(patch);
      setView(v);
      setFfmpeg(v.preferences.ffmpegPath ?? '');
      setFfmpegConfirm('');
      setModels(v.preferences.userModelsDir ?? '');
      if (section !== 'ffmpeg') await loadBackends();
    } catch (e) {
      setError({ section, error: toSerialized(e) });
    } finally {
      setBusy(null);
    }
  }

  async function browseModels() {
    const pick = hostTransport().pickDirectory;
    if (!pick) return setBrowsing(true);
    const dir = await pick();
    if (dir) void save('models', { userModelsDir: dir });
  }

  const prefs = view?.preferences;
  const errorFor = (s: Section) => (error?.section === s ? <ErrorBanner error={error.error} onDismiss={() => setError(null)} testId={`prefs-error-${s}`} /> : null);
  const inUse = backends?.find((b) => b.status === 'ready')?.executionProvider ?? null;

  return (
    <Modal
      title="Preferences"
      onClose={onClose}
      testId="preferences"
      wide
      footer={
        <button type="button" className="btn btn--primary" onClick={onClose} data-testid="prefs-done">
          Done
        </button>
      }
    >
      {!view || !prefs ? (
        <p className="muted">Loading…</p>
      ) : (
        <div className="prefs">
          <section className="prefs__section" aria-labelledby="prefs-ffmpeg">
            <h3 className="section-title" id="prefs-ffmpeg">
              ffmpeg
            </h3>
            <p className="prefs__status" data-testid="prefs-engine">
              {view.engine.kind === 'native' ? `Native ffmpeg ${view.engine.version} at ${view.engine.path}` : `Built-in wasm ffmpeg ${view.engine.version} (slower; stabilize falls back to deshake)`}
            </p>
            <form
              className="field__row"
              onSubmit={(e) => {
                e.preventDefault();
                void save('ffmpeg', ffmpeg.trim() ? { ffmpegPath: ffmpeg.trim(), confirmFfmpegPath: ffmpegConfirm.trim() } : { ffmpegPath: null });
              }}
            >
              <PathInput value={ffmpeg} onChange={setFfmpeg} placeholder="Found automatically (bundled, then PATH, then wasm)" label="ffmpeg program" testId="prefs-ffmpeg-path" />
              {ffmpeg.trim() && ffmpeg.trim() !== (prefs.ffmpegPath ?? '') && (
                <input
                  className="input"
                  value={ffmpegConfirm}
                  onChange={(e) => setFfmpegConfirm(e.target.value)}
                  placeholder="Type the path again to confirm"
                  aria-label="Confirm the ffmpeg program path"
                  data-testid="prefs-ffmpeg-confirm"
                  autoComplete="off"
                  onPaste={(e) => e.preventDefault()}
                />
              )}
              <button type="submit" className="btn" disabled={busy !== null} data-testid="prefs-ffmpeg-apply">
                Use this ffmpeg
              </button>
              {prefs.ffmpegPath && (
                <button type="button" className="btn btn--ghost" disabled={busy !== null} onClick={() => void save('ffmpeg', { ffmpegPath: null })} data-testid="prefs-ffmpeg-auto">
                  Find automatically
                </button>
              )}
            </form>
            {view.overriddenBy.ffmpegPath && <p className="field__note">{view.overriddenBy.ffmpegPath} is set: it decides at start-up.</p>}
            {errorFor('ffmpeg')}
          </section>

          <section className="prefs__section" aria-labelledby="prefs-models">
            <h3 className="section-title" id="prefs-models">
              Model packs
            </h3>
            <div className="field__row">
              <PathInput value={models} onChange={setModels} placeholder="Your models folder (one sub-folder per pack)" label="Models folder" testId="prefs-models-dir" />
              <button type="button" className="btn btn--ghost btn--icon" onClick={() => void browseModels()} aria-label="Browse for a folder" title="Browse">
                <Icon name="folderOpen" />
              </button>
              <button type="button" className="btn" disabled={busy !== null || !models.trim()} onClick={() => void save('models', { userModelsDir: models.trim() })} data-testid="prefs-models-apply">
                Use this folder
              </button>
              {prefs.userModelsDir && (
                <button type="button" className="btn btn--ghost" disabled={busy !== null} onClick={() => void save('models', { userModelsDir: null })} data-testid="prefs-models-remove">
                  Remove
                </button>
              )}
            </div>
            {errorFor('models')}
            <ul className="prefs__packs" data-testid="prefs-packs" aria-busy={backends === null}>
              {backends === null && <li className="muted">Looking for packs…</li>}
              {backends?.length === 0 && <li className="muted">No model packs found.</li>}
              {backends?.filter((b) => b.id.startsWith('local-onnx')).map((b) => (
                <li key={`${b.location}\0${b.model.name}`} className={b.status === 'ready' ? 'prefs__pack' : 'prefs__pack is-error'} data-testid="prefs-pack" data-status={b.status}>
                  <div>
                    <strong>{b.model.displayName || b.model.name}</strong> <span className="muted">{b.model.version}</span>
                    {b.executionProvider && <span className="prefs__tag">{b.executionProvider}</span>}
                  </div>
                  <div className="muted prefs__path" title={b.location}>
                    {b.location}
                  </div>
                  {b.error && <div className="prefs__pack-error">{b.error.message}</div>}
                </li>
              ))}
            </ul>
          </section>

          <section className="prefs__section" aria-labelledby="prefs-provider">
            <h3 className="section-title" id="prefs-provider">
              Local generation runs on
            </h3>
            <select
              className="input select"
              value={prefs.executionProvider}
              disabled={busy !== null}
              onChange={(e) => void save('provider', { executionProvider: e.target.value as ExecutionProviderChoice })}
              aria-label="Execution provider"
              data-testid="prefs-provider"
            >
              {EXECUTION_PROVIDER_CHOICES.map((c) => (
                <option key={c} value={c}>
                  {PROVIDER_LABEL[c]}
                </option>
              ))}
            </select>
            <p className="field__note" data-testid="prefs-provider-in-use">
              {busy === 'provider' || backends === null ? 'Loading the model…' : inUse ? `In use: ${inUse}` : 'No model pack could load with this choice (see above).'}
              {view.overriddenBy.executionProvider && ` ${view.overriddenBy.executionProvider} is set and decides while this is Automatic.`}
            </p>
            {errorFor('provider')}
          </section>

          <EndpointsSection onChanged={() => void loadBackends()} />
        </div>
      )}
      {browsing && (
        <FolderBrowser
          mode="folder"
          initialPath={models || undefined}
          onChoose={(dir) => {
            setBrowsing(false);
            void save('models', { userModelsDir: dir });
          }}
          onClose={() => setBrowsing(false)}
        />
      )}
    </Modal>
  );
}

/** The gear button that opens Preferences (top bar and start screen). */
export function PreferencesButton({ className = 'btn btn--ghost btn--icon' }: { className?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={className} onClick={() => setOpen(true)} aria-label="Preferences" title="Preferences" data-testid="prefs-open">
        <Icon name="settings" />
      </button>
      {open && <PreferencesDialog onClose={() => setOpen(false)} />}
    </>
  );
}
