/**
 * "Voice dialogue" on a shot: which speech backend, voice every line (or one line again), and
 * the voicing job's progress with cancel. Each line becomes a clip on a Dialogue track (main's
 * 'voice' job); a line already voiced shows so, and revoicing it keeps the user's edits.
 */
import { useEffect, useMemo, useState } from 'react';
import type { SerializedError } from '@app/errors';
import type { Shot } from '@app/model/types';
import type { SpeechBackendInfo } from '@app/speech/types';
import { dialogueClipsOf } from '@app/dialogue/placement';
import { cancelJob } from '../../actions/jobs';
import { toSerialized } from '../../actions/errors';
import { speechBackends, voiceDialogue } from '../../actions/sound';
import { formatPercent, jobMessageText } from '../../lib/format';
import { useJobs } from '../../state/jobs';
import { useProject } from '../../state/project';
import { useAssets, useTrackClips } from '../../state/selectors';
import { ErrorBanner } from '../common/ErrorBanner';
import { Icon } from '../common/Icon';

export function VoicePanel({ shot, beforeVoice }: { shot: Shot; beforeVoice: () => void }) {
  const [backends, setBackends] = useState<SpeechBackendInfo[]>([]);
  const [backendId, setBackendId] = useState('espeak-ng');
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<SerializedError | null>(null);
  /** Voices picked here, by speaker (unpicked: what the speaker had before, else the backend's rotation). */
  const [picked, setPicked] = useState<Record<string, string>>({});
  const job = useJobs((s) => (jobId ? s.jobs[jobId] : undefined));
  // Clips and assets only: a shot's title or prompt edit does not re-run the scan.
  // (The per-track lists are new whenever a clip changes; the clips object keeps its identity.)
  const clipsByTrack = useTrackClips();
  const assets = useAssets();
  const voiced = useMemo(() => dialogueClipsOf({ clips: useProject.getState().state?.clips ?? {}, assets }, shot.id), [clipsByTrack, assets, shot.id]);
  const running = !!job && (job.state === 'queued' || job.state === 'running');
  const lines = shot.prompt.dialogue;

  useEffect(() => {
    speechBackends()
      .then(setBackends)
      .catch(() => {});
  }, []);

  async function voice(only?: number) {
    setError(null);
    beforeVoice();
    try {
      const voices = Object.fromEntries(Object.entries(picked).filter(([, v]) => v.trim()).map(([k, v]) => [k, { voice: v.trim() }]));
      setJobId(await voiceDialogue({ shotId: shot.id, backendId, ...(only !== undefined ? { lines: [only] } : {}), ...(Object.keys(voices).length ? { voices } : {}) }));
    } catch (e) {
      setError(toSerialized(e));
    }
  }

  if (!lines.some((l) => l.line.trim())) return null;
  const chosen = backends.find((b) => b.id === backendId);
  const speakers = [...new Set(lines.filter((l) => l.line.trim()).map((l) => l.speaker.trim() || 'Voice'))];
  const voiceList = chosen?.capabilities.voices ?? [];
  return (
    <section className="voice-panel" aria-label="Voice dialogue" data-testid="voice-panel">
      <div className="voice-panel__head">
        <span className="section-title">Voice</span>
        <select className="input input--sm select" value={backendId} onChange={(e) => setBackendId(e.target.value)} disabled={running} aria-label="Speech backend" data-testid="voice-backend">
          {(backends.length ? backends : [{ id: 'espeak-ng', label: 'espeak-ng (built-in voice)', status: 'ready' } as SpeechBackendInfo]).map((b) => (
            <option key={b.id} value={b.id} disabled={b.status === 'missing'}>
              {b.label}
              {b.status === 'missing' ? ' — not installed' : b.status === 'error' ? ' — last test failed' : ''}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn--sm btn--primary" onClick={() => void voice()} disabled={running || chosen?.status === 'missing'} data-testid="voice-dialogue">
          <Icon name="audio" size={14} /> Voice dialogue
        </button>
      </div>
      {chosen?.status === 'missing' && <p className="field__note">{chosen.message}</p>}
      <div className="voice-panel__speakers">
        {speakers.map((sp) => (
          <label key={sp} className="voice-panel__speaker">
            <span>{sp}</span>
            {voiceList.length ? (
              <select className="input input--sm select" value={picked[sp] ?? ''} onChange={(e) => setPicked((p) => ({ ...p, [sp]: e.target.value }))} disabled={running} aria-label={`Voice of ${sp}`} data-testid="voice-speaker">
                <option value="">Automatic</option>
                {voiceList.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.label} ({v.id})
                  </option>
                ))}
              </select>
            ) : (
              <input className="input input--sm" value={picked[sp] ?? ''} placeholder="voice, e.g. alloy" onChange={(e) => setPicked((p) => ({ ...p, [sp]: e.target.value }))} disabled={running} aria-label={`Voice of ${sp}`} data-testid="voice-speaker" />
            )}
          </label>
        ))}
      </div>
      <ul className="voice-panel__lines">
        {lines.map((l, i) =>
          l.line.trim() ? (
            <li key={i} className="voice-panel__line" data-testid="voice-line-row" data-voiced={voiced.has(i) ? 'yes' : 'no'}>
              <span className={voiced.has(i) ? 'voice-panel__dot is-voiced' : 'voice-panel__dot'} title={voiced.has(i) ? 'On the timeline' : 'Not voiced yet'} />
              <span className="voice-panel__text">
                <strong>{l.speaker.trim() || 'Voice'}</strong> {l.line}
              </span>
              <button type="button" className="btn btn--ghost btn--icon btn--sm" onClick={() => void voice(i)} disabled={running} aria-label={`Voice line ${i + 1} again`} title="Voice this line again (keeps your edits to the others)" data-testid="voice-line">
                <Icon name="retry" size={14} />
              </button>
            </li>
          ) : null,
        )}
      </ul>
      {job && running && (
        <div className="voice-panel__progress" data-testid="voice-progress">
          <span className="muted">{jobMessageText(job.message) || 'Waiting…'}</span>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(job.progress * 100)} aria-label="Voicing progress">
            <div className="progress__bar" style={{ width: formatPercent(job.progress) }} />
          </div>
          <button type="button" className="btn btn--sm btn--danger" onClick={() => void cancelJob(job.id)} data-testid="voice-cancel">
            Cancel
          </button>
        </div>
      )}
      {job?.state === 'succeeded' && (
        <p className="muted" role="status" data-testid="voice-done">
          Voiced: on the Dialogue track.
        </p>
      )}
      {job?.state === 'failed' && job.error && <ErrorBanner error={job.error} testId="voice-error" />}
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} testId="voice-error" />}
    </section>
  );
}
