/** A shot's takes: thumbnails, the pick, delete; add from the bin by picker or drag. */
import { RevokedBadge } from '../cameos/RevokedMark';
import { useDroppable } from '@dnd-kit/core';
import { useState } from 'react';
import type { Shot } from '@app/model/types';
import { chooseTake, removeTake } from '../../actions/storyboard';
import { formatDuration } from '../../lib/format';
import { useAssets, useTakesByShot } from '../../state/selectors';
import { Icon } from '../common/Icon';
import { Thumb } from '../common/Thumb';
import { TakePicker } from './TakePicker';
import { usePendingTakes } from '../../state/generation-jobs';
import { CompareButton } from '../generation/CompareButton';
import { PendingTakeCard } from '../generation/PendingTakeCard';
import { TakeDetails } from '../generation/TakeDetails';

export function TakeStrip({ shot }: { shot: Shot }) {
  const takes = useTakesByShot()[shot.id] ?? [];
  const assets = useAssets();
  const [picking, setPicking] = useState(false);
  const pending = usePendingTakes(shot.id);
  const { setNodeRef, isOver, active } = useDroppable({ id: `takes:${shot.id}`, data: { type: 'shot', shotId: shot.id } });
  const assetDrag = (active?.data.current as { type?: string } | undefined)?.type === 'asset';
  return (
    <section className={isOver && assetDrag ? 'takes is-drop-target' : assetDrag ? 'takes is-drop-ready' : 'takes'} ref={setNodeRef} aria-label="Takes" data-testid="take-strip">
      <div className="takes__head">
        <h3 className="section-title">Takes</h3>
        <div className="toolbar">
          <CompareButton shot={shot} takes={takes} />
          <button type="button" className="btn btn--sm" onClick={() => setPicking(true)} data-testid="add-take">
            <Icon name="plus" size={14} /> Add take…
          </button>
        </div>
      </div>
      {takes.length === 0 && pending.length === 0 ? (
        <p className="takes__empty muted">Drag a clip here from the media bin, or use Add take.</p>
      ) : (
        <ul className="takes__list">
          {takes.map((t) => {
            const asset = assets[t.assetId];
            const chosen = shot.chosenTakeId === t.id;
            return (
              <li key={t.id} className={chosen ? 'take is-chosen' : 'take'} data-testid="take" data-take-id={t.id} data-chosen={chosen ? 'true' : 'false'}>
                <button
                  type="button"
                  className="take__pick"
                  onClick={() => !chosen && void chooseTake(t.id)}
                  aria-pressed={chosen}
                  aria-label={`${t.label}${chosen ? ' (chosen)' : ', choose this take'}`}
                  data-testid="take-choose"
                >
                  <Thumb asset={asset} />
                  {chosen && (
                    <span className="take__badge">
                      <Icon name="check" size={12} />
                    </span>
                  )}
                  {t.revokedCameos?.length ? <RevokedBadge compact /> : null}
                  <span className="take__label truncate">{t.label}</span>
                  {asset && asset.kind !== 'image' && <span className="take__dur">{formatDuration(asset.probe.durationFlicks)}</span>}
                </button>
                <button
                  type="button"
                  className="take__delete btn btn--icon btn--xs"
                  onClick={() => void removeTake(t.id)}
                  aria-label={`Delete ${t.label}`}
                  data-testid="take-delete"
                >
                  <Icon name="close" size={12} />
                </button>
                <TakeDetails shot={shot} take={t} asset={asset} />
              </li>
            );
          })}
          {pending.map((p) => (
            <PendingTakeCard key={p.job.id} pending={p} remixOfLabel={p.remixOf ? (takes.find((t) => t.id === p.remixOf)?.label ?? 'a take') : null} />
          ))}
        </ul>
      )}
      {picking && <TakePicker shotId={shot.id} onClose={() => setPicking(false)} />}
    </section>
  );
}
