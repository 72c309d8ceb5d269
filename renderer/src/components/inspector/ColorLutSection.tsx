/** The grade's creative LUT: import a .cube (stored in the project), its strength, remove it. */
import { useRef, useState } from 'react';
import { GRADE_LIMITS, type ColorGrade } from '@app/model/color';
import { importLutFile } from '../../actions/color';
import { useColor } from '../../state/color';
import { ColorSlider } from './ColorSlider';

export function ColorLutSection({ grade, latest, onPreview, onCommit }: { grade: ColorGrade; latest(): ColorGrade; onPreview(g: ColorGrade): void; onCommit(g: ColorGrade): void }) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const lut = grade.lut;
  const load = useColor((s) => (lut ? s.luts[lut.sha256] : undefined));
  return (
    <>
      <div className="color-lut">
        <div className="color-lut__name" data-testid="color-lut-name" title={lut ? `${lut.name}${lut.title ? ` — ${lut.title}` : ''}` : undefined}>
          {lut ? (
            <>
              <span className="truncate">{lut.title || lut.name}</span>
              <span className="muted mono">{lut.size}³</span>
            </>
          ) : (
            <span className="muted">No LUT</span>
          )}
        </div>
        <button type="button" className="btn btn--sm" disabled={busy} onClick={() => input.current?.click()} data-testid="color-lut-import">
          {busy ? 'Importing…' : lut ? 'Replace…' : 'Import .cube…'}
        </button>
        {lut && (
          <button type="button" className="btn btn--sm btn--ghost" onClick={() => onCommit({ ...latest(), lut: null })} aria-label="Remove the LUT" data-testid="color-lut-remove">
            ✕
          </button>
        )}
        <input
          ref={input}
          type="file"
          accept=".cube"
          hidden
          data-testid="color-lut-input"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (!file) return;
            setBusy(true);
            const ref = await importLutFile(file);
            setBusy(false);
            if (ref) onCommit({ ...latest(), lut: ref });
          }}
        />
      </div>
      {load?.state === 'failed' && (
        <p className="field__note color-lut__error" role="alert">
          {load.message}
        </p>
      )}
      <ColorSlider
        label="Strength"
        value={grade.lutStrength}
        {...GRADE_LIMITS.lutStrength}
        neutral={1}
        decimals={2}
        onPreview={(v) => onPreview({ ...latest(), lutStrength: v })}
        onCommit={(v) => onCommit({ ...latest(), lutStrength: v })}
        testId="color-lutStrength"
      />
    </>
  );
}
