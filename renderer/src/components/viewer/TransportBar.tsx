/** Transport: go to start/end, frame step, play/pause, shuttle rate, timecode, I/O marks. */
import { formatTimecode } from '@app/time/timecode';
import { goToEnd, markAtPlayhead, shuttle, stepFrames, togglePlay } from '../../actions/timeline';
import { useSettings, useTimelineEnd } from '../../state/selectors';
import { useUi } from '../../state/ui';
import { Icon } from '../common/Icon';

function Timecode() {
  const settings = useSettings();
  const playhead = useUi((s) => s.playhead);
  const end = useTimelineEnd();
  if (!settings) return null;
  return (
    <div className="timecode">
      <span className="timecode__now" data-testid="viewer-timecode">
        {formatTimecode(playhead, settings.fps)}
      </span>
      <span className="timecode__total">/ {formatTimecode(end, settings.fps)}</span>
    </div>
  );
}

function Marks() {
  const settings = useSettings();
  const markIn = useUi((s) => s.markIn);
  const markOut = useUi((s) => s.markOut);
  const fmt = (f: number | null) => (f === null || !settings ? '--:--:--:--' : formatTimecode(f, settings.fps));
  return (
    <div className="transport__marks">
      <button type="button" className="btn btn--xs btn--ghost" onClick={() => markAtPlayhead('in', 'set')} title="Mark in (I); Shift+I go to, Alt+I clear" data-testid="mark-in-button">
        <Icon name="markIn" size={13} /> <span className="mono">{fmt(markIn)}</span>
      </button>
      <button type="button" className="btn btn--xs btn--ghost" onClick={() => markAtPlayhead('out', 'set')} title="Mark out (O); Shift+O go to, Alt+O clear" data-testid="mark-out-button">
        <Icon name="markOut" size={13} /> <span className="mono">{fmt(markOut)}</span>
      </button>
    </div>
  );
}

export function TransportBar() {
  const rate = useUi((s) => s.rate);
  const playing = rate !== 0;
  return (
    <div className="transport" role="toolbar" aria-label="Transport">
      <Marks />
      <div className="transport__buttons">
        <button type="button" className="btn btn--ghost btn--icon" onClick={() => useUi.getState().setPlayhead(0)} aria-label="Go to start (Home)" title="Go to start (Home)" data-testid="goto-start">
          <Icon name="toStart" />
        </button>
        <button type="button" className="btn btn--ghost btn--icon" onClick={() => stepFrames(-1)} aria-label="Previous frame (Left)" title="Previous frame (←)" data-testid="frame-back">
          <Icon name="frameBack" />
        </button>
        <button type="button" className="btn btn--ghost btn--icon" onClick={() => shuttle('reverse')} aria-label="Play backwards (J)" title="Play backwards (J; again: faster)" data-testid="shuttle-reverse">
          <Icon name="play" className="icon--flip" />
        </button>
        <button type="button" className="btn btn--play" onClick={togglePlay} aria-label={playing ? 'Pause (Space)' : 'Play (Space)'} title={playing ? 'Pause (Space / K)' : 'Play (Space / L)'} data-testid="play-toggle" data-playing={playing ? 'true' : 'false'}>
          <Icon name={playing ? 'pause' : 'play'} size={20} />
        </button>
        <button type="button" className="btn btn--ghost btn--icon" onClick={() => stepFrames(1)} aria-label="Next frame (Right)" title="Next frame (→)" data-testid="frame-forward">
          <Icon name="frameFwd" />
        </button>
        <button type="button" className="btn btn--ghost btn--icon" onClick={goToEnd} aria-label="Go to end (End)" title="Go to end (End)" data-testid="goto-end">
          <Icon name="toEnd" />
        </button>
        <span className={rate !== 0 && rate !== 1 ? 'shuttle-rate is-visible' : 'shuttle-rate'} data-testid="shuttle-rate" data-rate={rate}>
          {rate < 0 ? '◀ ' : ''}
          {Math.abs(rate)}×
        </span>
      </div>
      <Timecode />
    </div>
  );
}
