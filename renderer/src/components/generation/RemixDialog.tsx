/**
 * Remix a take: a new take made from this one (video-to-video) with the shot's prompt as a
 * starting point, edited here for this remix only, and a strength (0 keeps the source,
 * 1 ignores it). Queues one 'generate' job; the new take records what it was remixed from.
 */
import { useEffect, useState } from 'react';
import type { SerializedError } from '@app/errors';
import { composePrompt } from '@app/model/prompt';
import type { Shot, StructuredPrompt, Take } from '@app/model/types';
import { toSerialized } from '../../actions/errors';
import { mediaUrl } from '../../client';
import { loadBackends, startGeneration } from '../../actions/generation';
import { selectedBackend, useGeneration } from '../../state/generation';
import { useAssets } from '../../state/selectors';
import { Icon } from '../common/Icon';
import { Modal } from '../common/Modal';
import { PromptFields } from '../storyboard/PromptFields';
import { ErrorBanner } from './BackendPicker';
import { clipSeconds } from './ClipFormat';
import { CostLine } from './CostLine';
import { generatedInfo, providerText } from './util';
import { promptDiff } from '../../lib/prompt';

const clamp01 = (n: number) => Math.min(1, Math.max(0, n));

export type RemixMode = 'remix' | 'edit' | 'extend';
const MODE_LABELS: Record<RemixMode, string> = { remix: 'Remix', edit: 'Edit', extend: 'Continue' };
const MODE_NOTES: Record<RemixMode, string> = {
  remix: 'A new take made from this one, following the edited prompt.',
  edit: 'The endpoint changes this take as the prompt says (prompt-directed edit).',
  extend: 'The endpoint continues this take from its last frame: the new take is this one plus the added seconds.',
};

/** What the selected backend can do with a take: remix (video-to-video), and a remote endpoint's edit / extend. */
export function takeModes(caps: { tasks: string[]; operations?: string[] } | undefined): RemixMode[] {
  if (!caps) return [];
  const ops = caps.operations ?? [];
  return [...(caps.tasks.includes('video-to-video') ? (['remix'] as const) : []), ...(ops.includes('edit') ? (['edit'] as const) : []), ...(ops.includes('extend') ? (['extend'] as const) : [])];
}

export function RemixDialog({ shot, take, onClose, initialMode = 'remix' }: { shot: Shot; take: Take; onClose: () => void; initialMode?: RemixMode }) {
  const asset = useAssets()[take.assetId];
  const { backends, settings } = useGeneration();
  const backend = selectedBackend(backends, settings.backendKey);
  const [prompt, setPrompt] = useState<StructuredPrompt>(shot.prompt);
  const [strength, setStrength] = useState(0.6);
  const [strengthText, setStrengthText] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<SerializedError | null>(null);
  const info = generatedInfo(asset);

  useEffect(() => {
    if (!useGeneration.getState().backends) void loadBackends();
  }, []);

  const caps = backend?.capabilities;
  const modes = takeModes(caps);
  const [mode, setMode] = useState<RemixMode>(initialMode);
  const [extendSeconds, setExtendSeconds] = useState(4);
  const remote = backend?.executionProvider === 'remote';
  const canRemix = backend?.status === 'ready' && modes.includes(mode);
  const input =
    backend && caps
      ? {
          shotId: shot.id,
          takes: 1,
          backendId: backend.id,
          model: backend.model.name,
          seed: shot.seed,
          durationSeconds: typeof info?.durationSeconds === 'number' && caps.durations.includes(info.durationSeconds) ? info.durationSeconds : clipSeconds(caps, shot, null),
          ...(caps.steps && settings.steps !== null ? { steps: settings.steps } : {}),
          ...(caps.guidance && settings.guidance !== null ? { guidance: settings.guidance } : {}),
          remix: { takeId: take.id, strength, prompt: promptDiff(shot.prompt, prompt), mode, ...(mode === 'extend' ? { seconds: extendSeconds } : {}) },
        }
      : null;

  const commitStrength = () => {
    if (strengthText === null) return;
    const n = Number(strengthText.replace(',', '.'));
    if (Number.isFinite(n)) setStrength(Math.round(clamp01(n) * 100) / 100);
    setStrengthText(null);
  };

  async function start() {
    if (!input) return;
    setBusy(true);
    setError(null);
    try {
      await startGeneration(input);
      onClose();
    } catch (e) {
      setError(toSerialized(e));
    } finally {
      setBusy(false);
    }
  }

  const footer = (
    <>
      <span className="muted remix__where">{backend ? `${backend.model.displayName} · ${providerText(backend)}` : ''}</span>
      <button type="button" className="btn" onClick={onClose} data-testid="remix-cancel">
        Cancel
      </button>
      <button type="button" className="btn btn--primary" onClick={() => void start()} disabled={!canRemix || busy} data-testid="remix-start">
        <Icon name="remix" size={14} /> {busy ? 'Queuing…' : MODE_LABELS[mode]}
      </button>
    </>
  );

  return (
    <Modal title={`${MODE_LABELS[mode]} ${take.label}`} onClose={onClose} testId="remix-dialog" footer={footer} wide>
      <div className="remix">
        <div className="remix__source">
          {asset?.kind === 'video' ? (
            <video className="remix__video" src={mediaUrl(asset.path)} data-testid="remix-source" aria-label={`${take.label} preview`} muted loop playsInline autoPlay />
          ) : null}
          <p className="muted">
            {take.label}
            {info ? ` · seed ${info.seed}` : ''}
          </p>
        </div>
        <div className="remix__form">
          {modes.length > 1 && (
            <div className="segmented segmented--sm" role="radiogroup" aria-label="What to do with this take">
              {modes.map((m) => (
                <button key={m} type="button" role="radio" aria-checked={mode === m} className={mode === m ? 'is-active' : ''} onClick={() => setMode(m)} data-testid={`remix-mode-${m}`}>
                  {MODE_LABELS[m]}
                </button>
              ))}
            </div>
          )}
          <p className="gen-note" data-testid="remix-mode-note">
            {MODE_NOTES[mode]}
          </p>
          {mode === 'extend' && (
            <div className="remix__strength">
              <label className="field__label" htmlFor="remix-extend">
                Add
              </label>
              <input id="remix-extend" type="range" min={4} max={20} step={1} value={extendSeconds} onChange={(e) => setExtendSeconds(Number(e.target.value))} data-testid="remix-extend-seconds" />
              <span data-testid="remix-extend-label">{extendSeconds} s</span>
            </div>
          )}
          {!remote && mode === 'remix' && (
            <>
          <div className="remix__strength">
            <label className="field__label" htmlFor="remix-strength">
              Strength
            </label>
            <input
              id="remix-strength"
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={strength}
              onChange={(e) => setStrength(Number(e.target.value))}
              aria-valuetext={`${Math.round(strength * 100)}%`}
              data-testid="remix-strength"
            />
            <input
              className="input input--sm input--num"
              inputMode="decimal"
              value={strengthText ?? String(strength)}
              onChange={(e) => setStrengthText(e.target.value)}
              onBlur={commitStrength}
              onKeyDown={(e) => e.key === 'Enter' && commitStrength()}
              aria-label="Strength (0 to 1)"
              data-testid="remix-strength-number"
            />
          </div>
          <p className="gen-note">0 keeps the source take as it is; 1 ignores it and follows the prompt alone.</p>
            </>
          )}
          {!canRemix && backend && <p className="gen-note gen-note--warn">{backend.status !== 'ready' ? 'The selected backend is not usable.' : mode === 'remix' ? 'The selected backend cannot remix (video-to-video).' : `The selected backend cannot ${mode === 'edit' ? 'edit' : 'continue'} a take.`}</p>}
          <PromptFields prompt={prompt} onChange={setPrompt} onBlur={() => {}} />
          <div className="prompt-preview">
            <span className="section-title">{mode === 'remix' ? 'Remix' : mode === 'edit' ? 'Edit' : 'Continuation'} prompt</span>
            <p className="prompt-preview__text" data-testid="remix-preview">
              {composePrompt(prompt) || <span className="muted">Empty: the remix follows the source take alone.</span>}
            </p>
          </div>
          <CostLine input={input} paid={typeof backend?.pricePerSecond === 'number'} />
          {error && <ErrorBanner error={error} testId="remix-error" />}
        </div>
      </div>
    </Modal>
  );
}
