/**
 * Inspector tabs for one clip: a small registry every effect adds its tab to, the tab bar
 * (a WAI-ARIA tablist: arrow keys, Home/End). The controls tabs share live in NumberSlider.tsx
 * (tabs import it, so it must not import the tabs). Add a tab by appending an entry to INSPECTOR_TABS (or
 * calling registerInspectorTab from a module the Inspector imports); `order` places it:
 * Clip 0, Recut 20, Loop 30, Stabilize 40, Color 50, Speed 60.
 */
import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import type { Asset, Clip } from '@app/model/types';
import { LoopTab } from './LoopTab';
import { RecutTab } from './RecutTab';
import { SpeedTab } from './SpeedTab';
import { StabilizeTab } from './StabilizeTab';
import { isStabilizable } from '@app/stabilize/keys';
import { Icon, type IconName } from '../common/Icon';
import '../../styles/timing.css';

export interface InspectorTabContext {
  clip: Clip;
  asset: Asset | undefined;
}

export interface InspectorTabDef {
  id: string;
  label: string;
  /** Tabs show icons (the label is the tooltip and accessible name): six labels do not fit one row. */
  icon: IconName;
  order: number;
  /** Whether the tab applies to this clip (default: always). */
  applies?(ctx: InspectorTabContext): boolean;
  render(ctx: InspectorTabContext): ReactNode;
}

/** Clips whose media has time (not stills). */
const moving = ({ asset }: InspectorTabContext) => !!asset && asset.kind !== 'image';

export const INSPECTOR_TABS: InspectorTabDef[] = [
  { id: 'recut', label: 'Recut', icon: 'scissors', order: 20, applies: moving, render: ({ clip, asset }) => <RecutTab key={clip.id} clip={clip} asset={asset!} /> },
  { id: 'loop', label: 'Loop', icon: 'loop', order: 30, applies: moving, render: ({ clip, asset }) => <LoopTab key={clip.id} clip={clip} asset={asset!} /> },
  { id: 'stabilize', label: 'Stabilize', icon: 'stabilize', order: 40, applies: ({ asset }) => isStabilizable(asset), render: ({ clip }) => <StabilizeTab key={clip.id} clip={clip} /> },
  { id: 'speed', label: 'Speed', icon: 'speed', order: 60, applies: moving, render: ({ clip, asset }) => <SpeedTab key={clip.id} clip={clip} asset={asset!} /> },
];

/** Add (or replace, by id) a tab. */
export function registerInspectorTab(def: InspectorTabDef): void {
  const i = INSPECTOR_TABS.findIndex((t) => t.id === def.id);
  if (i >= 0) INSPECTOR_TABS[i] = def;
  else INSPECTOR_TABS.push(def);
}

/** The registered tabs that apply to a clip, in order. */
export function inspectorTabsFor(ctx: InspectorTabContext): InspectorTabDef[] {
  return INSPECTOR_TABS.filter((t) => !t.applies || t.applies(ctx)).sort((a, b) => a.order - b.order);
}

export interface TabBarItem {
  id: string;
  label: string;
  icon: IconName;
}

/** The tab bar: one tab stop (the selected tab); arrows move between tabs and select them. */
export function InspectorTabBar({ tabs, current, onSelect }: { tabs: TabBarItem[]; current: string; onSelect: (id: string) => void }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (e: KeyboardEvent<HTMLButtonElement>, i: number) => {
    const to = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : null;
    if (to === null) return;
    e.preventDefault();
    const j = (to + tabs.length) % tabs.length;
    onSelect(tabs[j]!.id);
    refs.current[j]?.focus();
  };
  return (
    <div className="segmented inspector__tabs" role="tablist" aria-label="Clip inspector">
      {tabs.map((t, i) => (
        <button
          key={t.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`inspector-tab-${t.id}`}
          aria-selected={current === t.id}
          aria-controls={`inspector-panel-${t.id}`}
          tabIndex={current === t.id ? 0 : -1}
          className={current === t.id ? 'is-active' : ''}
          onClick={() => onSelect(t.id)}
          onKeyDown={(e) => onKey(e, i)}
          aria-label={t.label}
          title={t.label}
          data-testid={`inspector-tab-${t.id}`}
        >
          <Icon name={t.icon} size={16} />
        </button>
      ))}
    </div>
  );
}

export function InspectorTabPanel({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="inspector__body" role="tabpanel" id={`inspector-panel-${id}`} aria-labelledby={`inspector-tab-${id}`} aria-label={label} data-testid={`inspector-panel-${id}`}>
      {children}
    </div>
  );
}
