/** The take strip's "Compare" button: enabled once two takes are ticked; opens them side by side. */
import { useState } from 'react';
import type { Shot, Take } from '@app/model/types';
import { useGeneration } from '../../state/generation';
import { Icon } from '../common/Icon';
import { TakeCompare } from './TakeCompare';

const NONE: string[] = [];

export function CompareButton({ shot, takes }: { shot: Shot; takes: readonly Take[] }) {
  const ticked = useGeneration((s) => s.compare[shot.id] ?? NONE);
  const clear = useGeneration((s) => s.clearCompare);
  const [open, setOpen] = useState(false);
  const pair = ticked.map((id) => takes.find((t) => t.id === id)).filter((t): t is Take => !!t);
  if (takes.length < 2) return null;
  return (
    <>
      <button
        type="button"
        className="btn btn--sm"
        disabled={pair.length !== 2}
        onClick={() => setOpen(true)}
        title={pair.length === 2 ? 'Play the two ticked takes side by side' : 'Tick two takes (the compare box under each) to compare them'}
        data-testid="compare-open"
      >
        <Icon name="compare" size={14} /> Compare{pair.length ? ` ${pair.length}/2` : ''}
      </button>
      {pair.length > 0 && !open && (
        <button type="button" className="btn btn--ghost btn--xs" onClick={() => clear(shot.id)} aria-label="Clear the takes ticked for comparison" data-testid="compare-clear">
          Clear
        </button>
      )}
      {open && pair.length === 2 && <TakeCompare shot={shot} takes={[pair[0]!, pair[1]!]} onClose={() => setOpen(false)} />}
    </>
  );
}
