/**
 * The Export dialog's sound: the loudness target (the preset's, or web / broadcast / off) and a
 * meter that measures the current mix as this export would make it (ffmpeg's ebur128:
 * integrated, short-term max, true peak, loudness range), with progress. Figures are shown
 * against the target, so a reading outside it is plain before exporting.
 */
import { useState } from 'react';
import type { SerializedError } from '@app/errors';
import { LOUDNESS_TARGETS, loudnessTarget, type LoudnessReport, type LoudnessTargetId } from '@app/export/loudness';
import type { ExportPreset, FitMode } from '@app/export/presets';
import { cancelJob } from '../../actions/jobs';
import { toSerialized } from '../../actions/errors';
import { measureLoudness } from '../../actions/sound';
import { formatPercent } from '../../lib/format';
import { useJobs } from '../../state/jobs';
import { ErrorBanner } from '../common/ErrorBanner';

export type LoudnessChoice = 'preset' | LoudnessTargetId;

const db = (v: number) => (v <= -120 ? '−∞' : v.toFixed(1).replace('-', '−'));

function Meter({ report, target }: { report: LoudnessReport; target: LoudnessTargetId }) {
  const t = loudnessTarget(target);
  const cells: [string, string, string, boolean][] = [
    ['Integrated', `${db(report.integrated)} LUFS`, t ? `target ${db(t.integrated)}` : '', !!t && Math.abs(report.integrated - t.integrated) > 1],
    ['Short-term max', `${db(report.shortTermMax)} LUFS`, '', false],
    ['True peak', `${db(report.truePeak)} dBTP`, t ? `max ${db(t.truePeak)}` : '', !!t && report.truePeak > t.truePeak],
    ['Loudness range', `${report.lra.toFixed(1)} LU`, '', false],
  ];
  return (
    <dl className="loudness-meter" data-testid="loudness-meter">
      {cells.map(([k, v, note, off]) => (
        <div key={k} className={off ? 'loudness-meter__cell is-off' : 'loudness-meter__cell'}>
          <dt>{k}</dt>
          <dd data-testid={`loudness-${k.toLowerCase().replace(/[^a-z]+/g, '-')}`}>{v}</dd>
          {note && <span className="muted">{note}</span>}
        </div>
      ))}
      {target !== 'off' && <p className="field__note">Measured before normalising: the export brings the mix to the target (two passes, one gain where the peaks allow).</p>}
    </dl>
  );
}

export function LoudnessSection({ preset, fit, choice, onChoice, disabled }: { preset: ExportPreset | undefined; fit: FitMode; choice: LoudnessChoice; onChoice: (c: LoudnessChoice) => void; disabled: boolean }) {
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<SerializedError | null>(null);
  const job = useJobs((s) => (jobId ? s.jobs[jobId] : undefined));
  const measuring = !!job && (job.state === 'queued' || job.state === 'running');
  const presetTarget = preset?.loudness ?? 'off';
  const effective: LoudnessTargetId = choice === 'preset' ? presetTarget : choice;
  const label = (id: LoudnessTargetId) => (id === 'off' ? 'Off (the mix as it is)' : LOUDNESS_TARGETS[id].label);

  async function measure() {
    if (!preset) return;
    setError(null);
    try {
      setJobId(await measureLoudness({ preset: preset.id, fit }));
    } catch (e) {
      setError(toSerialized(e));
    }
  }

  return (
    <div className="field">
      <span className="field__label">Loudness</span>
      <div className="loudness-row">
        <select className="input select" value={choice} onChange={(e) => onChoice(e.target.value as LoudnessChoice)} disabled={disabled} data-testid="export-loudness">
          <option value="preset">Preset's: {label(presetTarget)}</option>
          <option value="web">{label('web')}</option>
          <option value="broadcast">{label('broadcast')}</option>
          <option value="off">{label('off')}</option>
        </select>
        {measuring ? (
          <button type="button" className="btn btn--sm" onClick={() => void cancelJob(job.id)} data-testid="loudness-cancel">
            Stop ({formatPercent(job.progress)})
          </button>
        ) : (
          <button type="button" className="btn btn--sm" onClick={() => void measure()} disabled={disabled || !preset} data-testid="loudness-measure">
            Measure mix
          </button>
        )}
      </div>
      {measuring && (
        <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(job.progress * 100)} aria-label="Measuring the mix" data-testid="loudness-progress">
          <div className="progress__bar" style={{ width: formatPercent(job.progress) }} />
        </div>
      )}
      {job?.state === 'succeeded' && job.result !== null && <Meter report={job.result as LoudnessReport} target={effective} />}
      {job?.state === 'failed' && job.error && <ErrorBanner error={job.error} testId="loudness-error" />}
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} testId="loudness-error" />}
    </div>
  );
}
