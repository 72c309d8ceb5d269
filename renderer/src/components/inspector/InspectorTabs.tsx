/**
 * Inspector tabs for one clip: a small registry every effect adds its tab to, the tab bar
 * (a WAI-ARIA tablist: arrow keys, Home/End), and the controls tabs share (a slider with its
 * number field and a reset button). Add a tab by appending an entry to INSPECTOR_TABS (or
 * calling registerInspectorTab from a module the Inspector imports); `order` places it:
 * Clip 0, Recut 20, Loop 30, Stabilize 40, Color 50, Speed 60.
 */
import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Asset, Clip } from '../../../../app/model/types';
import { LoopTab } from './LoopTab';
import { RecutTab } from './RecutTab';
import { SpeedTab } from './SpeedTab';
import { StabilizeTab } from './StabilizeTab';
import { isStabilizable } from '../../../../app/stabilize/keys';
import '../../styles/timing.css';

export interface InspectorTabContext {
  clip: Clip;
  asset: Asset | undefined;
}

export interface InspectorTabDef {
  id: string;
  label: string;
  order: number;
  /** Whether the tab applies to this clip (default: always). */
  applies?(ctx: InspectorTabContext): boolean;
  render(ctx: InspectorTabContext): ReactNode;
}

/** Clips whose media has time (not stills). */
const moving = ({ asset }: InspectorTabContext) => !!asset && asset.kind !== 'image';

export const INSPECTOR_TABS: InspectorTabDef[] = [
  { id: 'recut', label: 'Recut', order: 20, applies: moving, render: ({ clip, asset }) => <RecutTab key={clip.id} clip={clip} asset={asset!} /> },
  { id: 'loop', label: 'Loop', order: 30, applies: moving, render: ({ clip, asset }) => <LoopTab key={clip.id} clip={clip} asset={asset!} /> },
  { id: 'stabilize', label: 'Stabilize', order: 40, applies: ({ asset }) => isStabilizable(asset), render: ({ clip }) => <StabilizeTab key={clip.id} clip={clip} /> },
  { id: 'speed', label: 'Speed', order: 60, applies: moving, render: ({ clip, asset }) => <SpeedTab key={clip.id} clip={clip} asset={asset!} /> },
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
    <div className="segmented segmented--sm inspector__tabs" role="tablist" aria-label="Clip inspector">
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
          data-testid={`inspector-tab-${t.id}`}
        >
          {t.label}
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

// ---------------------------------------------------------------------------------------
// Shared controls.

export interface NumberSliderProps {
  label: string;
  /** Shown after the number field. */
  unit?: string;
  value: number;
  min: number;
  max: number;
  /** Step of the number (and of the slider unless log). */
  step?: number;
  /** Log scale slider (for rates like 0.1×..10×). */
  log?: boolean;
  defaultValue: number;
  disabled?: boolean;
  /** Decimals shown in the field. */
  decimals?: number;
  onCommit(v: number): void;
  /** While dragging (for live previews); not an edit. */
  onPreview?(v: number | null): void;
  testId: string;
}

/** A slider with its number field beside it and a reset button; commits once on release, Enter or blur. */
export function NumberSlider(p: NumberSliderProps) {
  const { label, unit, value, min, max, step = 1, log, defaultValue, disabled, decimals = 2, onCommit, onPreview, testId } = p;
  const [drag, setDrag] = useState<number | null>(null);
  const [text, setText] = useState<string | null>(null);
  const clamp = (v: number) => Math.min(max, Math.max(min, Math.round(v / step) * step));
  const shown = drag ?? value;
  const toSlider = (v: number) => (log ? Math.log(v) : v);
  const fromSlider = (x: number) => clamp(log ? Math.exp(x) : x);
  const fmt = (v: number) => String(Number(v.toFixed(decimals)));
  const commitDrag = () => {
    if (drag === null) return;
    setDrag(null);
    onPreview?.(null);
    if (drag !== value) onCommit(drag);
  };
  const commitText = () => {
    if (text === null) return;
    setText(null);
    const v = Number(text.replace(',', '.').replace(/[×x]$/, ''));
    if (text.trim() !== '' && Number.isFinite(v) && clamp(v) !== value) onCommit(clamp(v));
  };
  const id = `${testId}-value`;
  return (
    <div className="field field--compact timing-slider">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="timing-slider__row">
        <input
          type="range"
          min={toSlider(min)}
          max={toSlider(max)}
          step={log ? 0.001 : step}
          value={toSlider(shown)}
          disabled={disabled}
          aria-label={unit ? `${label} (${unit})` : label}
          aria-valuetext={`${fmt(shown)}${unit ?? ''}`}
          onChange={(e) => {
            const v = fromSlider(Number(e.target.value));
            setDrag(v);
            onPreview?.(v);
          }}
          onPointerUp={commitDrag}
          onKeyUp={commitDrag}
          onBlur={commitDrag}
          data-testid={testId}
        />
        <input
          id={id}
          className="input input--sm input--num timing-slider__num"
          inputMode="decimal"
          value={text ?? fmt(shown)}
          disabled={disabled}
          onChange={(e) => setText(e.target.value)}
          onBlur={commitText}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commitText();
            if (e.key === 'Escape') setText(null);
          }}
          data-testid={`${testId}-value`}
        />
        {unit && <span className="muted timing-slider__unit">{unit}</span>}
        <ResetButton label={label} disabled={disabled || value === defaultValue} onReset={() => onCommit(defaultValue)} display={fmt(defaultValue) + (unit ?? '')} testId={`${testId}-reset`} />
      </div>
    </div>
  );
}

export function ResetButton({ label, disabled, onReset, display, testId }: { label: string; disabled?: boolean; onReset(): void; display?: string; testId: string }) {
  return (
    <button
      type="button"
      className="btn btn--ghost btn--xs"
      disabled={disabled}
      onClick={onReset}
      aria-label={`Reset ${label.toLowerCase()}${display ? ` to ${display}` : ''}`}
      title={display ? `Reset to ${display}` : 'Reset'}
      data-testid={testId}
    >
      ↺
    </button>
  );
}
