/**
 * A track's header: name, mute, solo (audio), lock, delete; on audio tracks a fader (dB) and
 * a pan knob as small sliders. Each change is one undoable track.update; a slider commits
 * when released, not on every step of the drag.
 */
import { memo, useEffect, useState } from 'react';
import type { Track } from '@app/model/types';
import { MAX_TRACK_VOLUME, trackPan, trackVolume } from '@app/timeline/mix';
import { removeTrack, setTrackMuted, updateTrack } from '../../actions/clips';

/** Fader travel in dB: −60 (then silence) … +12 (the 4× maximum). */
const MIN_DB = -60;
const MAX_DB = 20 * Math.log10(MAX_TRACK_VOLUME);
const toDb = (g: number) => (g <= 0 ? MIN_DB : Math.max(MIN_DB, 20 * Math.log10(g)));
const fromDb = (db: number) => (db <= MIN_DB ? 0 : 10 ** (db / 20));
export const formatDb = (g: number) => (g <= 0 ? '−∞ dB' : `${toDb(g) >= 0 ? '+' : '−'}${Math.abs(toDb(g)).toFixed(1)} dB`);
const formatPan = (p: number) => (Math.abs(p) < 0.005 ? 'C' : `${p < 0 ? 'L' : 'R'}${Math.round(Math.abs(p) * 100)}`);

function Toggle({ on, label, title, testId, onClick, children }: { on: boolean; label: string; title: string; testId: string; onClick: () => void; children: string }) {
  return (
    <button type="button" className={on ? 'btn btn--xs btn--toggle is-active' : 'btn btn--xs btn--toggle'} aria-pressed={on} aria-label={label} title={title} onClick={onClick} data-testid={testId}>
      {children}
    </button>
  );
}

/** A slider that shows its value while dragged and commits once on release. */
function CommitSlider(props: { value: number; min: number; max: number; step: number; label: string; format: (v: number) => string; onCommit: (v: number) => void; testId: string; className: string; reset: number }) {
  const [draft, setDraft] = useState<number | null>(null);
  useEffect(() => setDraft(null), [props.value]);
  const v = draft ?? props.value;
  const commit = () => {
    if (draft !== null && draft !== props.value) props.onCommit(draft);
  };
  return (
    <input
      type="range"
      className={props.className}
      min={props.min}
      max={props.max}
      step={props.step}
      value={v}
      aria-label={props.label}
      aria-valuetext={props.format(v)}
      title={`${props.label}: ${props.format(v)} (double-click resets)`}
      data-testid={props.testId}
      data-value={props.value}
      onChange={(e) => setDraft(Number(e.target.value))}
      onPointerUp={commit}
      onKeyUp={commit}
      onBlur={commit}
      onDoubleClick={() => props.onCommit(props.reset)}
    />
  );
}

export const TrackHead = memo(function TrackHead({ track }: { track: Track }) {
  const audio = track.kind === 'audio';
  const gain = trackVolume(track);
  return (
    <div className={`track-head track-head--${track.kind}`} data-testid="track-head" data-track-id={track.id}>
      <div className="track-head__row">
        <span className={`track-head__badge track-head__badge--${track.kind}`} title={track.name}>
          {track.name}
        </span>
        <span className="track-head__kind" />
        <Toggle on={track.muted} label={`${track.muted ? 'Unmute' : 'Mute'} ${track.name}`} title={track.muted ? 'Muted: silent in the viewer and export' : 'Mute track'} testId="track-mute" onClick={() => void setTrackMuted(track.id, !track.muted)}>
          M
        </Toggle>
        {audio && (
          <Toggle on={!!track.solo} label={`${track.solo ? 'Unsolo' : 'Solo'} ${track.name}`} title="Solo: only soloed audio tracks are heard" testId="track-solo" onClick={() => void updateTrack(track.id, { solo: !track.solo })}>
            S
          </Toggle>
        )}
        <Toggle on={!!track.locked} label={`${track.locked ? 'Unlock' : 'Lock'} ${track.name}`} title="Lock: its clips cannot be changed" testId="track-lock" onClick={() => void updateTrack(track.id, { locked: !track.locked })}>
          L
        </Toggle>
        <button type="button" className="btn btn--xs btn--ghost track-head__remove" aria-label={`Delete track ${track.name}`} title="Delete this track and its clips" onClick={() => void removeTrack(track.id)} data-testid="track-remove">
          ×
        </button>
      </div>
      {audio && (
        <div className="track-head__row track-head__mix">
          <CommitSlider className="track-head__fader" value={toDb(gain)} min={MIN_DB} max={MAX_DB} step={0.5} reset={0} label={`${track.name} volume`} format={(db) => formatDb(fromDb(db))} onCommit={(db) => void updateTrack(track.id, { volume: fromDb(db) })} testId="track-volume" />
          <CommitSlider className="track-head__pan" value={trackPan(track)} min={-1} max={1} step={0.05} reset={0} label={`${track.name} pan`} format={formatPan} onCommit={(p) => void updateTrack(track.id, { pan: p })} testId="track-pan" />
        </div>
      )}
    </div>
  );
});
