/** Posters of the cameos in a shot (picked or named by @handle), on its storyboard card. */
import { findMentions } from '@app/cameos/handles';
import type { Shot } from '@app/model/types';
import { useCameos } from '../../state/cameos';
import { CameoPoster } from './CameoBadges';

export function ShotCardCameos({ shot, prompt }: { shot: Shot; prompt: string }) {
  const list = useCameos((s) => s.list);
  if (!shot.cameoIds.length && !prompt.includes('@')) return null;
  const handles = new Set(findMentions(prompt).map((m) => m.handle));
  const cameos = list.filter((c) => shot.cameoIds.includes(c.id) || (handles.has(c.handle) && c.status !== 'revoked'));
  if (!cameos.length) return null;
  return (
    <span className="shot-card__cameos" data-testid="shot-card-cameos">
      {cameos.slice(0, 4).map((c) => (
        <span key={c.id} title={`${c.name} (@${c.handle})${c.status !== 'active' ? ` — ${c.status}` : ''}`} className={`shot-card__cameo shot-card__cameo--${c.status}`}>
          <CameoPoster id={c.id} name={c.name} size="sm" />
        </span>
      ))}
    </span>
  );
}
