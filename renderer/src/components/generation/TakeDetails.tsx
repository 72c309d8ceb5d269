/**
 * Under a take in the strip: its seed and "remix of", and its tools: tick for comparison,
 * how it was made (provenance), remix.
 */
import { useState } from 'react';
import type { Asset, Shot, Take } from '@app/model/types';
import { useProject } from '../../state/project';
import { selectedBackend, useGeneration } from '../../state/generation';
import { Icon, type IconName } from '../common/Icon';
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
        <TakeAction
          icon="remix"
          label={`Remix ${take.label}`}
          title="Remix: a new take from this one, with an edited prompt"
          testId="take-remix"
          disabled={!playable}
          onClick={() => setRemixing(modes.includes('remix') || !modes.length ? 'remix' : modes[0]!)}
        />
        {modes.includes('extend') && (
          <TakeAction
            icon="plus"
            label={`Continue ${take.label}`}
            title="Continue this take: the endpoint adds 4 to 20 seconds after its last frame"
            testId="take-extend"
            disabled={!playable}
            onClick={() => setRemixing('extend')}
          />
        )}
        {modes.includes('edit') && (
          <TakeAction
            icon="edit"
            label={`Edit ${take.label} from a prompt`}
            title="Edit: the endpoint changes this take as the prompt says"
            testId="take-edit"
            disabled={!playable}
            onClick={() => setRemixing('edit')}
          />
        )}
      </span>
      {remixing && <RemixDialog shot={shot} take={take} initialMode={remixing} onClose={() => setRemixing(null)} />}
    </div>
  );
}

/** One of a take's small icon actions (remix, continue, edit). */
function TakeAction({ icon, label, title, testId, disabled, onClick }: { icon: IconName; label: string; title: string; testId: string; disabled: boolean; onClick: () => void }) {
  return (
    <button type="button" className="btn btn--ghost btn--icon btn--xs" onClick={onClick} disabled={disabled} aria-label={label} title={title} data-testid={testId}>
      <Icon name={icon} size={13} />
    </button>
  );
}
