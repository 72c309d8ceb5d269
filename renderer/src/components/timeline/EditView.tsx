/** Edit: bin, viewer and inspector above; the timeline below. */
import { MediaBin } from '../media/MediaBin';
import { Viewer } from '../viewer/Viewer';
import { Inspector } from '../inspector/Inspector';
import { Timeline } from './Timeline';

export function EditView() {
  return (
    <div className="edit-view" data-testid="edit-view">
      <div className="edit-view__top">
        <MediaBin variant="panel" />
        <Viewer />
        <Inspector />
      </div>
      <Timeline />
    </div>
  );
}
