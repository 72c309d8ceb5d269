/** The selected clip's facts and its simple effects (volume, fades); the project's format otherwise. */
import { useState } from 'react';
import type { Clip } from '../../../../app/model/types';
import { clipDuration, clipEnd } from '../../../../app/timeline/query';
import { formatTimecode, rateToNumber, secondsToFlicks } from '../../../../app/time/flicks';
import { edit } from '../../actions/edit';
import { secondsText } from '../../lib/format';
import { useAssets, useClips, useSettings, useTracksMap } from '../../state/selectors';
import { useUi } from '../../state/ui';
import { Thumb } from '../common/Thumb';
import { ColorMultiPaste } from '../inspector/ColorMultiPaste';
import { ColorPanel } from '../inspector/ColorPanel';
import { InspectorTabBar, InspectorTabPanel, inspectorTabsFor, type InspectorTabContext } from '../inspector/InspectorTabs';

/**
 * Inspector tabs for one clip; each effect adds its own. Tabs rendered here (Clip, Color)
 * are listed in TABS; the others come from the registry in ../inspector/InspectorTabs
 * (Recut, Loop, Speed, …), ordered together by `order`.
 */
type InspectorTab = string;
const TABS: { id: InspectorTab; label: string; order: number; picture?: boolean }[] = [
  { id: 'clip', label: 'Clip', order: 0 },
  { id: 'color', label: 'Color', order: 50, picture: true },
];

function visibleTabs(ctx: InspectorTabContext, hasPicture: boolean): { id: string; label: string; order: number }[] {
  return [...TABS.filter((t) => !t.picture || hasPicture), ...inspectorTabsFor(ctx)].sort((a, b) => a.order - b.order);
}

function Row({ label, value, testId }: { label: string; value: string; testId?: string }) {
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

function ClipInspector({ clip }: { clip: Clip }) {
  const settings = useSettings()!;
  const asset = useAssets()[clip.assetId];
  const track = useTracksMap()[clip.trackId];
  const [volume, setVolume] = useState<number | null>(null);
  const tc = (f: number) => formatTimecode(f, settings.fps);
  const setEffects = (effects: Partial<Clip['effects']>) => void edit({ command: 'clip.setEffects', args: { clipId: clip.id, effects } });
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

export function Inspector() {
  const settings = useSettings();
  const clips = useClips();
  const selected = useUi((s) => s.selectedClipIds);
  const clip = selected.length === 1 ? clips[selected[0]!] : undefined;
  const assets = useAssets();
  const [tab, setTab] = useState<InspectorTab>('clip');
  const asset = clip ? assets[clip.assetId] : undefined;
  const hasPicture = !!asset && asset.kind !== 'audio' && (asset.kind === 'image' || asset.probe.hasVideo);
  const ctx = clip ? { clip, asset } : null;
  const tabs = ctx ? visibleTabs(ctx, hasPicture) : [];
  const shownTab = tabs.some((t) => t.id === tab) ? tab : 'clip';
  const registered = ctx ? inspectorTabsFor(ctx).find((t) => t.id === shownTab) : undefined;
  return (
    <aside className="inspector" aria-label="Inspector" data-testid="inspector">
      <header className="panel-header">
        <h2 className="panel-title">{clip ? 'Clip' : selected.length > 1 ? `${selected.length} clips` : 'Project'}</h2>
      </header>
      {clip ? (
        <>
          <InspectorTabBar tabs={tabs} current={shownTab} onSelect={setTab} />
          {shownTab === 'color' ? (
            <div className="inspector__body" role="tabpanel" aria-label="Color">
              <ColorPanel key={clip.id} clip={clip} />
            </div>
          ) : registered && ctx ? (
            <InspectorTabPanel id={registered.id} label={registered.label}>
              {registered.render(ctx)}
            </InspectorTabPanel>
          ) : (
            <ClipInspector key={clip.id} clip={clip} />
          )}
        </>
      ) : selected.length > 1 ? (
        <div className="inspector__body">
          <ColorMultiPaste clipIds={selected} />
        </div>
      ) : (
        settings && (
          <div className="inspector__body">
            <Row label="Name" value={settings.name} />
            <Row label="Frame size" value={`${settings.width}×${settings.height}`} />
            <Row label="Frame rate" value={`${Math.round(rateToNumber(settings.fps) * 1000) / 1000} fps`} />
            <Row label="Sample rate" value={`${settings.sampleRate / 1000} kHz`} />
            <p className="muted inspector__hint">Select a clip to see its details. Space plays, J/K/L shuttle, S splits, I/O mark.</p>
          </div>
        )
      )}
    </aside>
  );
}
