/**
 * The selected shot: title, duration, aspect, structured prompt, composed preview, takes.
 *
 * One editor stays mounted and changes its shot (issue 14: unmounting and mounting one per
 * shot was most of Add shot's and a click's time on the storyboard). What the user reads and
 * types first (number, title, duration, aspect, prompt fields, composed prompt) follows the
 * shot in the same frame as the storyboard; the panels below (takes, voice, cameos, generate)
 * follow the shot after that frame has been rendered (afterPaint + a transition), remounted per
 * shot (keyed) so none of their state (a picker open, a voicing job, an error, a busy
 * Generate) carries over. While they still show the previous shot they are inert.
 */
import { startTransition, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { ASPECTS, type Shot } from '@app/model/types';
import { composePrompt } from '@app/model/prompt';
import { secondsToFlicks } from '@app/time/flicks';
import { duplicateShot, removeShot, takeJustAdded, updateShot as update } from '../../actions/storyboard';
import { useDraft } from '../../hooks/useDraft';
import { secondsText } from '../../lib/format';
import { afterPaint } from '../../lib/afterPaint';
import { promptDiff, samePrompt } from '../../lib/prompt';
import { Icon } from '../common/Icon';
import { PromptFields } from './PromptFields';
import { VoicePanel } from './VoicePanel';
import { selectedBackend, useGeneration } from '../../state/generation';
import { TakeStrip } from './TakeStrip';
import { GeneratePanel } from '../generation/GeneratePanel';
import { PromptTemplates } from '../generation/PromptTemplates';
import { ShotCameos, useShotCameos } from '../cameos/ShotCameos';
import { useProject } from '../../state/project';

/** A panel that follows the shot a render later: inert while it still shows the previous one. */
function Later({ stale, children }: { stale: boolean; children: ReactNode }) {
  return (
    <div className="shot-editor__later" inert={stale} data-stale={stale || undefined}>
      {children}
    </div>
  );
}

const noop = () => {};

function DurationField({ shot }: { shot: Shot }) {
  const [text, setText] = useState<string | null>(null);
  const shown = text ?? secondsText(shot.durationFlicks);
  const commit = () => {
    if (text === null) return;
    setText(null);
    const s = Number(text.replace(',', '.'));
    if (!Number.isFinite(s) || s <= 0 || s > 600) return;
    const f = secondsToFlicks(s);
    if (f !== shot.durationFlicks) void update(shot.id, { durationFlicks: f });
  };
  return (
    <label className="field field--inline">
      <span className="field__label">Duration</span>
      <span className="input-suffix">
        <input
          className="input input--sm input--num"
          inputMode="decimal"
          value={shown}
          onChange={(e) => setText(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') setText(null);
          }}
          aria-label="Duration in seconds"
          data-testid="shot-duration"
        />
        <span className="input-suffix__unit">sec</span>
      </span>
    </label>
  );
}

export function ShotEditor({ shot, index }: { shot: Shot; index: number }) {
  // Scoped by shot: switching shots commits what was typed to the shot it was typed for.
  const title = useDraft(shot.title, (v) => void update(shot.id, { title: v }), 700, Object.is, shot.id);
  const prompt = useDraft(shot.prompt, (p) => void update(shot.id, { prompt: promptDiff(shot.prompt, p) }), 700, samePrompt, shot.id);
  // The panels' shot: the previous one until the frame that shows the new shot has been
  // rendered, then this one, in a transition (a render React may slice and interrupt). Not
  // useDeferredValue: its render may run before that frame (the frame is not due yet) and
  // hold it up with the panels' mount, which is what this is to avoid.
  const [later, setLater] = useState({ id: shot.id, index });
  useEffect(() => {
    if (later.id === shot.id) return;
    return afterPaint(() => startTransition(() => setLater({ id: shot.id, index })));
  }, [shot.id, later.id]);
  const laterId = later.id;
  const laterIndex = later.index;
  const laterShot = useProject((s) => (laterId === shot.id ? shot : s.state?.shots[laterId]));
  const stale = laterId !== shot.id;
  const panel = stale ? (laterShot ? { shot: laterShot, index: laterIndex, prompt: laterShot.prompt, flush: noop } : null) : { shot, index, prompt: prompt.draft, flush: prompt.flush };
  const scroller = useRef<HTMLDivElement>(null);
  const scrolled = useRef(false);
  // A new shot starts at the top of the editor, as a newly mounted editor did. Only when the
  // user had scrolled it: setting scrollTop lays out the page first.
  useLayoutEffect(() => {
    if (scrolled.current && scroller.current) scroller.current.scrollTop = 0;
    scrolled.current = false;
  }, [shot.id]);
  // What the picked backend receives: a silent one gets no Audio field and no dialogue.
  const sound = useGeneration((s) => selectedBackend(s.backends, s.settings.backendKey)?.capabilities.audio ?? true);
  const cameoPrompt = useShotCameos(shot, prompt.draft, sound);
  const composed = cameoPrompt.all.length ? cameoPrompt.composed : composePrompt(prompt.draft, { sound });
  const titleRef = useRef<HTMLInputElement>(null);
  // A shot just added: the cursor goes to its title, selected, so typing names it. Done after
  // the frame that shows the shot: focus() and select() on a text field lay out the page
  // first, and in this effect (run before that frame, the click being a discrete event) they
  // forced a layout of the whole storyboard and editor before the shot showed (issue 14,
  // docs/benchmarks.md). A key pressed before then (the user types at once) puts the cursor there first,
  // so the key lands in the title as it did when focus was immediate.
  useEffect(() => {
    const el = titleRef.current;
    if (!el || !takeJustAdded(shot.id, 'editor')) return;
    const before = document.activeElement;
    const onKey = () => put();
    const put = () => {
      stop();
      const now = document.activeElement;
      if (now !== before && now !== document.body) return; // the user has moved on meanwhile
      el.focus({ preventScroll: true }); // the title heads the editor: always in view
      el.select();
    };
    const cancel = afterPaint(put);
    const stop = () => {
      cancel();
      document.removeEventListener('keydown', onKey, true);
    };
    document.addEventListener('keydown', onKey, true);
    return stop;
  }, [shot.id]);

  async function duplicate() {
    title.flush();
    prompt.flush();
    await duplicateShot(shot.id);
  }

  return (
    <aside className="shot-editor" aria-label={`Shot ${index + 1} editor`} data-testid="shot-editor" data-shot-id={shot.id}>
      <header className="shot-editor__header">
        <span className="shot-editor__num">{index + 1}</span>
        <input
          ref={titleRef}
          className="input input--title"
          value={title.draft}
          onChange={(e) => title.change(e.target.value)}
          onBlur={title.flush}
          onKeyDown={(e) => e.key === 'Enter' && title.flush()}
          aria-label="Shot title"
          data-testid="shot-title"
          maxLength={200}
        />
        <button type="button" className="btn btn--ghost btn--icon" onClick={() => void duplicate()} aria-label="Duplicate shot" title="Duplicate shot" data-testid="duplicate-shot">
          <Icon name="copy" />
        </button>
        <button
          type="button"
          className="btn btn--ghost btn--icon btn--danger"
          onClick={() => void removeShot(shot.id)}
          aria-label="Delete shot"
          title="Delete shot"
          data-testid="delete-shot"
        >
          <Icon name="trash" />
        </button>
      </header>
      <div className="shot-editor__scroll" ref={scroller} onScroll={(e) => (scrolled.current = e.currentTarget.scrollTop > 0)}>
        <div className="shot-editor__row">
          <DurationField key={shot.id} shot={shot} />
          <div className="field field--inline">
            <span className="field__label" id={`aspect-${shot.id}`}>
              Aspect
            </span>
            <div className="segmented" role="radiogroup" aria-labelledby={`aspect-${shot.id}`}>
              {ASPECTS.map((a) => (
                <button
                  key={a}
                  type="button"
                  role="radio"
                  aria-checked={shot.aspect === a}
                  className={shot.aspect === a ? 'is-active' : ''}
                  onClick={() => shot.aspect !== a && void update(shot.id, { aspect: a })}
                  data-testid={`aspect-${a.replace(":", "x")}`}
                >
                  {a}
                </button>
              ))}
            </div>
          </div>
        </div>
        {panel && (
          <Later stale={stale}>
            <TakeStrip key={panel.shot.id} shot={panel.shot} />
          </Later>
        )}
        <div className="prompt-head">
          <h3 className="section-title">Prompt</h3>
          <PromptTemplates
            prompt={prompt.draft}
            onApply={(p) => {
              prompt.change(p);
              prompt.flush();
            }}
          />
        </div>
        <PromptFields prompt={prompt.draft} onChange={prompt.change} onBlur={prompt.flush} />
        {panel && (
          <Later stale={stale}>
            <VoicePanel key={panel.shot.id} shot={panel.shot} beforeVoice={panel.flush} />
            <ShotCameos shot={panel.shot} prompt={panel.prompt} />
          </Later>
        )}
        <div className="prompt-preview">
          <div className="prompt-preview__head">
            <span className="section-title">Composed prompt</span>
            <span className="muted">{composed.length} chars</span>
          </div>
          <p className="prompt-preview__text" data-testid="prompt-preview" aria-live="polite">
            {composed || <span className="muted">Fill in the fields above; the prompt a backend receives appears here.</span>}
          </p>
        </div>
        {panel && (
          <Later stale={stale}>
            <GeneratePanel key={panel.shot.id} shot={panel.shot} index={panel.index} draftPrompt={panel.prompt} />
          </Later>
        )}
      </div>
    </aside>
  );
}
