/**
 * Two takes side by side, played in sync: one transport (play/pause, seek, loop) drives both
 * videos; the second follows the first and is pulled back whenever it drifts. Pick either.
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Shot, Take } from '@app/model/types';
import { chooseTake } from '../../actions/storyboard';
import { mediaUrl } from '../../client';
import { useAssets } from '../../state/selectors';
import { Icon } from '../common/Icon';
import { Modal } from '../common/Modal';
import { generatedInfo } from './util';

const DRIFT = 0.06;

export function TakeCompare({ shot, takes, onClose }: { shot: Shot; takes: [Take, Take]; onClose: () => void }) {
  const assets = useAssets();
  const refA = useRef<HTMLVideoElement>(null);
  const refB = useRef<HTMLVideoElement>(null);
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const [loop, setLoop] = useState(true);
  const raf = useRef(0);

  const videos = useCallback(() => [refA.current, refB.current].filter((v): v is HTMLVideoElement => !!v), []);

  const align = useCallback(
    (t: number) => {
      for (const v of videos()) {
        const target = Math.min(t, Number.isFinite(v.duration) ? Math.max(0, v.duration - 0.001) : t);
        if (Math.abs(v.currentTime - target) > 1e-3) v.currentTime = target;
      }
    },
    [videos],
  );

  const pause = useCallback(() => {
    const [a] = videos();
    for (const v of videos()) v.pause();
    if (a) align(a.currentTime);
    setPlaying(false);
  }, [videos, align]);

  const play = useCallback(() => {
    const [a] = videos();
    if (a && duration > 0 && a.currentTime >= duration - 0.01) align(0);
    for (const v of videos()) void v.play().catch(() => setPlaying(false));
    setPlaying(true);
  }, [videos, align, duration]);

  const seek = (t: number) => {
    align(t);
    setTime(t);
  };

  // While playing: follow the first video, pull the second back when it drifts, loop both together.
  useEffect(() => {
    if (!playing) return;
    const tick = () => {
      const [a, b] = videos();
      if (a) {
        const t = a.currentTime;
        setTime(t);
        if (b && !b.ended && Math.abs(b.currentTime - t) > DRIFT && t < b.duration) b.currentTime = t;
        if (b && b.paused && !a.paused && t < b.duration) void b.play().catch(() => {});
        if (a.ended || (duration > 0 && t >= duration - 0.001 && a.paused)) {
          if (loop) {
            align(0);
            for (const v of videos()) void v.play().catch(() => {});
          } else {
            pause();
            return;
          }
        }
      }
      raf.current = requestAnimationFrame(tick);
    };
    raf.current = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf.current);
  }, [playing, videos, align, pause, loop, duration]);

  const onKey = (e: KeyboardEvent) => {
    const tag = (e.target as HTMLElement).tagName;
    if ((e.key === ' ' || e.key === 'k') && tag !== 'BUTTON' && tag !== 'INPUT') {
      e.preventDefault();
      if (playing) pause();
      else play();
    }
  };

  return (
    <Modal title={`Compare takes · ${shot.title || 'Untitled shot'}`} onClose={onClose} testId="take-compare" wide>
      <div className="compare" onKeyDown={onKey}>
        <div className="compare__grid">
          {takes.map((t, i) => {
            const asset = assets[t.assetId];
            const info = generatedInfo(asset);
            const chosen = shot.chosenTakeId === t.id;
            return (
              <figure key={t.id} className={chosen ? 'compare__side is-chosen' : 'compare__side'} data-testid="compare-side" data-take-id={t.id}>
                <div className="compare__frame">
                  {asset && (
                    <video
                      ref={i === 0 ? refA : refB}
                      className="compare__video"
                      src={mediaUrl(asset.path)}
                      muted
                      playsInline
                      preload="auto"
                      onLoadedMetadata={(e) => {
                        const len = e.currentTarget.duration || 0;
                        setDuration((d) => Math.max(d, len));
                      }}
                      onEnded={() => !loop && i === 0 && pause()}
                      data-testid="compare-video"
                      aria-label={`${t.label} video`}
                    />
                  )}
                </div>
                <figcaption className="compare__caption">
                  <span>
                    <strong>{t.label}</strong>
                    {info && <span className="muted mono"> · seed {info.seed}</span>}
                  </span>
                  <button
                    type="button"
                    className={chosen ? 'btn btn--sm' : 'btn btn--sm btn--primary'}
                    disabled={chosen}
                    onClick={() => void chooseTake(t.id)}
                    data-testid="compare-choose"
                  >
                    {chosen ? (
                      <>
                        <Icon name="check" size={14} /> Chosen
                      </>
                    ) : (
                      `Pick ${t.label}`
                    )}
                  </button>
                </figcaption>
              </figure>
            );
          })}
        </div>
        <div className="compare__transport">
          <button
            type="button"
            className="btn btn--icon"
            onClick={() => (playing ? pause() : play())}
            aria-label={playing ? 'Pause both' : 'Play both'}
            data-testid="compare-play"
            data-playing={playing ? 'true' : 'false'}
          >
            <Icon name={playing ? 'pause' : 'play'} />
          </button>
          <input
            type="range"
            className="compare__seek"
            min={0}
            max={duration || 0}
            step={0.01}
            value={Math.min(time, duration || 0)}
            onChange={(e) => seek(Number(e.target.value))}
            onPointerDown={() => playing && pause()}
            aria-label="Seek both"
            aria-valuetext={`${time.toFixed(2)} seconds`}
            data-testid="compare-seek"
          />
          <span className="mono compare__time" data-testid="compare-time">
            {time.toFixed(2)} / {duration.toFixed(2)} s
          </span>
          <label className="gen-check">
            <input type="checkbox" checked={loop} onChange={(e) => setLoop(e.target.checked)} data-testid="compare-loop" /> Loop
          </label>
        </div>
        <p className="muted compare__hint">Space plays or pauses both. Arrow keys on the slider step through both takes together.</p>
      </div>
    </Modal>
  );
}

