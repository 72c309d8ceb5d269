/**
 * "Generate" for the selected shot: backend and model, number of takes, seed, clip length
 * and frame as the backend allows, reference image, continuity, advanced sampling, and the
 * Generate button (generation.start). Problems main reports are shown here, in place.
 */
import { useEffect, useRef, useState } from 'react';
import type { SerializedError } from '@app/errors';
import type { Shot, StructuredPrompt } from '@app/model/types';
import { updateShot } from '../../actions/storyboard';
import { toSerialized } from '../../actions/errors';
import { loadBackends, startGeneration } from '../../actions/generation';
import { selectedBackend, useGeneration } from '../../state/generation';
import { summarize, usePendingTakes } from '../../state/generation-jobs';
import { useOrderedShots } from '../../state/selectors';
import { formatEta } from '../../lib/format';
import { Icon } from '../common/Icon';
import { BackendPicker, ErrorBanner } from './BackendPicker';
import { ClipFormat, clipSeconds } from './ClipFormat';
import { ReferenceField } from './ReferenceField';
import { useShotCameos } from '../cameos/ShotCameos';
import { CostLine } from './CostLine';
import { SeedField } from './SeedField';
import { promptDiff, samePrompt } from '../../lib/prompt';
import '../../styles/generation.css';

function NumberSetting({ label, value, range, onChange, testId }: { label: string; value: number | null; range: { min: number; max: number; default: number }; onChange: (v: number | null) => void; testId: string }) {
  const [text, setText] = useState<string | null>(null);
  const commit = () => {
    if (text === null) return;
    setText(null);
    const t = text.trim().replace(',', '.');
    if (t === '') return onChange(null);
    const n = Number(t);
    if (Number.isFinite(n)) onChange(Math.min(range.max, Math.max(range.min, n)));
  };
  return (
    <label className="gen-adv__field">
      <span className="field__label">{label}</span>
      <input
        className="input input--sm input--num"
        inputMode="decimal"
        value={text ?? (value === null ? '' : String(value))}
        placeholder={`${range.default}`}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        aria-describedby={`${testId}-range`}
        data-testid={testId}
      />
      <span className="muted gen-adv__range" id={`${testId}-range`}>
        {range.min}–{range.max}, default {range.default}
      </span>
    </label>
  );
}

export function GeneratePanel({ shot, index, draftPrompt }: { shot: Shot; index: number; draftPrompt: StructuredPrompt }) {
  const { backends, backendsLoading, backendsError, settings, setSettings } = useGeneration();
  const shots = useOrderedShots();
  const pending = usePendingTakes(shot.id);
  const [chosenLength, setChosenLength] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<SerializedError | null>(null);
  // The checkbox shows the click at once; the shot's value replaces it when the edit lands.
  const [continuity, setContinuity] = useState<boolean | null>(null);
  const root = useRef<HTMLElement>(null);

  useEffect(() => setContinuity(null), [shot.continuity, shot.id]);
  useEffect(() => {
    if (!useGeneration.getState().backends) void loadBackends();
  }, []);
  useEffect(() => setError(null), [shot.id]);

  const backend = selectedBackend(backends, settings.backendKey);
  const caps = backend?.capabilities;
  const ready = backend?.status === 'ready' && !!caps;
  const maxTakes = Math.max(1, Math.min(4, caps?.maxTakes ?? 4));
  const takes = Math.min(settings.takes, maxTakes);
  const prev = index > 0 ? shots[index - 1] : undefined;
  const continuityOn = continuity ?? shot.continuity;
  const continuityActive = continuityOn && !!prev?.chosenTakeId;
  const summary = summarize(pending);

  // What generation.start gets (also priced by CostLine before it is sent).
  const startInput =
    backend && caps
      ? {
          shotId: shot.id,
          takes,
          backendId: backend.id,
          model: backend.model.name,
          seed: shot.seed,
          durationSeconds: clipSeconds(caps, shot, chosenLength),
          continueFromPrevious: continuity ?? shot.continuity,
          ...(caps.steps && settings.steps !== null ? { steps: settings.steps } : {}),
          ...(caps.guidance && settings.guidance !== null ? { guidance: settings.guidance } : {}),
        }
      : null;
  const paid = typeof backend?.pricePerSecond === 'number';
  const imageInput = !!caps?.tasks.includes('image-to-video') && caps.imageInput !== false;
  // The shot's cameos: with no reference of its own, the cameo's still is the first frame.
  const shotCameos = useShotCameos(shot, draftPrompt).seen;

  async function generate() {
    if (!startInput) return;
    setError(null);
    setBusy(true);
    try {
      // Whatever is typed but not yet committed is what the user means to generate.
      if (!samePrompt(draftPrompt, shot.prompt)) {
        const r = await updateShot(shot.id, { prompt: promptDiff(shot.prompt, draftPrompt) });
        if (!r) return;
      }
      await startGeneration(startInput);
      // The new takes appear in the strip: bring it into view.
      root.current?.closest('.shot-editor')?.querySelector('[data-testid="take-strip"]')?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    } catch (e) {
      setError(toSerialized(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section ref={root} className="gen-panel" aria-label="Generate takes" data-testid="generate-panel">
      <h3 className="section-title">Generate</h3>
      <BackendPicker
        backends={backends}
        selected={backend}
        loading={backendsLoading}
        error={backendsError}
        onSelect={(backendKey) => {
          setSettings({ backendKey });
          setError(null);
        }}
        onRefresh={() => void loadBackends()}
      />
      {caps && ready && (
        <>
          <div className="gen-row">
            <span className="gen-row__label" id={`takes-${shot.id}`}>
              Takes
            </span>
            <div className="gen-row__control">
              <div className="segmented segmented--sm" role="radiogroup" aria-labelledby={`takes-${shot.id}`}>
                {Array.from({ length: maxTakes }, (_, i) => i + 1).map((n) => (
                  <button key={n} type="button" role="radio" aria-checked={takes === n} className={takes === n ? 'is-active' : ''} onClick={() => setSettings({ takes: n })} data-testid={`takes-${n}`}>
                    {n}
                  </button>
                ))}
              </div>
            </div>
          </div>
          <SeedField shot={shot} deterministic={caps.deterministic} />
          <ClipFormat caps={caps} shot={shot} chosen={chosenLength} onChoose={setChosenLength} />
          <ReferenceField shot={shot} supported={imageInput} overridden={continuityActive} cameos={shotCameos} />
          {backend.executionProvider === 'remote' && (
            <div className="gen-row">
              <span className="gen-row__label">Sound</span>
              <div className="gen-row__control">
                <span className="gen-note" data-testid="generate-audio">
                  {caps.audio ? 'Takes arrive with their sound (kept on import, mixed at export).' : 'This endpoint makes silent takes.'}
                </span>
              </div>
            </div>
          )}
          <CostLine input={startInput} paid={paid} />
          <div className="gen-row gen-row--top">
            <span className="gen-row__label">Continuity</span>
            <div className="gen-row__control gen-col">
              <label className="gen-check">
                <input
                  type="checkbox"
                  checked={continuity ?? shot.continuity}
                  disabled={(index === 0 && !shot.continuity) || (!imageInput && !shot.continuity)}
                  onChange={(e) => {
                    const on = e.target.checked;
                    setContinuity(on);
                    setError(null);
                    void updateShot(shot.id, { continuity: on }).then((r) => !r && setContinuity(null));
                  }}
                  data-testid="continuity-toggle"
                />
                Continue from the previous shot
              </label>
              <p className="gen-note" data-testid="continuity-note">
                {!imageInput
                  ? 'This backend takes no input image, so it cannot start from the previous shot\'s last frame.'
                  : index === 0
                  ? 'The first shot has no previous shot to continue from.'
                  : !prev?.chosenTakeId
                    ? `Shot ${index} ("${prev?.title || 'Untitled'}") has no chosen take yet; pick one to continue from its last frame.`
                    : continuityOn
                      ? `Starts from the last frame of shot ${index}'s chosen take.`
                      : `Off: shot ${index}'s chosen take is not used.`}
              </p>
            </div>
          </div>
          <details className="gen-adv" data-testid="generate-advanced">
            <summary>Sampling</summary>
            <div className="gen-adv__body">
              {caps.steps && <NumberSetting label="Steps" value={settings.steps} range={caps.steps} onChange={(steps) => setSettings({ steps: steps === null ? null : Math.round(steps) })} testId="generate-steps" />}
              {caps.guidance && <NumberSetting label="Guidance" value={settings.guidance} range={caps.guidance} onChange={(guidance) => setSettings({ guidance })} testId="generate-guidance" />}
              {!caps.steps && !caps.guidance && <p className="muted">This backend chooses its own sampling settings.</p>}
            </div>
          </details>
        </>
      )}
      <div className="gen-actions">
        {/* In the sticky bar, so a refusal shows right where Generate was pressed. */}
        {error && <ErrorBanner error={error} testId="generate-error" />}
        <div className="gen-actions__row">
          <span className="gen-actions__status muted" aria-live="polite" data-testid="generate-status">
            {summary.active > 0 && (
              <>
                <span className="spinner spinner--sm" aria-hidden="true" /> {summary.active} generating{summary.eta !== null ? ` · ${formatEta(summary.eta)}` : ''}
              </>
            )}
          </span>
          <button type="button" className="btn btn--primary" onClick={() => void generate()} disabled={!ready || busy} data-testid="generate-start">
            <Icon name="sparkle" size={14} /> {busy ? 'Queuing…' : `Generate ${takes} take${takes === 1 ? '' : 's'}`}
          </button>
        </div>
      </div>
    </section>
  );
}
