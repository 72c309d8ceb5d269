import { StartScreen } from './components/start/StartScreen';
import { Toasts } from './components/common/Toasts';
import { Workspace } from './components/workspace/Workspace';
import { useProject } from './state/project';
import { useSession } from './state/session';

export function App() {
  const ready = useSession((s) => s.ready);
  const open = useProject((s) => s.state !== null);
  return (
    <>
      {!ready ? (
        <div className="boot" role="status" aria-label="Starting">
          <span className="brand__mark brand__mark--pulse" aria-hidden="true" />
        </div>
      ) : open ? (
        <Workspace />
      ) : (
        <StartScreen />
      )}
      <Toasts />
    </>
  );
}
