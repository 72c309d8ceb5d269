/** Named grades saved in the project: save the current grade, apply one to the clip(s), delete. */
import { useState } from 'react';
import { deletePreset, pasteGrade, savePreset } from '../../actions/color';
import type { ColorGrade } from '@app/model/color';
import { useSettings } from '../../state/selectors';

export function ColorPresets({ grade, clipIds }: { grade: ColorGrade | null; clipIds: string[] }) {
  const presets = useSettings()?.gradePresets ?? [];
  const [selected, setSelected] = useState<string>('');
  const [name, setName] = useState('');
  const chosen = presets.find((p) => p.id === selected) ?? presets[0];
  return (
    <div className="color-presets">
      <div className="color-presets__row">
        <select
          className="select input--sm"
          aria-label="Grade preset"
          value={chosen?.id ?? ''}
          onChange={(e) => setSelected(e.target.value)}
          disabled={presets.length === 0}
          data-testid="color-preset-select"
        >
          {presets.length === 0 && <option value="">No presets yet</option>}
          {presets.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn--sm" disabled={!chosen} onClick={() => chosen && void pasteGrade(clipIds, chosen.grade)} data-testid="color-preset-apply">
          Apply
        </button>
        <button
          type="button"
          className="btn btn--sm btn--ghost btn--danger"
          disabled={!chosen}
          onClick={() => chosen && void deletePreset(chosen.id)}
          aria-label={chosen ? `Delete preset ${chosen.name}` : 'Delete preset'}
          data-testid="color-preset-delete"
        >
          ✕
        </button>
      </div>
      {grade && (
        <form
          className="color-presets__row"
          onSubmit={async (e) => {
            e.preventDefault();
            if (name.trim() && (await savePreset(name.trim(), grade))) setName('');
          }}
        >
          <input className="input input--sm" placeholder="Save grade as…" aria-label="New preset name" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} data-testid="color-preset-name" />
          <button type="submit" className="btn btn--sm" disabled={!name.trim()} data-testid="color-preset-save">
            Save
          </button>
        </form>
      )}
    </div>
  );
}
