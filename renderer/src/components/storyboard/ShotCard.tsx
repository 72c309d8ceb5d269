import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { memo } from 'react';
import type { Asset, Shot, Take } from '@app/model/types';
import { composePrompt } from '@app/model/prompt';
import { formatDuration } from '../../lib/format';
import { Thumb } from '../common/Thumb';
import { ShotCardProgress } from '../generation/ShotCardProgress';
import { ShotCardCameos } from '../cameos/ShotCardCameos';
import { RevokedBadge } from '../cameos/RevokedMark';

export interface ShotDragData {
  type: 'shot';
  shotId: string;
}

/**
 * A storyboard card. Focus or click selects it; drag (or Space, arrows, Space) reorders
 * it; dropping media from the bin on it adds a take.
 */
export const ShotCard = memo(function ShotCard({
  shot,
  index,
  takes,
  chosenAsset,
  selected,
  onSelect,
}: {
  shot: Shot;
  index: number;
  takes: readonly Take[];
  chosenAsset: Asset | undefined;
  selected: boolean;
  /** Called with this card's shot id (one stable callback for all cards, so memo holds). */
  onSelect: (shotId: string) => void;
}) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging, isOver, active } = useSortable({
    id: shot.id,
    data: { type: 'shot', shotId: shot.id } satisfies ShotDragData,
  });
  const assetOver = isOver && (active?.data.current as { type?: string } | undefined)?.type === 'asset';
  const prompt = composePrompt(shot.prompt);
  const cls = ['shot-card', selected && 'is-selected', isDragging && 'is-dragging', assetOver && 'is-drop-target'].filter(Boolean).join(' ');
  return (
    <li
      ref={setNodeRef}
      className={cls}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      {...attributes}
      {...listeners}
      aria-roledescription="Storyboard shot. Press Space to pick up and reorder."
      aria-label={`Shot ${index + 1}: ${shot.title}`}
      aria-current={selected ? 'true' : undefined}
      onFocus={() => onSelect(shot.id)}
      onClick={() => onSelect(shot.id)}
      data-testid="shot-card"
      data-shot-id={shot.id}
      data-index={index}
    >
      <div className="shot-card__media">
        {chosenAsset ? <Thumb asset={chosenAsset} /> : <div className="shot-card__empty">No take yet</div>}
        <span className="shot-card__num">{index + 1}</span>
        <span className="shot-card__aspect chip">{shot.aspect}</span>
        <ShotCardProgress shotId={shot.id} />
        <ShotCardCameos shot={shot} prompt={prompt} />
        {takes.some((t) => t.id === shot.chosenTakeId && t.revokedCameos?.length) && (
          <span className="shot-card__revoked">
            <RevokedBadge />
          </span>
        )}
        {assetOver && <div className="shot-card__drop">Add as take</div>}
      </div>
      <div className="shot-card__body">
        <div className="shot-card__title truncate">{shot.title || 'Untitled shot'}</div>
        <div className="shot-card__meta">
          <span>{formatDuration(shot.durationFlicks)}</span>
          <span>
            {takes.length} take{takes.length === 1 ? '' : 's'}
          </span>
        </div>
        <p className="shot-card__prompt">{prompt || <span className="muted">No prompt yet</span>}</p>
      </div>
    </li>
  );
});
