/**
 * The volume rubber band over an audio clip's waveform: its keyframes (app/model ClipEffects
 * gainKeyframes, in source time) as points on a line, on a dB scale. Click the line to add a
 * point there (and drag it), drag a point to move it in time and level, double-click (or
 * Alt-click) a point to delete it. A gesture is previewed locally and commits ONE
 * clip.setGainKeyframes edit when released.
 */
import { memo, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { Clip, GainKeyframe } from '@app/model/types';
import { keyframeGainAt } from '@app/timeline/fades';
import { clipDuration } from '@app/timeline/query';
import { setGainKeyframes } from '../../actions/clips';
import { toFlicks, toPx } from './geometry';
import { formatDb } from './TrackHead';

const TOP_DB = 12;
const BOTTOM_DB = -40;
const MAX_GAIN = 4;

export function gainToY(g: number, height: number): number {
  const db = g <= 0 ? BOTTOM_DB : Math.max(BOTTOM_DB, Math.min(TOP_DB, 20 * Math.log10(g)));
  return ((TOP_DB - db) / (TOP_DB - BOTTOM_DB)) * height;
}

export function yToGain(y: number, height: number): number {
  const db = TOP_DB - (Math.max(0, Math.min(height, y)) / height) * (TOP_DB - BOTTOM_DB);
  if (db <= BOTTOM_DB + 0.25) return 0;
  return Math.min(MAX_GAIN, 10 ** (db / 20));
}

interface Drag {
  index: number;
  keyframes: GainKeyframe[];
}

export const RubberBand = memo(function RubberBand({ clip, width, height, zoom }: { clip: Clip; width: number; height: number; zoom: number }) {
  const [drag, setDrag] = useState<Drag | null>(null);
  const keyframes = drag?.keyframes ?? clip.effects.gainKeyframes ?? [];
  const span = clipDuration(clip);
  const xOf = (k: GainKeyframe) => toPx(k.sourceFlicks - clip.inFlicks, zoom);

  // The line: sampled every few pixels (linear in amplitude is a curve on a dB axis), plus the points themselves.
  const pts: [number, number][] = [];
  const step = 4;
  for (let x = 0; x <= width + step; x += step) {
    const xx = Math.min(width, x);
    pts.push([xx, gainToY(keyframeGainAt(keyframes, clip.inFlicks + Math.min(span, toFlicks(xx, zoom))), height)]);
  }
  const line = pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');

  const begin = (e: ReactPointerEvent, index: number, start: GainKeyframe[]) => {
    e.stopPropagation();
    e.preventDefault();
    const svg = (e.currentTarget as Element).closest('svg')!;
    const rect = svg.getBoundingClientRect();
    let current: Drag = { index, keyframes: start };
    setDrag(current);
    const move = (ev: PointerEvent) => {
      const list = [...current.keyframes];
      const prev = list[index - 1];
      const next = list[index + 1];
      let s = clip.inFlicks + Math.round(toFlicks(Math.max(0, Math.min(width, ev.clientX - rect.left)), zoom));
      // Points keep their order: a point stops one sample short of its neighbours.
      if (prev) s = Math.max(prev.sourceFlicks + 14_700, s);
      if (next) s = Math.min(next.sourceFlicks - 14_700, s);
      list[index] = { sourceFlicks: s, gain: Number(yToGain(ev.clientY - rect.top, height).toFixed(4)) };
      current = { index, keyframes: list };
      setDrag(current);
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      void setGainKeyframes(clip.id, current.keyframes).finally(() => setDrag(null));
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };

  const addAt = (e: ReactPointerEvent<SVGElement>) => {
    if (e.button !== 0) return;
    const rect = (e.currentTarget as Element).closest('svg')!.getBoundingClientRect();
    const s = clip.inFlicks + Math.round(toFlicks(e.clientX - rect.left, zoom));
    const gain = Number(keyframeGainAt(keyframes, s).toFixed(4));
    const list = [...keyframes, { sourceFlicks: s, gain }].sort((a, b) => a.sourceFlicks - b.sourceFlicks);
    if (list.some((k, i) => i > 0 && k.sourceFlicks === list[i - 1]!.sourceFlicks)) return;
    begin(e, list.findIndex((k) => k.sourceFlicks === s), list);
  };

  const remove = (index: number) => void setGainKeyframes(clip.id, keyframes.filter((_, i) => i !== index));

  return (
    <svg className="rubber-band" width={width} height={height} viewBox={`0 0 ${width} ${height}`} data-testid="rubber-band" data-keyframes={keyframes.length} aria-label="Volume keyframes">
      <polyline className="rubber-band__line" points={line} />
      <polyline className="rubber-band__hit" points={line} onPointerDown={addAt} data-testid="rubber-band-line" />
      {keyframes.map((k, i) => (
        <circle
          key={i}
          className={drag?.index === i ? 'rubber-band__point is-dragging' : 'rubber-band__point'}
          cx={xOf(k)}
          cy={gainToY(k.gain, height)}
          r={4}
          data-testid="rubber-band-point"
          data-gain={k.gain}
          onPointerDown={(e) => (e.altKey ? (e.stopPropagation(), remove(i)) : begin(e, i, keyframes))}
          onDoubleClick={(e) => {
            e.stopPropagation();
            remove(i);
          }}
        >
          <title>{`${formatDb(k.gain)} — drag to move, double-click to delete`}</title>
        </circle>
      ))}
    </svg>
  );
});
