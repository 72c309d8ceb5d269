/**
 * Controls the Inspector tabs share: a slider with its number field beside it, and a reset
 * button. Kept apart from InspectorTabs.tsx, which imports every tab: a tab importing its
 * controls from there made a cycle.
 */
import { useState } from 'react';

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
