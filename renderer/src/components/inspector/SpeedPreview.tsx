/**
 * Speed and loop outside the Inspector: what the Viewer seeks to (the time map: paused, the
 * exact source frame the export shows; playing, the continuous source time at the
 * instantaneous rate), the loop seam in the Viewer (a label, and during a crossfade the
 * previous pass dissolving over the new one), and the badges and seam ticks on timeline clips.
 */
import { useRef } from 'react';
import type { Asset, Clip } from '@app/model/types';
import { clipEnd } from '@app/timeline/query';
import { flicksPerFrame, flicksToSeconds, frameAt, type Flicks, type Rational } from '@app/time/flicks';
import { clipTiming, discreteTiming, hasTimeEffects, iterationAt, rateAtTime, sampleOutputFrame, sourceTimeAt, type DiscreteTiming } from '@app/timing/timemap';
import { mediaUrl } from '../../client';
import { useMediaSync } from '../../hooks/useMediaSync';
import '../../styles/timing.css';

const discreteCache = new WeakMap<Clip, { key: string; d: DiscreteTiming }>();

function sourceFps(asset: Asset, fallback: Rational): Rational {
  return asset.probe.fps ?? fallback;
}

/** The discrete time map of a clip (cached per clip value). */
export function discreteFor(clip: Clip, asset: Asset, fps: Rational): DiscreteTiming {
  const src = sourceFps(asset, fps);
  const key = `${src.num}/${src.den}:${fps.num}/${fps.den}`;
  const hit = discreteCache.get(clip);
  if (hit && hit.key === key) return hit.d;
  const d = discreteTiming(clip, src, fps);
  discreteCache.set(clip, { key, d });
  return d;
}

/** Output frame of the clip (clip-relative) at timeline time t, as the render plan counts frames. */
function clipFrameAt(clip: Clip, fps: Rational, t: Flicks, total: number): number {
  const f = frameAt(t, fps) - Math.round(clip.startFlicks / flicksPerFrame(fps));
  return Math.max(0, Math.min(total - 1, f));
}

export interface MappedTime {
  /** Where the media element should be (seconds of source). */
  seconds: number;
  /** Playback rate for the element (negative: it is stepped, not played). */
  rate: number;
  /** Ramps set to silence. */
  muted: boolean;
}

/**
 * Source time for the Viewer at playhead `t`. Paused or stepping, the middle of exactly the
 * source frame the export shows there (nearest); playing, the continuous map, with the
 * element's rate set to the shuttle rate × the clip's instantaneous speed.
 */
export function mappedSourceTime(clip: Clip, asset: Asset, fps: Rational, t: Flicks, shuttle: number): MappedTime {
  if (!hasTimeEffects(clip)) return { seconds: flicksToSeconds(clip.inFlicks + (t - clip.startFlicks)), rate: shuttle, muted: false };
  const local = t - clip.startFlicks;
  const timing = clipTiming(clip);
  const reverse = timing.oneShot.reverse;
  const { local: inPass } = iterationAt(timing, local);
  const speed = rateAtTime(timing.oneShot, Math.min(inPass, timing.oneShot.length - 1));
  const rampMuted = clip.effects.speed?.rampAudio === 'mute' && (clip.effects.speed?.keyframes.length ?? 0) >= 2;
  if (shuttle === 0) {
    const d = discreteFor(clip, asset, fps);
    const sample = sampleOutputFrame(d, clipFrameAt(clip, fps, t, d.totalFrames));
    return { seconds: flicksToSeconds((sample.sourceFrame + 0.5) * d.sourceFrameFlicks), rate: 0, muted: rampMuted };
  }
  const rate = shuttle * speed * (reverse ? -1 : 1);
  const clamped = rate > 0 ? Math.min(16, Math.max(0.0625, rate)) : rate;
  return { seconds: flicksToSeconds(sourceTimeAt(clip, local)), rate: clamped, muted: rampMuted };
}

/** Source time of a timeline offset within a clip (for filmstrip tiles). */
export function sourceAtOffset(clip: Clip, offset: Flicks): Flicks {
  return hasTimeEffects(clip) ? sourceTimeAt(clip, offset) : clip.inFlicks + offset;
}

/**
 * In the Viewer: near a loop seam, a label; inside a crossfade, the previous pass drawn over
 * the new one with the opacity the export's dissolve gives it at this frame.
 */
export function LoopSeamOverlay({ clip, asset, fps, playhead }: { clip: Clip | undefined; asset: Asset | undefined; fps: Rational; playhead: Flicks }) {
  const ref = useRef<HTMLVideoElement>(null);
  const loop = clip?.effects.loop;
  let label: string | null = null;
  let previous: { seconds: number; opacity: number } | null = null;
  if (clip && asset && loop && asset.kind === 'video' && playhead >= clip.startFlicks && playhead < clipEnd(clip)) {
    const d = discreteFor(clip, asset, fps);
    const f = clipFrameAt(clip, fps, playhead, d.totalFrames);
    const s = sampleOutputFrame(d, f);
    const it = d.iterations[s.iteration]!;
    if (s.previous) {
      previous = { seconds: flicksToSeconds((s.previous.sourceFrame + 0.5) * d.sourceFrameFlicks), opacity: 1 - s.mix };
      label = `Loop seam: crossfade ${Math.round(s.mix * 100)}% into pass ${s.iteration + 1}`;
    } else if (s.iteration > 0 && f - it.startTick < 3) label = `Loop seam: pass ${s.iteration + 1} of ${d.iterations.length}`;
  }
  const src = previous && asset ? mediaUrl(asset.path) : null;
  useMediaSync(ref, src, previous?.seconds ?? 0, 0, { volume: 0, muted: true });
  return (
    <>
      {previous && <video ref={ref} className="viewer__media timing-seam-video" style={{ opacity: previous.opacity }} src={src ?? undefined} preload="auto" muted playsInline data-testid="viewer-loop-previous" />}
      {label && (
        <span className="timing-seam-label" data-testid="viewer-loop-seam">
          {label}
        </span>
      )}
    </>
  );
}

/** Timeline clip badges: speed (rate, curve, reverse) and loop. */
export function TimingBadge({ clip }: { clip: Clip }) {
  const { speed, loop } = clip.effects;
  if (!speed && !loop) return null;
  const parts: string[] = [];
  if (speed) {
    if (speed.keyframes.length >= 2) parts.push('ramp');
    else if (speed.rate !== 1) parts.push(`${Number(speed.rate.toFixed(2))}×`);
    if (speed.reverse) parts.push('rev');
  }
  const speedText = parts.join(' ');
  return (
    <>
      {speedText && (
        <span className="chip timing-badge timing-badge--speed" title={`Speed: ${speedText}`} data-testid="clip-badge-speed">
          {speedText}
        </span>
      )}
      {loop && (
        <span className="chip timing-badge timing-badge--loop" title={loop.mode === 'count' ? `Loops ${loop.count}×` : 'Loops to fill'} data-testid="clip-badge-loop">
          ⟲{loop.mode === 'count' ? `×${loop.count}` : ''}
        </span>
      )}
    </>
  );
}

/** Thin marks where each loop pass starts, on the timeline clip. */
export function LoopSeamTicks({ clip, toPx }: { clip: Clip; toPx: (f: Flicks) => number }) {
  const timing = clip.effects.loop ? clipTiming(clip) : null;
  if (!timing?.loop) return null;
  const marks: number[] = [];
  for (let k = 1; k < Math.min(timing.loop.iterations, 200); k++) marks.push(k * timing.loop.period);
  return (
    <div className="timing-seams" aria-hidden="true">
      {marks.map((m) => (
        <span key={m} className="timing-seams__tick" style={{ left: toPx(m) }} />
      ))}
    </div>
  );
}
