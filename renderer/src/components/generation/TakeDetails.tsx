/**
 * Under a take in the strip: its seed and "remix of", and its tools: tick for comparison,
 * how it was made (provenance), remix.
 */
import { useState } from 'react';
import type { Asset, Shot, Take } from '@app/model/types';
import { useProject } from '../../state/project';
import { selectedBackend, useGeneration } from '../../state/generation';
import { Icon } from '../common/Icon';
import { ProvenancePopover } from './ProvenancePopover';
import { RemixDialog, takeModes, type RemixMode } from './RemixDialog';
import { generatedInfo } from './util';
import '../../styles/generation.css';

export function TakeDetails({ shot, take, asset }: { shot: Shot; take: Take; asset: Asset | undefined }) {
  const takes = useProject((s) => s.state?.takes);
  const shots = useProject((s) => s.state?.shots);
  const compared = useGeneration((s) => (s.compare[shot.id] ?? []).includes(take.id));
  const toggleCompare = useGeneration((s) => s.toggleCompare);
  const [remixing, setRemixing] = useState<RemixMode | null>(null);
  const backends = useGeneration((s) => s.backends);
  const backendKey = useGeneration((s) => s.settings.backendKey);
  const modes = takeModes(selectedBackend(backends, backendKey)?.capabilities);
  const info = generatedInfo(asset);
  const source = take.remixOf ? takes?.[take.remixOf] : undefined;
  const remixOfLabel = take.remixOf ? (source?.label ?? 'a deleted take') : null;
  let continuedFromLabel: string | null = null;
  if (info?.continuedFrom && takes) {
    const t = Object.values(takes).find((x) => x.assetId === info.continuedFrom);
    const s = t ? shots?.[t.shotId] : undefined;
    continuedFromLabel = t ? `${s?.title || 'previous shot'} · ${t.label}` : null;
  }
  const playable = asset?.kind === 'video';
  return (
    <div className="take-details">
      <span className="take-meta">
        {info ? (
          <span className="take-meta__seed" data-testid="take-seed" data-seed={info.seed}>
            seed {info.seed}
          </span>
        ) : (
          <span className="take-meta__seed muted">{asset?.provenance.source === 'import' ? 'imported' : ''}</span>
        )}
        {remixOfLabel && (
          <span className="take-meta__remix truncate" data-testid="take-remix-of" title={`Remix of ${remixOfLabel}`}>
            <Icon name="remix" size={10} /> Remix of {remixOfLabel}
          </span>
        )}
      </span>
      <span className="take-tools">
        <label className={compared ? 'take-tools__compare is-on' : 'take-tools__compare'} title={playable ? 'Tick two takes to compare them side by side' : 'Only video takes can be compared'}>
          <input type="checkbox" checked={compared} disabled={!playable} onChange={() => toggleCompare(shot.id, take.id)} aria-label={`Compare ${take.label}`} data-testid="take-compare-toggle" />
          <Icon name="compare" size={12} />
        </label>
        <ProvenancePopover take={take} asset={asset} remixOfLabel={remixOfLabel} continuedFromLabel={continuedFromLabel} />
        <button
          type="button"
          className="btn btn--ghost btn--icon btn--xs"
          onClick={() => setRemixing(modes.includes('remix') || !modes.length ? 'remix' : modes[0]!)}
          disabled={!playable}
          aria-label={`Remix ${take.label}`}
          title="Remix: a new take from this one, with an edited prompt"
          data-testid="take-remix"
        >
          <Icon name="remix" size={13} />
        </button>
        {modes.includes('extend') && (
          <button
            type="button"
            className="btn btn--ghost btn--icon btn--xs"
            onClick={() => setRemixing('extend')}
            disabled={!playable}
            aria-label={`Continue ${take.label}`}
            title="Continue this take: the endpoint adds 4 to 20 seconds after its last frame"
            data-testid="take-extend"
          >
            <Icon name="plus" size={13} />
          </button>
        )}
        {modes.includes('edit') && (
          <button
            type="button"
            className="btn btn--ghost btn--icon btn--xs"
            onClick={() => setRemixing('edit')}
            disabled={!playable}
            aria-label={`Edit ${take.label} from a prompt`}
            title="Edit: the endpoint changes this take as the prompt says"
            data-testid="take-edit"
          >
            <Icon name="edit" size={13} />
          </button>
        )}
      </span>
      {remixing && <RemixDialog shot={shot} take={take} initialMode={remixing} onClose={() => setRemixing(null)} />}
    </div>
  );
}
