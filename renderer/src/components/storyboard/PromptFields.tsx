import type { DialogueLine, StructuredPrompt } from '@app/model/types';
import { Icon } from '../common/Icon';

type TextKey = Exclude<keyof StructuredPrompt, 'dialogue'>;

const FIELDS: { key: TextKey; label: string; placeholder: string; rows: number }[] = [
  { key: 'subject', label: 'Subject', placeholder: 'Who or what: a lighthouse keeper in a yellow raincoat', rows: 2 },
  { key: 'action', label: 'Action', placeholder: 'What happens: climbs the spiral stairs, lantern in hand', rows: 2 },
  { key: 'setting', label: 'Setting', placeholder: 'Where and when: a stormy coast at dusk', rows: 2 },
  { key: 'camera', label: 'Camera', placeholder: 'Slow dolly in, 35mm, low angle', rows: 1 },
  { key: 'lighting', label: 'Lighting', placeholder: 'Cold blue ambient, warm practical lantern', rows: 1 },
  { key: 'style', label: 'Style', placeholder: 'Film grain, muted palette, anamorphic flares', rows: 1 },
  { key: 'audio', label: 'Audio', placeholder: 'Wind, waves on rocks, creaking wood', rows: 1 },
];

/** The structured prompt's fields. Edits go to the caller's draft; blur commits it. */
export function PromptFields({ prompt, onChange, onBlur }: { prompt: StructuredPrompt; onChange: (p: StructuredPrompt) => void; onBlur: () => void }) {
  return (
    <div className="prompt-fields">
      {FIELDS.map((f) => (
        <label key={f.key} className="field">
          <span className="field__label">{f.label}</span>
          <textarea
            className="input textarea"
            rows={f.rows}
            value={prompt[f.key]}
            placeholder={f.placeholder}
            onChange={(e) => onChange({ ...prompt, [f.key]: e.target.value })}
            onBlur={onBlur}
            data-testid={`prompt-${f.key}`}
            maxLength={f.rows > 1 ? 2000 : 1000}
          />
        </label>
      ))}
      <DialogueEditor lines={prompt.dialogue} onChange={(dialogue) => onChange({ ...prompt, dialogue })} onBlur={onBlur} />
    </div>
  );
}

function DialogueEditor({ lines, onChange, onBlur }: { lines: DialogueLine[]; onChange: (l: DialogueLine[]) => void; onBlur: () => void }) {
  const set = (i: number, patch: Partial<DialogueLine>) => onChange(lines.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  return (
    <fieldset className="dialogue" data-testid="dialogue">
      <legend className="field__label">Dialogue</legend>
      {lines.length === 0 && <p className="muted dialogue__none">No lines.</p>}
      {lines.map((l, i) => (
        <div key={i} className="dialogue__line" data-testid="dialogue-line-row">
          <input
            className="input input--sm dialogue__speaker"
            value={l.speaker}
            placeholder="Speaker"
            aria-label={`Speaker of line ${i + 1}`}
            onChange={(e) => set(i, { speaker: e.target.value })}
            onBlur={onBlur}
            data-testid="dialogue-speaker"
            maxLength={200}
          />
          <input
            className="input input--sm dialogue__text"
            value={l.line}
            placeholder="Line"
            aria-label={`Line ${i + 1}`}
            onChange={(e) => set(i, { line: e.target.value })}
            onBlur={onBlur}
            data-testid="dialogue-line"
            maxLength={2000}
          />
          <button
            type="button"
            className="btn btn--ghost btn--icon btn--sm"
            aria-label={`Remove line ${i + 1}`}
            onClick={() => {
              onChange(lines.filter((_, j) => j !== i));
              onBlur();
            }}
            data-testid="dialogue-remove"
          >
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
      <button
        type="button"
        className="btn btn--sm btn--ghost"
        disabled={lines.length >= 50}
        onClick={() => onChange([...lines, { speaker: lines.at(-1)?.speaker ?? '', line: '' }])}
        data-testid="dialogue-add"
      >
        <Icon name="plus" size={14} /> Add line
      </button>
    </fieldset>
  );
}
