/**
 * The cameos in a shot, in the prompt panel: the ones picked here and the ones named by
 * @handle in the prompt (resolved against the library, unknown/ambiguous handles shown), a
 * picker to add one, and the composed prompt as the backend will receive it.
 */
import { useEffect } from 'react';
import type { StructuredPrompt, Shot } from '@app/model/types';
import { composePrompt } from '@app/model/prompt';
import { qualifiedHandle, resolveMentions } from '@app/cameos/handles';
import { composeCameoPrompt } from '@app/cameos/prompt';
import { shotCameoAsks } from '@app/cameos/asks';
import { loadCameos } from '../../actions/cameos';
import { updateShot } from '../../actions/storyboard';
import { useCameos } from '../../state/cameos';
import { CameoPoster } from './CameoBadges';

function texts(p: StructuredPrompt): string[] {
  return [p.subject, p.action, p.setting, p.camera, p.lighting, p.audio, p.style, ...p.dialogue.flatMap((d) => [d.speaker, d.line])];
}

/** The shot's cameos (picked + mentioned) and the handle problems, for the panel and the composed prompt. */
export function useShotCameos(shot: Shot, prompt: StructuredPrompt, sound = true) {
  const list = useCameos((s) => s.list);
  const loaded = useCameos((s) => s.loaded);
  useEffect(() => {
    if (!loaded) void loadCameos().catch(() => {});
  }, [loaded]);
  const { cameos: mentioned, problems } = resolveMentions(texts(prompt), list);
  const picked = shot.cameoIds.map((id) => list.find((c) => c.id === id)).filter((c) => !!c);
  const all = [...picked, ...mentioned.filter((m) => !picked.some((p) => p.id === m.id))];
  // As main plans it (app/cameos/asks.ts): a cameo only heard (voice-only consent, named in the dialogue) gets no appearance notes.
  const { asks } = shotCameoAsks([prompt], shot.cameoIds, list);
  const heard = new Set(asks.filter((a) => a.part === 'voice').map((a) => a.cameo.id));
  const composed = composeCameoPrompt(
    composePrompt(prompt, { sound }),
    all.map((c) => ({ handle: c.handle, name: c.name, description: c.description, owner: c.consent.owner, delivery: heard.has(c.id) ? ('voice' as const) : ('reference-image' as const) })),
  );
  /** The cameos that appear in the picture (not the ones only heard): what a first frame can show. */
  const seen = all.filter((c) => !heard.has(c.id));
  return { list, picked, mentioned, all, seen, heard, problems, composed };
}

export function ShotCameos({ shot, prompt }: { shot: Shot; prompt: StructuredPrompt }) {
  const { list, picked, mentioned, heard, problems } = useShotCameos(shot, prompt);
  const available = list.filter((c) => c.status !== 'revoked' && !shot.cameoIds.includes(c.id));
  const summaries = useCameos((s) => s.list);
  const status = (id: string) => summaries.find((c) => c.id === id)?.status;
  return (
    <div className="shot-cameos" data-testid="shot-cameos">
      <div className="shot-cameos__head">
        <span className="section-title">Cameos</span>
        <select
          className="input input--sm"
          value=""
          aria-label="Add a cameo to this shot"
          onChange={(e) => e.target.value && void updateShot(shot.id, { cameoIds: [...shot.cameoIds, e.target.value] })}
          data-testid="cameo-picker"
        >
          <option value="">Add cameo…</option>
          {available.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({qualifiedHandle(c, list)}){c.status !== 'active' ? ` — ${c.status}` : ''}
            </option>
          ))}
        </select>
      </div>
      <ul className="shot-cameos__list">
        {picked.map((c) => (
          <li key={c.id} className={`cameo-chip cameo-chip--${status(c.id)}`} data-testid="shot-cameo" data-handle={c.handle}>
            <CameoPoster id={c.id} name={c.name} size="sm" />
            <span>{qualifiedHandle(c, list)}</span>
            {heard.has(c.id) && <span className="muted" title="Its consent covers the voice only: it is heard, not seen">voice only</span>}
            {status(c.id) !== 'active' && <span className="chip">{status(c.id)}</span>}
            <button type="button" className="btn btn--ghost btn--xs" aria-label={`Remove @${c.handle} from this shot`} onClick={() => void updateShot(shot.id, { cameoIds: shot.cameoIds.filter((x) => x !== c.id) })}>
              ×
            </button>
          </li>
        ))}
        {mentioned
          .filter((m) => !shot.cameoIds.includes(m.id))
          .map((c) => (
            <li key={c.id} className={`cameo-chip cameo-chip--${status(c.id)}`} data-testid="shot-cameo" data-handle={c.handle} title="Named in the prompt">
              <CameoPoster id={c.id} name={c.name} size="sm" />
              <span>{qualifiedHandle(c, list)}</span>
              <span className="muted">{heard.has(c.id) ? 'voice only' : 'in prompt'}</span>
              {status(c.id) !== 'active' && <span className="chip">{status(c.id)}</span>}
            </li>
          ))}
        {!picked.length && !mentioned.length && <li className="muted">None. Type @handle in the prompt or pick one.</li>}
      </ul>
      {problems.map((p) => (
        <p key={p.handle} className="error-text" data-testid="handle-problem">
          {p.message} {p.hint}
        </p>
      ))}
    </div>
  );
}
