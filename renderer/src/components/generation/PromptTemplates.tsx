/** Template buttons above the prompt fields: one click sets a starting look (undoable). */
import type { StructuredPrompt } from '@app/model/types';
import { applyTemplate, PROMPT_TEMPLATES } from './templates';
import '../../styles/generation.css';

export function PromptTemplates({ prompt, onApply }: { prompt: StructuredPrompt; onApply: (p: StructuredPrompt) => void }) {
  return (
    <div className="prompt-templates" role="group" aria-label="Prompt templates" data-testid="prompt-templates">
      <span className="prompt-templates__label muted">Start from</span>
      {PROMPT_TEMPLATES.map((t) => (
        <button
          key={t.id}
          type="button"
          className="btn btn--xs"
          title={`${t.description} Sets camera, lighting, style and audio; fills subject, action and setting only where empty.`}
          onClick={() => onApply(applyTemplate(prompt, t))}
          data-testid={`template-${t.id}`}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
