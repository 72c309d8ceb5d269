/**
 * Inspector › Recut: the clip's source span in SOURCE frames (the asset's own rate), trimmed
 * frame by frame; slip (the span moves under the fixed clip); roll the cut with the clip
 * before or after; keep only the I/O-marked range. Every button and field is native, so
 * the tab works from the keyboard. Nothing is re-encoded: a clip is in/out points.
 */
import { useState } from 'react';
import type { Asset, Clip } from '@app/model/types';
import { clipEnd, clipsOnTrack } from '@app/timeline/query';
import { flicksPerFrame, rateToNumber } from '@app/time/flicks';
import { formatTimecode } from '@app/time/timecode';
import { trimSource as trimClipSource, rollEdit, slipClip, keepRange } from '../../actions/clips';
import { useProject } from '../../state/project';
import { useSettings } from '../../state/selectors';
import { useUi } from '../../state/ui';

function FrameField({ label, value, min, max, onCommit, testId }: { label: string; value: number; min: number; max: number; onCommit: (v: number) => void; testId: string }) {
  const [text, setText] = useState<string | null>(null);
  const commit = () => {
    if (text === null) return;
    setText(null);
    const v = Math.round(Number(text));
    if (text.trim() !== '' && Number.isFinite(v) && v !== value) onCommit(Math.min(max, Math.max(min, v)));
  };
  return (
    <div className="timing-frame">
      <label className="field__label" htmlFor={testId}>
        {label}
      </label>
      <div className="timing-frame__row">
        <button type="button" className="btn btn--xs" onClick={() => onCommit(Math.max(min, value - 1))} disabled={value <= min} aria-label={`${label}: one frame earlier`} data-testid={`${testId}-dec`}>
          −1
        </button>
        <input
          id={testId}
          className="input input--sm input--num timing-frame__num"
          inputMode="numeric"
          value={text ?? String(value)}
          onChange={(e) => setText(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') setText(null);
            if (e.key === 'ArrowUp') (e.preventDefault(), onCommit(Math.min(max, value + 1)));
            if (e.key === 'ArrowDown') (e.preventDefault(), onCommit(Math.max(min, value - 1)));
          }}
          data-testid={testId}
        />
        <button type="button" className="btn btn--xs" onClick={() => onCommit(Math.min(max, value + 1))} disabled={value >= max} aria-label={`${label}: one frame later`} data-testid={`${testId}-inc`}>
          +1
        </button>
      </div>
    </div>
  );
}

function StepButtons({ label, onStep, testId, disabled }: { label: string; onStep: (n: number) => void; testId: string; disabled?: boolean }) {
  return (
    <div className="timing-steps" role="group" aria-label={label}>
      {[-10, -1, 1, 10].map((n) => (
        <button key={n} type="button" className="btn btn--xs" disabled={disabled} onClick={() => onStep(n)} aria-label={`${label} ${n > 0 ? '+' : ''}${n} frames`} data-testid={`${testId}-${n > 0 ? 'p' : 'm'}${Math.abs(n)}`}>
          {n > 0 ? `+${n}` : n}
        </button>
      ))}
    </div>
  );
}

export function RecutTab({ clip, asset }: { clip: Clip; asset: Asset }) {
  const settings = useSettings()!;
  const markIn = useUi((s) => s.markIn);
  const markOut = useUi((s) => s.markOut);
  const state = useProject((s) => s.state);
  const [ripple, setRipple] = useState(false);
  const fps = asset.probe.fps;
  const grid = fps ? flicksPerFrame(fps) : null;
  const totalFrames = grid ? Math.floor(asset.probe.durationFlicks / grid + 1e-6) : 0;
  const inFrame = grid ? Math.round(clip.inFlicks / grid) : 0;
  const outFrame = grid ? Math.round(clip.outFlicks / grid) : 0;
  const onGrid = !!grid && clip.inFlicks === Math.round(inFrame * grid) && clip.outFlicks === Math.round(outFrame * grid);
  const projectFrame = flicksPerFrame(settings.fps);
  const siblings = state ? clipsOnTrack(state, clip.trackId) : [];
  const before = siblings.find((c) => clipEnd(c) === clip.startFlicks && c.id !== clip.id);
  const after = siblings.find((c) => c.startFlicks === clipEnd(clip) && c.id !== clip.id);
  const looped = !!clip.effects.loop;
  const marksCover = markIn !== null && markOut !== null && markOut > markIn && markIn < clipEnd(clip) && markOut > clip.startFlicks;
  const tc = (f: number) => (fps ? formatTimecode(f, fps) : formatTimecode(f, settings.fps));

  const trimSource = (args: { inFrame?: number; outFrame?: number }) => void trimClipSource(clip.id, args, ripple);
  const roll = (left: Clip, n: number) => void rollEdit(left.id, clipEnd(left) + n * projectFrame);

  return (
    <div className="timing-tab" data-testid="recut-tab">
      <h3 className="section-title">Source</h3>
      {grid ? (
        <>
          <p className="muted timing-note" data-testid="recut-source-info">
            {Math.round(rateToNumber(fps!) * 1000) / 1000} fps source, {totalFrames} frames. Trims land on its frames.
            {!onGrid && ' This clip is between frames: any trim snaps it.'}
          </p>
          <div className="timing-grid2">
            <FrameField label="In frame" value={inFrame} min={0} max={outFrame - 1} onCommit={(v) => trimSource({ inFrame: v })} testId="recut-in" />
            <FrameField label="Out frame" value={outFrame} min={inFrame + 1} max={totalFrames} onCommit={(v) => trimSource({ outFrame: v })} testId="recut-out" />
          </div>
          <div className="kv">
            <span className="kv__k">Span</span>
            <span className="kv__v mono" data-testid="recut-span">
              {outFrame - inFrame} frames · {tc(clip.inFlicks)} → {tc(clip.outFlicks)}
            </span>
          </div>
          <label className="check">
            <input type="checkbox" checked={ripple} onChange={(e) => setRipple(e.target.checked)} data-testid="recut-ripple" />
            Ripple: later clips follow a longer or shorter clip
          </label>
        </>
      ) : (
        <p className="muted timing-note">This media has no frames to count; trim it on the timeline.</p>
      )}

      <h3 className="section-title">Slip</h3>
      <p className="muted timing-note">Moves what the clip shows, keeping where it sits and how long it is.</p>
      <StepButtons label="Slip" testId="recut-slip" disabled={!grid} onStep={(n) => void slipClip(clip.id, n)} />

      <h3 className="section-title">Roll</h3>
      <p className="muted timing-note">Moves a cut with a neighbouring clip: one gets longer, the other shorter (project frames).</p>
      <div className="timing-roll">
        <span className="muted">Cut before</span>
        <StepButtons label="Roll the cut before" testId="recut-roll-before" disabled={!before || looped || !!before?.effects.loop} onStep={(n) => before && roll(before, n)} />
      </div>
      <div className="timing-roll">
        <span className="muted">Cut after</span>
        <StepButtons label="Roll the cut after" testId="recut-roll-after" disabled={!after || looped || !!after?.effects.loop} onStep={(n) => roll(clip, n)} />
      </div>

      <h3 className="section-title">Keep only a range</h3>
      <p className="muted timing-note" data-testid="recut-marks">
        {markIn !== null || markOut !== null ? `Marks: ${markIn !== null ? formatTimecode(markIn, settings.fps) : '—'} → ${markOut !== null ? formatTimecode(markOut, settings.fps) : '—'}` : 'Set I and O on the timeline first.'}
      </p>
      <button
        type="button"
        className="btn btn--sm"
        disabled={!marksCover || looped}
        onClick={() => void keepRange(clip.id, markIn!, markOut!)}
        data-testid="recut-keep-range"
      >
        Keep only I→O
      </button>
    </div>
  );
}
