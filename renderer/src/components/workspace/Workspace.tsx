/** The open project: top bar, the three views, the jobs drawer and the export dialog. */
import { usePlaybackClock } from '../../hooks/usePlaybackClock';
import { useShortcuts } from '../../hooks/useShortcuts';
import { useUi } from '../../state/ui';
import { ExportDialog } from '../export/ExportDialog';
import { JobsPanel } from '../jobs/JobsPanel';
import { FileDropOverlay } from '../media/FileDropOverlay';
import { MediaBin } from '../media/MediaBin';
import { StoryboardView } from '../storyboard/StoryboardView';
import { EditView } from '../timeline/EditView';
import { CameosView } from '../cameos/CameosView';
import { DragLayer } from './DragLayer';
import { TopBar } from './TopBar';

export function Workspace() {
  const view = useUi((s) => s.view);
  const jobsOpen = useUi((s) => s.jobsOpen);
  const exportOpen = useUi((s) => s.exportOpen);
  useShortcuts();
  usePlaybackClock();
  return (
    <div className="workspace" data-testid="workspace" data-view={view}>
      <TopBar />
      <DragLayer>
        <div className="workspace__body">
          <main className="workspace__main" role="tabpanel" aria-label={view}>
            {view === 'storyboard' && <StoryboardView />}
            {view === 'edit' && <EditView />}
            {view === 'cameos' && <CameosView />}
            {view === 'media' && (
              <div className="media-view">
                <MediaBin variant="full" />
              </div>
            )}
          </main>
          {jobsOpen && <JobsPanel />}
        </div>
      </DragLayer>
      {exportOpen && <ExportDialog />}
      <FileDropOverlay />
    </div>
  );
}
