import { addTake } from '../../actions/storyboard';
import { formatDuration } from '../../lib/format';
import { useAssetList } from '../../state/selectors';
import { Modal } from '../common/Modal';
import { Thumb } from '../common/Thumb';

/** Pick an imported asset (with a picture) to attach to a shot as a take. */
export function TakePicker({ shotId, onClose }: { shotId: string; onClose: () => void }) {
  const assets = useAssetList().filter((a) => a.kind !== 'audio');
  return (
    <Modal title="Add a take from the media bin" onClose={onClose} testId="take-picker" wide>
      {assets.length === 0 ? (
        <p className="muted">No video or images in the bin yet. Import some first.</p>
      ) : (
        <ul className="picker-grid">
          {assets.map((a) => (
            <li key={a.id}>
              <button
                type="button"
                className="picker-item"
                data-testid="take-picker-asset"
                data-asset-id={a.id}
                onClick={async () => {
                  onClose();
                  await addTake(shotId, a.id);
                }}
              >
                <Thumb asset={a} />
                <span className="picker-item__name truncate">{a.name}</span>
                <span className="muted picker-item__meta">{a.kind === 'image' ? 'Image' : formatDuration(a.probe.durationFlicks)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Modal>
  );
}
