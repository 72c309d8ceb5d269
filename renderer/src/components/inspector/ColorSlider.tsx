/**
 * One grade control: a slider (live preview while dragging), a numeric field beside it,
 * and a reset button. Keyboard: the slider takes arrows/PageUp/PageDown/Home/End and
 * commits on key release; the field commits on Enter or blur; Escape abandons the typing.
 */
import { useState } from 'react';

export interface SliderSpec {
  min: number;
  max: number;
  step: number;
  neutral: number;
}

interface Props extends SliderSpec {
  label: string;
  value: number;
  /** While dragging: preview only (outside the history). */
  onPreview(v: number): void;
  /** One committed edit. */
  onCommit(v: number): void;
  testId: string;
  /** Shown decimals in the field (default from step). */
  decimals?: number;
  accent?: 'r' | 'g' | 'b';
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function ColorSlider({ label, value, min, max, step, neutral, onPreview, onCommit, testId, decimals, accent }: Props) {
  const [text, setText] = useState<string | null>(null);
  const [dragging, setDragging] = useState<number | null>(null);
  const dp = decimals ?? Math.max(0, Math.ceil(-Math.log10(step)));
  const shown = dragging ?? value;
  const commitDrag = () => {
    if (dragging === null) return;
    const v = dragging;
    setDragging(null);
    if (v !== value) onCommit(v);
  };
  const commitText = () => {
    if (text === null) return;
    setText(null);
    const v = Number(text.replace(',', '.'));
    if (!Number.isFinite(v)) return;
    const next = clamp(Math.round(v / step) * step, min, max);
    const rounded = Number(next.toFixed(dp + 2));
    if (rounded !== value) onCommit(rounded);
  };
  const id = `color-${testId}`;
  return (
    <div className={accent ? `cslider cslider--${accent}` : 'cslider'} data-testid={testId}>
      <label className="cslider__label" htmlFor={id} title={label}>
        {label}
      </label>
      <input
        id={id}
        className="cslider__range"
        type="range"
        min={min}
        max={max}
        step={step}
        value={shown}
        onChange={(e) => {
          const v = Number(e.target.value);
          setDragging(v);
          onPreview(v);
        }}
        onPointerUp={commitDrag}
        onKeyUp={commitDrag}
        onBlur={commitDrag}
        onDoubleClick={() => value !== neutral && onCommit(neutral)}
        data-testid={`${testId}-range`}
      />
      <input
        className="input input--sm input--num cslider__num"
        inputMode="decimal"
        aria-label={`${label} value`}
        value={text ?? shown.toFixed(dp)}
        onChange={(e) => setText(e.target.value)}
        onBlur={commitText}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commitText();
          else if (e.key === 'Escape') setText(null);
        }}
        data-testid={`${testId}-value`}
      />
      <button
        type="button"
        className="btn btn--ghost btn--xs btn--icon cslider__reset"
        onClick={() => onCommit(neutral)}
        disabled={value === neutral && dragging === null}
        aria-label={`Reset ${label}`}
        title={`Reset ${label} to ${neutral}`}
        data-testid={`${testId}-reset`}
      >
        ↺
      </button>
    </div>
  );
}
