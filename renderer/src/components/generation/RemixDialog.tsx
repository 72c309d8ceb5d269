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
import { generatedInfo, providerText } from './util';
import { promptDiff } from '../../lib/prompt';

const clamp01 = (n: number) => Math.min(1, Math.max(0, n));

export function RemixDialog({ shot, take, onClose }: { shot: Shot; take: Take; onClose: () => void }) {
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
  const canRemix = backend?.status === 'ready' && !!caps?.tasks.includes('video-to-video');

  const commitStrength = () => {
    if (strengthText === null) return;
    const n = Number(strengthText.replace(',', '.'));
    if (Number.isFinite(n)) setStrength(Math.round(clamp01(n) * 100) / 100);
    setStrengthText(null);
  };

  async function start() {
    if (!backend || !caps) return;
    setBusy(true);
    setError(null);
    try {
      await startGeneration({
        shotId: shot.id,
        takes: 1,
        backendId: backend.id,
        model: backend.model.name,
        seed: shot.seed,
        durationSeconds: info?.durationSeconds ?? clipSeconds(caps, shot, null),
        ...(caps.steps && settings.steps !== null ? { steps: settings.steps } : {}),
        ...(caps.guidance && settings.guidance !== null ? { guidance: settings.guidance } : {}),
        remix: { takeId: take.id, strength, prompt: promptDiff(shot.prompt, prompt) },
      });
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
        <Icon name="remix" size={14} /> {busy ? 'Queuing…' : 'Remix'}
      </button>
    </>
  );

  return (
    <Modal title={`Remix ${take.label}`} onClose={onClose} testId="remix-dialog" footer={footer} wide>
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
          {!canRemix && backend && <p className="gen-note gen-note--warn">{backend.status !== 'ready' ? 'The selected backend is not usable.' : 'The selected backend cannot remix (video-to-video).'}</p>}
          <PromptFields prompt={prompt} onChange={setPrompt} onBlur={() => {}} />
          <div className="prompt-preview">
            <span className="section-title">Remix prompt</span>
            <p className="prompt-preview__text" data-testid="remix-preview">
              {composePrompt(prompt) || <span className="muted">Empty: the remix follows the source take alone.</span>}
            </p>
          </div>
          {error && <ErrorBanner error={error} testId="remix-error" />}
        </div>
      </div>
    </Modal>
  );
}
