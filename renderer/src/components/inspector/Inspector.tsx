/** The Inspector: the selected clip's tabs (Clip, Recut, Loop, …), several clips' colour paste, or the project's format. */
import { useState } from 'react';
import { rateToNumber } from '@app/time/flicks';
import { useAssets, useClip, useSettings } from '../../state/selectors';
import { useProject } from '../../state/project';
import { useUi } from '../../state/ui';
import { ClipInspector, Row } from './ClipTab';
import type { IconName } from '../common/Icon';
import { ColorMultiPaste } from './ColorMultiPaste';
import { ColorPanel } from './ColorPanel';
import { InspectorTabBar, InspectorTabPanel, inspectorTabsFor, type InspectorTabContext } from './InspectorTabs';

/**
 * Inspector tabs for one clip; each effect adds its own. Tabs rendered here (Clip, Color)
 * are listed in TABS; the others come from the registry in ./InspectorTabs
 * (Recut, Loop, Speed, …), ordered together by `order`.
 */
type InspectorTab = string;
const TABS: { id: InspectorTab; label: string; icon: IconName; order: number; picture?: boolean }[] = [
  { id: 'clip', label: 'Clip', icon: 'film', order: 0 },
  { id: 'color', label: 'Color', icon: 'color', order: 50, picture: true },
];

function visibleTabs(ctx: InspectorTabContext, hasPicture: boolean): { id: string; label: string; icon: IconName; order: number }[] {
  return [...TABS.filter((t) => !t.picture || hasPicture), ...inspectorTabsFor(ctx)].sort((a, b) => a.order - b.order);
}

export function Inspector() {
  const settings = useSettings();
  const selected = useUi((s) => s.selectedClipIds);
  // A click selects a clip with its linked sound (or picture): the Inspector shows the clicked one (listed first).
  // Selected from the store one by one: edits to other clips do not re-render the Inspector.
  const first = useClip(selected[0]);
  const oneLinkedGroup = useProject((s) => !!first?.linkId && selected.every((id) => s.state?.clips[id]?.linkId === first.linkId));
  const clip = selected.length === 1 || oneLinkedGroup ? first : undefined;
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
        <h2 className="panel-title">
          {clip ? 'Clip' : selected.length > 1 ? `${selected.length} clips` : 'Project'}
          {clip && shownTab !== 'clip' && <span className="muted" data-testid="inspector-tab-name"> · {tabs.find((t) => t.id === shownTab)?.label}</span>}
        </h2>
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
