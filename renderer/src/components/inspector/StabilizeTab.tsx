/**
 * Inspector › Stabilize: turn it on, set smoothing and how borders are handled, analyse
 * (a background job with progress and cancel), and see where the clip stands: analysed,
 * stale, not analysed, or running on the deshake fallback. Every control is a native
 * input or button, so the tab works from the keyboard; each slider has a number field.
 */
import { useMemo } from 'react';
import type { Job } from '@app/jobs/types';
import type { Clip } from '@app/model/types';
import { STABILIZE_STATE_LABEL } from '@app/stabilize/status';
import { resolveStabilize, STABILIZE_DEFAULTS, STABILIZE_LIMITS, type StabilizeSettings, type StabilizeZoomMode } from '@app/model/stabilize';
import { setClipStabilize } from '../../actions/clips';
import { analyzeStabilize } from '../../actions/analysis';
import { cancelJob } from '../../actions/jobs';
import { EditCheckbox } from '../common/EditCheckbox';
import { formatPercent, jobMessageText } from '../../lib/format';
import { useJobs } from '../../state/jobs';
import { isActiveJob, useAssets } from '../../state/selectors';
import { NumberSlider } from './NumberSlider';
import { clipStabilizeStatus, useStabilizeEngine } from './StabilizePreview';

const ZOOM_MODES: { mode: StabilizeZoomMode; label: string; hint: string }[] = [
  { mode: 'black-borders', label: 'Borders', hint: 'No zoom: the moving edge shows black' },
  { mode: 'fixed-zoom', label: 'Fixed zoom', hint: 'A constant zoom hides most borders' },
  { mode: 'adaptive-zoom', label: 'Adaptive', hint: 'Zooms in just enough, frame by frame' },
];

type Patch = Partial<StabilizeSettings>;

/** The newest stabilize job for this clip. */
function useClipJob(clipId: string): Job | null {
  const jobs = useJobs((s) => s.jobs);
  return useMemo(() => {
    let best: Job | null = null;
    for (const j of Object.values(jobs)) {
      if (j.kind !== 'stabilize' || (j.payload as { clipId?: string } | null)?.clipId !== clipId) continue;
      if (!best || j.createdAt > best.createdAt) best = j;
    }
    return best;
  }, [jobs, clipId]);
}

export function StabilizeTab({ clip }: { clip: Clip }) {
  const asset = useAssets()[clip.assetId];
  const engine = useStabilizeEngine();
  const job = useClipJob(clip.id);
  const settings = clip.effects.stabilize;
  const s = resolveStabilize(settings ?? { enabled: false, smoothing: STABILIZE_DEFAULTS.smoothing, zoomMode: STABILIZE_DEFAULTS.zoomMode });
  const status = clipStabilizeStatus(clip, asset, engine?.method);
  const commit = (stabilize: Patch) => setClipStabilize(clip.id, stabilize);
  const set = (stabilize: Patch) => void commit(stabilize);
  const running = job && isActiveJob(job) ? job : null;
  const off = !s.enabled;
  const deshake = engine?.method === 'deshake';

  if (status.state === 'unsupported')
    return (
      <div className="timing-tab" data-testid="stabilize-tab">
        <p className="muted timing-note">Stabilize works on video clips; this clip has no moving picture.</p>
      </div>
    );

  const upToDate = status.state === 'analysed' && !!status.previewPath;
  const action = status.state === 'analysed' ? (status.previewPath ? 'Analyzed' : 'Update preview') : status.state === 'stale' ? 'Re-analyze' : 'Analyze';
  const stateText = deshake && status.state === 'analysed' ? 'Preview ready (deshake)' : STABILIZE_STATE_LABEL[status.state];

  return (
    <div className="timing-tab" data-testid="stabilize-tab" data-clip-id={clip.id}>
      <EditCheckbox checked={s.enabled} onToggle={(enabled) => commit({ enabled })} testId="stabilize-enabled">
        Stabilize this clip
      </EditCheckbox>

      <NumberSlider
        label="Smoothing"
        unit="frames"
        value={s.smoothing}
        min={STABILIZE_LIMITS.smoothing.min}
        max={STABILIZE_LIMITS.smoothing.max}
        defaultValue={STABILIZE_DEFAULTS.smoothing}
        decimals={0}
        disabled={off || deshake}
        onCommit={(v) => set({ smoothing: v })}
        testId="stabilize-smoothing"
      />

      <fieldset className="field field--compact">
        <legend className="field__label">Edges</legend>
        <div className="segmented segmented--sm" role="radiogroup" aria-label="How the moving edge is handled">
          {ZOOM_MODES.map((z) => (
            <button
              key={z.mode}
              type="button"
              role="radio"
              aria-checked={s.zoomMode === z.mode}
              className={s.zoomMode === z.mode ? 'is-active' : ''}
              disabled={off}
              title={z.hint}
              onClick={() => s.zoomMode !== z.mode && set({ zoomMode: z.mode })}
              data-testid={`stabilize-zoom-${z.mode}`}
            >
              {z.label}
            </button>
          ))}
        </div>
      </fieldset>

      {(s.zoomMode === 'fixed-zoom' || (deshake && s.zoomMode === 'adaptive-zoom')) && (
        <NumberSlider
          label="Zoom"
          unit="%"
          value={s.zoomPercent}
          min={STABILIZE_LIMITS.zoomPercent.min}
          max={STABILIZE_LIMITS.zoomPercent.max}
          step={0.5}
          defaultValue={STABILIZE_DEFAULTS.zoomPercent}
          decimals={1}
          disabled={off}
          onCommit={(v) => set({ zoomPercent: v })}
          testId="stabilize-zoom-percent"
        />
      )}

      <NumberSlider
        label="Shakiness (analysis)"
        unit="/10"
        value={s.shakiness}
        min={STABILIZE_LIMITS.shakiness.min}
        max={STABILIZE_LIMITS.shakiness.max}
        defaultValue={STABILIZE_DEFAULTS.shakiness}
        decimals={0}
        disabled={off || deshake}
        onCommit={(v) => set({ shakiness: v })}
        testId="stabilize-shakiness"
      />

      <div className="kv">
        <span className="kv__k">Status</span>
        <span className="kv__v" data-testid="stabilize-status" data-state={running ? 'running' : status.state} data-method={status.method}>
          {running ? `${running.state === 'queued' ? 'Waiting' : 'Analyzing'} ${formatPercent(running.progress)}` : stateText}
        </span>
      </div>

      {deshake && (
        <div className="banner" role="note" data-testid="stabilize-fallback" style={{ fontSize: 12 }}>
          <div className="banner__body">
            <div className="banner__message">Fallback: deshake</div>
            <div className="banner__hint">{engine?.warning}</div>
          </div>
        </div>
      )}

      {running ? (
        <div className="field field--compact" data-testid="stabilize-progress">
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(running.progress * 100)} aria-label="Stabilize analysis progress">
            <div className={running.state === 'queued' ? 'progress__bar progress__bar--idle' : 'progress__bar'} style={{ width: formatPercent(running.progress) }} />
          </div>
          <div className="inspector__row" style={{ justifyContent: 'space-between', alignItems: 'center' }}>
            <span className="muted truncate" style={{ fontSize: 11 }}>
              {jobMessageText(running.message)}
            </span>
            <button type="button" className="btn btn--xs" onClick={() => void cancelJob(running.id)} data-testid="stabilize-cancel">
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div className="inspector__row" style={{ gap: 6 }}>
          <button
            type="button"
            className="btn btn--sm btn--primary"
            disabled={off || upToDate}
            onClick={() => void analyzeStabilize(clip.id)}
            title={upToDate ? 'The analysis and the preview are up to date' : 'Analyze the shake and render a stabilized preview'}
            data-testid="stabilize-analyze"
          >
            {action}
          </button>
          <button
            type="button"
            className="btn btn--sm"
            disabled={!settings}
            onClick={() =>
              set({
                smoothing: STABILIZE_DEFAULTS.smoothing,
                zoomMode: STABILIZE_DEFAULTS.zoomMode,
                zoomPercent: STABILIZE_DEFAULTS.zoomPercent,
                shakiness: STABILIZE_DEFAULTS.shakiness,
                accuracy: STABILIZE_DEFAULTS.accuracy,
              })
            }
            data-testid="stabilize-reset"
          >
            Reset
          </button>
        </div>
      )}
      {!running && job?.state === 'failed' && (
        <p className="inspector__hint" role="alert" style={{ color: 'var(--danger, #ff8a8a)' }} data-testid="stabilize-error">
          {job.error?.message ?? 'The analysis failed.'} {job.error?.hint ?? ''}
        </p>
      )}
      {!running && job?.state === 'canceled' && status.state !== 'analysed' && <p className="muted inspector__hint">The last analysis was canceled.</p>}
      <p className="muted inspector__hint">
        {deshake
          ? 'The export stabilizes with deshake, the same filter as this preview.'
          : 'Analysis runs once per clip span and shakiness and is cached; an export analyzes any stabilized clip that is missing one.'}
      </p>
    </div>
  );
}
