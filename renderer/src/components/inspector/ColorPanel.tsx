/**
 * The Inspector's Color tab for one clip: primaries (exposure, contrast, saturation,
 * temperature, tint), lift/gamma/gain per channel and master, an imported .cube LUT with
 * strength, copy/paste, presets, and scopes of the frame on screen. Dragging previews in
 * the Viewer (through the same compiled LUT the export uses); releasing commits one edit.
 */
import type { ReactNode } from 'react';
import { GRADE_LIMITS, NEUTRAL_GRADE, type ColorGrade, type Rgbm, type ScalarControl, type WheelControl } from '@app/model/color';
import type { Clip } from '@app/model/types';
import { copyGrade, currentGrade, pasteGrade, setGrade } from '../../actions/color';
import { useShownGrade } from '../../gl/useGradeLut';
import { useColor } from '../../state/color';
import { ColorLutSection } from './ColorLutSection';
import { ColorPresets } from './ColorPresets';
import { ColorScopes } from './ColorScopes';
import { ColorSlider } from './ColorSlider';
import '../../styles/color.css';

const PRIMARIES: { key: Exclude<ScalarControl, 'lutStrength'>; label: string; decimals: number }[] = [
  { key: 'exposure', label: 'Exposure', decimals: 2 },
  { key: 'contrast', label: 'Contrast', decimals: 2 },
  { key: 'saturation', label: 'Saturation', decimals: 2 },
  { key: 'temperature', label: 'Temperature', decimals: 2 },
  { key: 'tint', label: 'Tint', decimals: 2 },
];

const WHEELS: { key: WheelControl; label: string; decimals: number }[] = [
  { key: 'lift', label: 'Lift', decimals: 3 },
  { key: 'gamma', label: 'Gamma', decimals: 2 },
  { key: 'gain', label: 'Gain', decimals: 2 },
];

const CHANNELS: { ch: keyof Rgbm; label: string; accent?: 'r' | 'g' | 'b' }[] = [
  { ch: 'm', label: 'Master' },
  { ch: 'r', label: 'Red', accent: 'r' },
  { ch: 'g', label: 'Green', accent: 'g' },
  { ch: 'b', label: 'Blue', accent: 'b' },
];

function Group({ title, children, onReset, testId }: { title: string; children: ReactNode; onReset?: () => void; testId: string }) {
  return (
    <section className="color-group" aria-label={title} data-testid={testId}>
      <header className="color-group__head">
        <h3 className="section-title">{title}</h3>
        {onReset && (
          <button type="button" className="btn btn--ghost btn--xs" onClick={onReset} aria-label={`Reset ${title}`} data-testid={`${testId}-reset`}>
            Reset
          </button>
        )}
      </header>
      {children}
    </section>
  );
}

export function ColorPanel({ clip }: { clip: Clip }) {
  const shown = useShownGrade(clip);
  const grade: ColorGrade = shown ?? NEUTRAL_GRADE;
  const clipboard = useColor((s) => s.clipboard);
  const hasClipboard = useColor((s) => s.clipboardSet);
  const preview = (g: ColorGrade) => useColor.getState().setDraft({ clipId: clip.id, grade: g });
  const commit = (g: ColorGrade) => void setGrade(clip.id, g);
  // Built from the grade as it is at the moment of the change (an edit may still be in flight).
  const latest = () => currentGrade(clip.id) ?? NEUTRAL_GRADE;
  const scalar = (key: ScalarControl, v: number): ColorGrade => ({ ...latest(), [key]: v });
  const wheel = (key: WheelControl, ch: keyof Rgbm, v: number): ColorGrade => {
    const g = latest();
    return { ...g, [key]: { ...g[key], [ch]: v } };
  };

  return (
    <div className="color-panel" data-testid="color-panel" data-clip-id={clip.id}>
      <div className="color-panel__actions">
        <button type="button" className="btn btn--sm" onClick={() => copyGrade(clip.effects.color ?? null)} data-testid="color-copy">
          Copy grade
        </button>
        <button type="button" className="btn btn--sm" disabled={!hasClipboard} onClick={() => void pasteGrade([clip.id], clipboard)} data-testid="color-paste">
          Paste
        </button>
        <button type="button" className="btn btn--sm btn--ghost" disabled={!clip.effects.color} onClick={() => void setGrade(clip.id, null)} data-testid="color-reset-all">
          Reset all
        </button>
      </div>

      <ColorScopes />

      <Group title="Primaries" testId="color-primaries" onReset={() => commit({ ...latest(), ...pick(NEUTRAL_GRADE, PRIMARIES.map((p) => p.key)) })}>
        {PRIMARIES.map(({ key, label, decimals }) => (
          <ColorSlider
            key={key}
            label={label}
            value={grade[key]}
            {...GRADE_LIMITS[key]}
            neutral={NEUTRAL_GRADE[key]}
            decimals={decimals}
            onPreview={(v) => preview(scalar(key, v))}
            onCommit={(v) => commit(scalar(key, v))}
            testId={`color-${key}`}
          />
        ))}
      </Group>

      {WHEELS.map(({ key, label, decimals }) => (
        <Group key={key} title={label} testId={`color-${key}`} onReset={() => commit({ ...latest(), [key]: NEUTRAL_GRADE[key] })}>
          {CHANNELS.map(({ ch, label: chLabel, accent }) => (
            <ColorSlider
              key={ch}
              label={chLabel}
              value={grade[key][ch]}
              {...GRADE_LIMITS[key]}
              neutral={NEUTRAL_GRADE[key][ch]}
              decimals={decimals}
              accent={accent}
              onPreview={(v) => preview(wheel(key, ch, v))}
              onCommit={(v) => commit(wheel(key, ch, v))}
              testId={`color-${key}-${ch}`}
            />
          ))}
        </Group>
      ))}

      <Group title="LUT" testId="color-lut">
        <ColorLutSection grade={grade} latest={latest} onPreview={preview} onCommit={commit} />
      </Group>

      <Group title="Presets" testId="color-presets">
        <ColorPresets grade={clip.effects.color ?? null} clipIds={[clip.id]} />
      </Group>
    </div>
  );
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;
}
