/** Storyboard: the ordered shot cards, the selected shot's editor, and the bin to take from. */
import { useMemo } from 'react';
import { addShot, assemble } from '../../actions/storyboard';
import { useProject } from '../../state/project';
import { useAssets, useOrderedShots, useTakesByShot } from '../../state/selectors';
import { useUi } from '../../state/ui';
import { formatDuration } from '../../lib/format';
import { Icon } from '../common/Icon';
import { MediaBin } from '../media/MediaBin';
import { ShotGrid } from './ShotGrid';
import { ShotEditor } from './ShotEditor';

export function StoryboardView() {
  const shots = useOrderedShots();
  const takesByShot = useTakesByShot();
  const assets = useAssets();
  const takes = useProject((s) => s.state?.takes);
  const selectedId = useUi((s) => s.selectedShotId);
  const selectShot = useUi((s) => s.selectShot);
  const selected = shots.find((s) => s.id === selectedId) ?? shots[0];
  const total = useMemo(() => shots.reduce((t, s) => t + s.durationFlicks, 0), [shots]);

  const add = () => void addShot(selected?.id ?? null);

  return (
    <div className="storyboard-view" data-testid="storyboard">
      <MediaBin variant="panel" />
      <section className="storyboard" aria-label="Shots">
        <header className="panel-header">
          <h2 className="panel-title">
            Storyboard{' '}
            <span className="muted">
              {shots.length} shot{shots.length === 1 ? '' : 's'} · {formatDuration(total)}
            </span>
          </h2>
          <div className="toolbar">
            <button type="button" className="btn btn--sm" onClick={add} data-testid="add-shot">
              <Icon name="plus" size={14} /> Add shot
            </button>
            <button type="button" className="btn btn--sm btn--primary" onClick={() => void assemble()} disabled={shots.length === 0} data-testid="assemble" title="Lay the chosen takes end to end on V1, each trimmed to its shot’s duration (the rest stays a trim away), and switch to Edit">
              <Icon name="assemble" size={14} /> Assemble
            </button>
          </div>
        </header>
        {shots.length === 0 ? (
          <div className="storyboard__empty">
            <p>No shots yet.</p>
            <button type="button" className="btn btn--primary" onClick={add}>
              <Icon name="plus" /> Add the first shot
            </button>
          </div>
        ) : (
          <ShotGrid shots={shots} takesByShot={takesByShot} takes={takes} assets={assets} selectedId={selected?.id} onSelect={selectShot} />
        )}
      </section>
      {selected ? (
        <ShotEditor shot={selected} index={shots.indexOf(selected)} />
      ) : (
        <aside className="shot-editor shot-editor--empty" aria-label="Shot editor">
          <p className="muted">Add a shot to start writing its prompt.</p>
        </aside>
      )}
    </div>
  );
}
