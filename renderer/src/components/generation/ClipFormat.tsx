/**
 * Clip length and frame for a generation, limited to what the backend makes, with a clear
 * note (and a one-click fix) when the shot asks for something the backend does not make.
 */
import { ASPECTS, type Shot } from '@app/model/types';
import type { GenerationCapabilities } from '@app/generation/types';
import { nearestDuration, supportsDuration } from '@app/generation/request';
import { flicksToSeconds, secondsToFlicks } from '@app/time/flicks';
import { updateShot } from '../../actions/storyboard';
import { aspectOf, secondsLabel, sizeText } from './util';


/** The clip length a generation uses: the chosen one if the backend makes it, else the shot's, else the nearest. */
export function clipSeconds(caps: GenerationCapabilities, shot: Shot, chosen: number | null): number {
  if (chosen !== null && supportsDuration(caps, chosen)) return chosen;
  const s = flicksToSeconds(shot.durationFlicks);
  return supportsDuration(caps, s) ? s : nearestDuration(caps, s);
}

export function ClipFormat({ caps, shot, chosen, onChoose }: { caps: GenerationCapabilities; shot: Shot; chosen: number | null; onChoose: (s: number) => void }) {
  const shotSeconds = flicksToSeconds(shot.durationFlicks);
  const seconds = clipSeconds(caps, shot, chosen);
  const durationOk = supportsDuration(caps, shotSeconds);
  const aspects = caps.sizes.map(aspectOf);
  const aspectOk = aspects.includes(shot.aspect);
  const usedSize = caps.sizes[aspects.indexOf(shot.aspect)] ?? caps.sizes[0];
  return (
    <>
      <div className="gen-row gen-row--top">
        <span className="gen-row__label" id={`len-${shot.id}`}>
          Length
        </span>
        <div className="gen-row__control gen-col">
          <div className="segmented segmented--sm" role="radiogroup" aria-labelledby={`len-${shot.id}`}>
            {caps.durations.map((d) => (
              <button key={d} type="button" role="radio" aria-checked={Math.abs(d - seconds) < 1e-6} className={Math.abs(d - seconds) < 1e-6 ? 'is-active' : ''} onClick={() => onChoose(d)} data-testid="clip-length">
                {secondsLabel(d)}
              </button>
            ))}
          </div>
          {!durationOk && (
            <p className="gen-note gen-note--warn" data-testid="duration-note">
              This backend makes {caps.durations.map(secondsLabel).join(', ')} clips; this shot is {secondsLabel(Number(shotSeconds.toFixed(3)))}, so its takes will be {secondsLabel(seconds)} long.{' '}
              <button type="button" className="btn btn--xs" onClick={() => void updateShot(shot.id, { durationFlicks: secondsToFlicks(seconds) })} data-testid="duration-fix">
                Set shot to {secondsLabel(seconds)}
              </button>
            </p>
          )}
        </div>
      </div>
      <div className="gen-row gen-row--top">
        <span className="gen-row__label" id={`frame-${shot.id}`}>
          Frame
        </span>
        <div className="gen-row__control gen-col">
          <div className="segmented segmented--sm" role="radiogroup" aria-labelledby={`frame-${shot.id}`}>
            {caps.sizes.map((s, i) => {
              const a = aspects[i];
              const on = s === usedSize;
              return (
                <button
                  key={`${s.width}x${s.height}`}
                  type="button"
                  role="radio"
                  aria-checked={on}
                  className={on ? 'is-active' : ''}
                  disabled={!a || !ASPECTS.includes(a)}
                  title={a ? `Set the shot's aspect to ${a}` : 'Not a shot aspect'}
                  onClick={() => a && a !== shot.aspect && void updateShot(shot.id, { aspect: a })}
                  data-testid="clip-size"
                >
                  {sizeText(s)}
                </button>
              );
            })}
          </div>
          {!aspectOk && usedSize && (
            <p className="gen-note gen-note--warn" data-testid="aspect-note">
              This backend makes {caps.sizes.map(sizeText).join(', ')} clips; this shot is {shot.aspect}, so its takes will be {sizeText(usedSize)} (letterboxed in a {shot.aspect} export).{' '}
              {aspectOf(usedSize) && (
                <button type="button" className="btn btn--xs" onClick={() => void updateShot(shot.id, { aspect: aspectOf(usedSize)! })} data-testid="aspect-fix">
                  Set shot to {aspectOf(usedSize)}
                </button>
              )}
            </p>
          )}
        </div>
      </div>
    </>
  );
}
