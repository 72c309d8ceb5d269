/** The Cameos view: the library as a poster grid, the selected cameo's detail beside it. */
import { useEffect, useState } from 'react';
import type { CameoSummary } from '@app/cameos/types';
import { coversText } from '@app/cameos/consent';
import { qualifiedHandle } from '@app/cameos/handles';
import { ensurePoster, loadCameos } from '../../actions/cameos';
import { useCameos } from '../../state/cameos';
import { Icon } from '../common/Icon';
import { CameoDetail } from './CameoDetail';
import { CameoPoster, StatusChip } from './CameoBadges';
import { NewCameoDialog } from './NewCameoDialog';
import { UserNameField } from './UserNameField';

function CameoCard({ c, list, selected, onSelect }: { c: CameoSummary; list: readonly CameoSummary[]; selected: boolean; onSelect: () => void }) {
  return (
    <li>
      <button type="button" className={selected ? 'cameo-card is-selected' : 'cameo-card'} onClick={onSelect} aria-pressed={selected} data-testid="cameo-card" data-handle={c.handle}>
        <span className="cameo-card__media">
          <CameoPoster id={c.id} name={c.name} />
          <StatusChip c={c} />
        </span>
        <span className="cameo-card__name truncate">{c.name}</span>
        {/* Qualified ("@maya~ana") where another cameo shares the handle: what to type in a prompt. */}
        <span className="cameo-card__handle" data-testid="cameo-card-handle">{qualifiedHandle(c, list)}</span>
        <span className="cameo-card__meta">
          <span className="cameo-covers" title={`Consent covers ${coversText(c.consent.covers)}`}>
            {c.parts.likeness && <span className={c.consent.covers === 'voice' ? 'chip chip--off' : 'chip'}>Likeness</span>}
            {c.parts.voice && <span className={c.consent.covers === 'likeness' ? 'chip chip--off' : 'chip'}>Voice</span>}
          </span>
          <span className="muted" data-testid="cameo-uses">
            {c.useCount} use{c.useCount === 1 ? '' : 's'}
          </span>
        </span>
      </button>
    </li>
  );
}

export function CameosView() {
  const list = useCameos((s) => s.list);
  const loaded = useCameos((s) => s.loaded);
  const selectedId = useCameos((s) => s.selectedId);
  const select = useCameos((s) => s.select);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    loadCameos().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  const selected = list.find((c) => c.id === selectedId) ?? null;
  return (
    <div className="cameos-view" data-testid="cameos-view">
      <section className="cameos-view__library" aria-label="Cameo library">
        <header className="cameos-view__head">
          <h2 className="section-title">Cameo library</h2>
          <span className="muted">Likeness and voice, with the consent of the person in them. Offline, on this machine.</span>
          <UserNameField />
          <button type="button" className="btn btn--primary" onClick={() => setCreating(true)} data-testid="cameo-new">
            <Icon name="plus" /> New cameo
          </button>
        </header>
        {error && <p className="error-text">{error}</p>}
        {loaded && list.length === 0 ? (
          <div className="cameos-empty">
            <p>No cameos yet.</p>
            <p className="muted">Record yourself or an actor (face, a turn, a sentence read aloud) or start from files, and record their consent.</p>
          </div>
        ) : (
          <ul className="cameo-grid" data-testid="cameo-grid">
            {list.map((c) => (
              <CameoCard key={c.id} c={c} list={list} selected={c.id === selectedId} onSelect={() => select(c.id)} />
            ))}
          </ul>
        )}
      </section>
      {selected ? (
        <CameoDetail key={selected.id} cameo={selected} />
      ) : (
        <aside className="cameo-detail cameo-detail--empty">
          <p className="muted">Select a cameo to see its stills, voice, consent record and use log.</p>
        </aside>
      )}
      {creating && <NewCameoDialog onClose={() => setCreating(false)} />}
    </div>
  );
}
