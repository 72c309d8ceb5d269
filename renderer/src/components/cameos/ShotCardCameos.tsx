/** Posters of the cameos in a shot (picked or named by @handle), on its storyboard card. */
import { qualifiedHandle, resolveMentions } from '@app/cameos/handles';
import type { Shot } from '@app/model/types';
import { useCameos } from '../../state/cameos';
import { CameoPoster } from './CameoBadges';

export function ShotCardCameos({ shot, prompt }: { shot: Shot; prompt: string }) {
  const list = useCameos((s) => s.list);
  if (!shot.cameoIds.length && !prompt.includes('@')) return null;
  // Mentions resolved as main resolves them ("@maya~ana" is Ana's @maya only; an ambiguous one shows none).
  const named = new Set(resolveMentions([prompt], list).cameos.map((c) => c.id));
  const cameos = list.filter((c) => shot.cameoIds.includes(c.id) || (named.has(c.id) && c.status !== 'revoked'));
  if (!cameos.length) return null;
  return (
    <span className="shot-card__cameos" data-testid="shot-card-cameos">
      {cameos.slice(0, 4).map((c) => (
        <span key={c.id} title={`${c.name} (${qualifiedHandle(c, list)})${c.status !== 'active' ? ` — ${c.status}` : ''}`} className={`shot-card__cameo shot-card__cameo--${c.status}`}>
          <CameoPoster id={c.id} name={c.name} size="sm" />
        </span>
      ))}
    </span>
  );
}
