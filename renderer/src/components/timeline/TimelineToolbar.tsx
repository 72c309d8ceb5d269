import { addTrack } from '../../actions/clips';
import { SoundTools } from './SoundTools';
import { deleteSelected, splitAtPlayhead, zoomBy } from '../../actions/timeline';
import { useUi, MAX_ZOOM, MIN_ZOOM } from '../../state/ui';
import { Icon } from '../common/Icon';

export function TimelineToolbar({ onFit }: { onFit: () => void }) {
  const zoom = useUi((s) => s.zoom);
  const snapping = useUi((s) => s.snapping);
  const toggleSnapping = useUi((s) => s.toggleSnapping);
  const hasSelection = useUi((s) => s.selectedClipIds.length > 0);
  return (
    <div className="timeline-toolbar" role="toolbar" aria-label="Timeline tools">
      <div className="toolbar">
        <button type="button" className="btn btn--sm btn--ghost" onClick={() => void splitAtPlayhead()} data-testid="split" title="Split at playhead (S)">
          <Icon name="scissors" size={14} /> Split
        </button>
        <button type="button" className="btn btn--sm btn--ghost" onClick={() => void deleteSelected(false)} disabled={!hasSelection} data-testid="delete-clip" title="Delete (Delete)">
          <Icon name="trash" size={14} /> Delete
        </button>
        <button type="button" className="btn btn--sm btn--ghost" onClick={() => void deleteSelected(true)} disabled={!hasSelection} data-testid="ripple-delete" title="Ripple delete (Shift+Delete)">
          <Icon name="trash" size={14} /> Ripple
        </button>
        <span className="toolbar__sep" />
        <SoundTools />
        <span className="toolbar__sep" />
        <button type="button" className="btn btn--sm btn--ghost" onClick={() => void addTrack('video')} data-testid="add-video-track" title="Add a video track">
          <Icon name="plus" size={14} /> Video track
        </button>
        <button type="button" className="btn btn--sm btn--ghost" onClick={() => void addTrack('audio')} data-testid="add-audio-track" title="Add an audio track">
          <Icon name="plus" size={14} /> Audio track
        </button>
      </div>
      <div className="toolbar">
        <button
          type="button"
          className={snapping ? 'btn btn--sm btn--toggle is-active' : 'btn btn--sm btn--toggle'}
          aria-pressed={snapping}
          onClick={toggleSnapping}
          data-testid="snap-toggle"
          title="Snap to clip edges and the playhead (N); hold Alt while dragging to bypass"
        >
          <Icon name="magnet" size={14} /> Snap
        </button>
        <span className="toolbar__sep" />
        <button type="button" className="btn btn--sm btn--ghost btn--icon" onClick={() => zoomBy(1 / 1.5)} disabled={zoom <= MIN_ZOOM} aria-label="Zoom out" title="Zoom out (−, Ctrl+wheel)" data-testid="zoom-out">
          <Icon name="zoomOut" size={15} />
        </button>
        <input
          type="range"
          className="zoom-slider"
          min={Math.log(MIN_ZOOM)}
          max={Math.log(MAX_ZOOM)}
          step={0.01}
          value={Math.log(zoom)}
          onChange={(e) => useUi.getState().setZoom(Math.exp(Number(e.target.value)))}
          aria-label="Zoom"
          aria-valuetext={`${zoom >= 10 ? Math.round(zoom) : zoom.toPrecision(2)} pixels per second`}
          data-testid="zoom-slider"
        />
        <button type="button" className="btn btn--sm btn--ghost btn--icon" onClick={() => zoomBy(1.5)} disabled={zoom >= MAX_ZOOM} aria-label="Zoom in" title="Zoom in (+, Ctrl+wheel)" data-testid="zoom-in">
          <Icon name="zoomIn" size={15} />
        </button>
        <button type="button" className="btn btn--sm btn--ghost" onClick={onFit} data-testid="zoom-fit" title="Fit the whole timeline">
          Fit
        </button>
      </div>
    </div>
  );
}
