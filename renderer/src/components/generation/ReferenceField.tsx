/** The shot's optional reference image (image-to-video) and its picker. */
import { useState } from 'react';
import type { Shot } from '@app/model/types';
import { updateShot } from '../../actions/storyboard';
import { useAssetList, useAssets } from '../../state/selectors';
import { Icon } from '../common/Icon';
import { Modal } from '../common/Modal';
import { Thumb } from '../common/Thumb';
import type { Cameo } from '@app/cameos/types';
import { CameoStill } from '../cameos/CameoStill';

function ReferencePicker({ shot, onClose }: { shot: Shot; onClose: () => void }) {
  const images = useAssetList().filter((a) => a.kind === 'image');
  return (
    <Modal title="Choose a reference image" onClose={onClose} testId="reference-picker" wide>
      {images.length === 0 ? (
        <p className="muted">No still images in the media bin yet. Import a PNG or JPEG first; its picture becomes the first frame the model starts from.</p>
      ) : (
        <ul className="picker-grid">
          {images.map((a) => (
            <li key={a.id}>
              <button
                type="button"
                className={a.id === shot.referenceAssetId ? 'picker-item is-active' : 'picker-item'}
                aria-pressed={a.id === shot.referenceAssetId}
                data-testid="reference-picker-asset"
                data-asset-id={a.id}
                onClick={() => {
                  onClose();
                  if (a.id !== shot.referenceAssetId) void updateShot(shot.id, { referenceAssetId: a.id });
                }}
              >
                <Thumb asset={a} />
                <span className="picker-item__name truncate">{a.name}</span>
                <span className="muted picker-item__meta">
                  {a.probe.width && a.probe.height ? `${a.probe.width}×${a.probe.height}` : 'Image'}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Modal>
  );
}

/**
 * `cameos`: the shot's cameos (picked and @mentioned). With no reference image of its own, an
 * image-to-video backend starts from the cameo's still (main/cameos/in-generation.ts), so that
 * is what the field shows; an endpoint with characters takes the cameo as a character instead.
 */
export function ReferenceField({ shot, supported, overridden, cameos = [] }: { shot: Shot; supported: boolean; overridden: boolean; cameos?: readonly Cameo[] }) {
  const assets = useAssets();
  const [picking, setPicking] = useState(false);
  const ref = shot.referenceAssetId ? assets[shot.referenceAssetId] : undefined;
  const withStill = cameos.filter((c) => c.media.some((m) => m.role === 'still'));
  const cameo = !shot.referenceAssetId && supported && withStill.length === 1 ? withStill[0]! : null;
  return (
    <div className="gen-row gen-row--top">
      <span className="gen-row__label" id={`ref-${shot.id}`}>
        Reference
      </span>
      <div className="gen-row__control gen-col" aria-labelledby={`ref-${shot.id}`}>
        <div className="gen-ref">
          {ref ? (
            <>
              <div className="gen-ref__thumb">
                <Thumb asset={ref} />
              </div>
              <span className="truncate gen-ref__name" data-testid="reference-name" title={ref.name}>
                {ref.name}
              </span>
            </>
          ) : cameo ? (
            <>
              <div className="gen-ref__thumb">
                <CameoStill id={cameo.id} name={cameo.name} />
              </div>
              {/* Two lines: the name may ellipsize, the @handle never does (it is what the prompt says). */}
              <span className="gen-ref__name gen-ref__cameo" data-testid="reference-cameo" title={`The still of ${cameo.name} (@${cameo.handle}) is the first frame; an endpoint with characters takes the cameo as a character instead.`}>
                <span className="truncate">{cameo.name}</span>{' '}
                <span className="gen-ref__handle">
                  <span data-testid="reference-cameo-handle">@{cameo.handle}</span>
                  <span className="muted"> · cameo still</span>
                </span>
              </span>
            </>
          ) : (
            <span className="muted">{shot.referenceAssetId ? 'The reference image is missing' : withStill.length > 1 && supported ? `${withStill.length} cameos: an image-to-video backend takes one still per shot` : 'None: from the prompt alone'}</span>
          )}
          <button type="button" className="btn btn--xs" onClick={() => setPicking(true)} data-testid="reference-choose">
            <Icon name="image" size={12} /> {ref ? 'Change…' : 'Choose…'}
          </button>
          {shot.referenceAssetId && (
            <button
              type="button"
              className="btn btn--ghost btn--icon btn--xs"
              onClick={() => void updateShot(shot.id, { referenceAssetId: null })}
              aria-label="Remove the reference image"
              title="Remove the reference image"
              data-testid="reference-clear"
            >
              <Icon name="close" size={12} />
            </button>
          )}
        </div>
        {ref && !supported && <p className="gen-note gen-note--warn">This backend cannot start from an image: remove the reference to generate with it.</p>}
        {ref && supported && overridden && <p className="gen-note">Continuity is on: the previous shot's last frame is used instead.</p>}
        {cameo && overridden && <p className="gen-note gen-note--warn">Continuity is on: the previous shot's last frame is the first frame, so the cameo's still cannot be. Turn continuity off, or use an endpoint with characters.</p>}
      </div>
      {picking && <ReferencePicker shot={shot} onClose={() => setPicking(false)} />}
    </div>
  );
}
