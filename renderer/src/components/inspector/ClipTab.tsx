/** The Inspector's Clip tab: the selected clip's facts and its simple effects (volume, fades). */
import { useState } from 'react';
import type { Clip } from '@app/model/types';
import { clipDuration, clipEnd } from '@app/timeline/query';
import { secondsToFlicks } from '@app/time/flicks';
import { formatTimecode } from '@app/time/timecode';
import { setClipEffects } from '../../actions/clips';
import { secondsText } from '../../lib/format';
import { useAssets, useSettings, useTracksMap } from '../../state/selectors';
import { Thumb } from '../common/Thumb';

export function Row({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="kv">
      <span className="kv__k">{label}</span>
      <span className="kv__v mono" data-testid={testId}>
        {value}
      </span>
    </div>
  );
}

function SecondsField({ label, value, onCommit, testId }: { label: string; value: number; onCommit: (f: number) => void; testId: string }) {
  const [text, setText] = useState<string | null>(null);
  const commit = () => {
    if (text === null) return;
    setText(null);
    const s = Number(text.replace(',', '.'));
    if (Number.isFinite(s) && s >= 0 && secondsToFlicks(s) !== value) onCommit(secondsToFlicks(s));
  };
  return (
    <label className="field field--inline field--compact">
      <span className="field__label">{label}</span>
      <input
        className="input input--sm input--num"
        inputMode="decimal"
        value={text ?? secondsText(value)}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        data-testid={testId}
      />
    </label>
  );
}

export function ClipInspector({ clip }: { clip: Clip }) {
  const settings = useSettings()!;
  const asset = useAssets()[clip.assetId];
  const track = useTracksMap()[clip.trackId];
  const [volume, setVolume] = useState<number | null>(null);
  const tc = (f: number) => formatTimecode(f, settings.fps);
  const setEffects = (effects: Partial<Clip['effects']>) => void setClipEffects(clip.id, effects);
  const shownVolume = volume ?? clip.effects.volume;
  return (
    <div className="inspector__body" data-testid="clip-inspector" data-clip-id={clip.id}>
      <div className="inspector__thumb">
        <Thumb asset={asset} />
      </div>
      <div className="inspector__name truncate" title={asset?.name}>
        {asset?.name ?? 'Missing media'}
      </div>
      <Row label="Track" value={track?.name ?? '?'} />
      <Row label="Start" value={tc(clip.startFlicks)} testId="inspector-start" />
      <Row label="End" value={tc(clipEnd(clip))} />
      <Row label="Duration" value={tc(clipDuration(clip))} testId="inspector-duration" />
      <Row label="Source in" value={tc(clip.inFlicks)} />
      <Row label="Source out" value={tc(clip.outFlicks)} />
      {asset?.probe.hasAudio && (
        <>
          <h3 className="section-title">Audio</h3>
          <label className="field field--compact">
            <span className="field__label">
              Volume <span className="mono muted">{Math.round(shownVolume * 100)}%</span>
            </span>
            <input
              type="range"
              min={0}
              max={2}
              step={0.01}
              value={shownVolume}
              onChange={(e) => setVolume(Number(e.target.value))}
              onPointerUp={() => volume !== null && (setEffects({ volume }), setVolume(null))}
              onKeyUp={() => volume !== null && (setEffects({ volume }), setVolume(null))}
              onBlur={() => volume !== null && (setEffects({ volume }), setVolume(null))}
              data-testid="clip-volume"
            />
          </label>
          <div className="inspector__row">
            <SecondsField label="Fade in" value={clip.effects.fadeInFlicks} onCommit={(f) => setEffects({ fadeInFlicks: f })} testId="clip-fade-in" />
            <SecondsField label="Fade out" value={clip.effects.fadeOutFlicks} onCommit={(f) => setEffects({ fadeOutFlicks: f })} testId="clip-fade-out" />
          </div>
        </>
      )}
    </div>
  );
}

