/**
 * Inspector › Loop: repeat N times or fill a length, a crossfade at the seam, and the
 * seamless-loop finder (an 'analyze' job comparing frames near the start and the end; its
 * result is cached on the asset per span and search window, so it shows again at once).
 */
import { useMemo, useState } from 'react';
import type { Job } from '@app/jobs/types';
import type { Asset, Clip } from '@app/model/types';
import { FLICKS_PER_SECOND, flicksPerFrame } from '@app/time/flicks';
import { DEFAULT_LOOP_WINDOW, loopPointKey, loopSearchFor, MAX_LOOP_WINDOW } from '@app/timing/loop-detect';
import { clipTiming } from '@app/timing/timemap';
import { DEFAULT_LOOP, LOOP_MAX_ITERATIONS, type LoopEffect } from '@app/model/timing';
import { setClipLoop, applyLoopPoint } from '../../actions/clips';
import { findLoopPoint } from '../../actions/analysis';
import { formatDuration, formatPercent } from '../../lib/format';
import { EditCheckbox } from '../common/EditCheckbox';
import { useJobs } from '../../state/jobs';
import { isActiveJob, useSettings } from '../../state/selectors';
import { NumberSlider } from './NumberSlider';

function useLoopJob(assetId: string, key: string | null): Job | null {
  const jobs = useJobs((s) => s.jobs);
  return useMemo(() => {
    let best: Job | null = null;
    for (const j of Object.values(jobs)) {
      const p = j.payload as { analysis?: string; assetId?: string; key?: string } | null;
      if (j.kind !== 'analyze' || p?.analysis !== 'loopPoint' || p.assetId !== assetId || p.key !== key) continue;
      if (!best || j.createdAt > best.createdAt) best = j;
    }
    return best;
  }, [jobs, assetId, key]);
}

export function LoopTab({ clip, asset }: { clip: Clip; asset: Asset }) {
  const settings = useSettings()!;
  const frame = flicksPerFrame(settings.fps);
  const loop = clip.effects.loop;
  const timing = clipTiming(clip);
  const onePass = timing.oneShot.length;
  const maxCrossfadeFrames = Math.max(0, Math.floor(onePass / 2 / frame));
  const [windowFrames, setWindowFrames] = useState(DEFAULT_LOOP_WINDOW);
  const search = loopSearchFor(clip, asset, windowFrames);
  const currentKey = search ? loopPointKey(search) : null;
  // The search last asked for stays on show after applying it (which changes the span).
  const [asked, setAsked] = useState<string | null>(null);
  const key = currentKey && asset.derivatives.loopPoints?.[currentKey] ? currentKey : (asked ?? currentKey);
  const result = key ? asset.derivatives.loopPoints?.[key] ?? null : null;
  const job = useLoopJob(asset.id, key);
  const running = !!job && isActiveJob(job);

  const commitLoop = (next: LoopEffect | null) => setClipLoop(clip.id, next);
  const setLoop = (next: LoopEffect | null) => void commitLoop(next);
  const patch = (p: Partial<LoopEffect>) => setLoop({ ...(loop ?? DEFAULT_LOOP), ...p });
  const find = async () => {
    const key = await findLoopPoint(clip.id, windowFrames);
    if (key) setAsked(key);
  };
  const apply = (startFrame: number, endFrame: number) =>
    void applyLoopPoint(clip.id, startFrame, endFrame, !!loop);
  const fps = asset.probe.fps;
  const srcFrame = fps ? flicksPerFrame(fps) : null;
  const isApplied = !!result && !!srcFrame && clip.inFlicks === Math.round(result.startFrame * srcFrame) && clip.outFlicks === Math.round(result.endFrame * srcFrame);

  return (
    <div className="timing-tab" data-testid="loop-tab">
      <EditCheckbox checked={!!loop} onToggle={(on) => commitLoop(on ? DEFAULT_LOOP : null)} testId="loop-enabled">
        Loop this clip
      </EditCheckbox>
      {loop && (
        <>
          <div className="segmented segmented--sm" role="radiogroup" aria-label="Loop mode">
            {(['count', 'fill'] as const).map((m) => (
              <button
                key={m}
                type="button"
                role="radio"
                aria-checked={loop.mode === m}
                className={loop.mode === m ? 'is-active' : ''}
                onClick={() => patch(m === 'fill' ? { mode: 'fill', fillFlicks: loop.fillFlicks || timing.duration } : { mode: 'count' })}
                data-testid={`loop-mode-${m}`}
              >
                {m === 'count' ? 'Repeat' : 'Fill a length'}
              </button>
            ))}
          </div>
          {loop.mode === 'count' ? (
            <NumberSlider label="Repeats" value={loop.count} min={1} max={LOOP_MAX_ITERATIONS} step={1} decimals={0} defaultValue={DEFAULT_LOOP.count} unit="×" onCommit={(v) => patch({ count: v })} testId="loop-count" />
          ) : (
            <NumberSlider
              label="Length"
              value={Math.round((loop.fillFlicks / FLICKS_PER_SECOND) * 100) / 100}
              min={0.1}
              max={Math.max(1, Math.floor((LOOP_MAX_ITERATIONS * (onePass - Math.min(loop.crossfadeFlicks, onePass / 2))) / FLICKS_PER_SECOND))}
              step={0.01}
              defaultValue={Math.round((2 * onePass) / FLICKS_PER_SECOND * 100) / 100}
              unit="s"
              onCommit={(v) => patch({ fillFlicks: Math.round(v * FLICKS_PER_SECOND) })}
              testId="loop-fill"
            />
          )}
          <NumberSlider
            label="Crossfade at the seam"
            value={Math.round(loop.crossfadeFlicks / frame)}
            min={0}
            max={Math.max(1, maxCrossfadeFrames)}
            step={1}
            decimals={0}
            defaultValue={0}
            unit="fr"
            onCommit={(v) => patch({ crossfadeFlicks: v * frame })}
            testId="loop-crossfade"
          />
          <p className="muted timing-note" data-testid="loop-summary">
            {timing.loop!.iterations} passes of {formatDuration(onePass)}: {formatDuration(timing.duration)} on the timeline.
          </p>
        </>
      )}

      <h3 className="section-title">Seamless loop point</h3>
      <p className="muted timing-note">Finds the frame near the end that best matches a frame near the start, and loops between them.</p>
      <NumberSlider label="Search window" value={windowFrames} min={4} max={MAX_LOOP_WINDOW} step={1} decimals={0} defaultValue={DEFAULT_LOOP_WINDOW} unit="fr" onCommit={setWindowFrames} testId="loop-window" />
      <div className="timing-actions">
        <button type="button" className="btn btn--sm" disabled={!search || running || key === currentKey && !!result} onClick={() => void find()} data-testid="loop-find">
          {running ? 'Searching…' : key === currentKey && result ? 'Found' : 'Find loop point'}
        </button>
        {running && job && <span className="muted">{formatPercent(job.progress)}</span>}
        {job?.state === 'failed' && <span className="timing-error">{job.error?.message}</span>}
      </div>
      {!search && <p className="muted timing-note">The clip is too short to search.</p>}
      {result && (
        <div className="timing-result" data-testid="loop-result" data-start={result.startFrame} data-end={result.endFrame}>
          <div className="kv">
            <span className="kv__k">Best</span>
            <span className="kv__v mono">
              frames {result.startFrame} → {result.endFrame} ({result.endFrame - result.startFrame} fr)
            </span>
          </div>
          <div className="kv">
            <span className="kv__k">Seam</span>
            <span className="kv__v mono" title="Mean difference of the seam pair vs the clip's median frame-to-frame difference">
              {result.seamDifference.toFixed(2)} vs motion {result.medianFrameDifference.toFixed(2)}
            </span>
          </div>
          <div className="timing-actions">
            <button type="button" className="btn btn--sm btn--primary" disabled={isApplied} onClick={() => apply(result.startFrame, result.endFrame)} data-testid="loop-apply">
              {isApplied ? 'Applied' : 'Loop these frames'}
            </button>
          </div>
          {result.candidates.length > 1 && (
            <ul className="timing-candidates" aria-label="Other loop points">
              {result.candidates.slice(1).map((c) => (
                <li key={`${c.startFrame}-${c.endFrame}`}>
                  <button type="button" className="btn btn--ghost btn--xs" onClick={() => apply(c.startFrame, c.endFrame)}>
                    {c.startFrame} → {c.endFrame} · {c.difference.toFixed(2)}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
