/** The media bin: everything imported or generated into the project. */
import { useMemo, useState } from 'react';
import { useAssetList, useAssetsBeingAnalysed } from '../../state/selectors';
import { Icon } from '../common/Icon';
import { AssetCard } from './AssetCard';
import { ImportButton } from './ImportButton';
import { ImportProgress } from './ImportProgress';

type Filter = 'all' | 'video' | 'audio' | 'image';

export function MediaBin({ variant }: { variant: 'panel' | 'full' }) {
  const assets = useAssetList();
  const busy = useAssetsBeingAnalysed();
  const [filter, setFilter] = useState<Filter>('all');
  const [query, setQuery] = useState('');
  const shown = useMemo(
    () => assets.filter((a) => (filter === 'all' || a.kind === filter) && a.name.toLowerCase().includes(query.trim().toLowerCase())),
    [assets, filter, query],
  );
  const full = variant === 'full';
  return (
    <section className={`bin bin--${variant}`} aria-label="Media bin" data-testid="media-bin">
      <header className="panel-header">
        <h2 className="panel-title">
          Media <span className="muted">{assets.length}</span>
        </h2>
        <ImportButton compact={!full} />
      </header>
      <div className="bin__filters">
        <input className="input input--sm" type="search" placeholder="Search media" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search media" data-testid="media-search" />
        <div className="segmented segmented--sm" role="group" aria-label="Filter by kind">
          {(['all', 'video', 'audio', 'image'] as Filter[]).map((f) => (
            <button key={f} type="button" className={filter === f ? 'is-active' : ''} aria-pressed={filter === f} onClick={() => setFilter(f)}>
              {f === 'all' ? 'All' : f[0]!.toUpperCase() + f.slice(1)}
            </button>
          ))}
        </div>
      </div>
      <ImportProgress />
      {assets.length === 0 ? (
        <div className="bin__empty" data-testid="media-empty">
          <Icon name="upload" size={28} />
          <p>Drop video, audio or images anywhere in the window,</p>
          <p className="muted">or use Import.</p>
        </div>
      ) : (
        <ul className={full ? 'bin__grid bin__grid--full' : 'bin__grid'}>
          {shown.map((a) => (
            <AssetCard key={a.id} asset={a} busy={busy.has(a.id)} detailed={full} />
          ))}
          {shown.length === 0 && <li className="muted bin__none">No media matches.</li>}
        </ul>
      )}
    </section>
  );
}
