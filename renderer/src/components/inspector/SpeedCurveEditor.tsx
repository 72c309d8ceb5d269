/**
 * The speed curve: playback position across (0 = first frame played, 1 = the end), rate up
 * (log scale, 0.1×..10×). Keyframes are draggable circles and keyboard sliders: ↑/↓ change
 * the rate (Shift: faster), ←/→ move it, E toggles ease into the next keyframe, Delete removes
 * it; double-click the graph to add one. A drag previews through onChange and commits once.
 */
import { useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent } from 'react';
import { clampSpeed, speedAt } from '@app/timing/curve';
import { DEFAULT_SPEED, SPEED_MAX, SPEED_MIN, type SpeedKeyframe } from '@app/model/timing';

const W = 280;
const H = 130;
const PAD = { l: 30, r: 10, t: 8, b: 16 };
const LN_MIN = Math.log(SPEED_MIN);
const LN_MAX = Math.log(SPEED_MAX);
const GRID = [0.1, 0.25, 0.5, 1, 2, 4, 10];
const MIN_GAP = 0.01;

const xOf = (at: number) => PAD.l + at * (W - PAD.l - PAD.r);
const yOf = (s: number) => PAD.t + (1 - (Math.log(s) - LN_MIN) / (LN_MAX - LN_MIN)) * (H - PAD.t - PAD.b);
const atOf = (x: number) => Math.min(1, Math.max(0, (x - PAD.l) / (W - PAD.l - PAD.r)));
const speedOf = (y: number) => clampSpeed(Math.exp(LN_MIN + (1 - (y - PAD.t) / (H - PAD.t - PAD.b)) * (LN_MAX - LN_MIN)));
const round3 = (v: number) => Math.round(v * 1000) / 1000;

export interface SpeedCurveEditorProps {
  keyframes: SpeedKeyframe[];
  selected: number | null;
  onSelect(i: number | null): void;
  /** Live while dragging (not an edit); null when the drag ends. */
  onChange(k: SpeedKeyframe[] | null): void;
  /** One edit per gesture. */
  onCommit(k: SpeedKeyframe[]): void;
}

export function SpeedCurveEditor({ keyframes, selected, onSelect, onChange, onCommit }: SpeedCurveEditorProps) {
  const svg = useRef<SVGSVGElement>(null);
  const [dragging, setDragging] = useState<SpeedKeyframe[] | null>(null);
  const shown = dragging ?? keyframes;
  const curve = { ...DEFAULT_SPEED, keyframes: shown };

  const local = (e: { clientX: number; clientY: number }) => {
    const r = svg.current!.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * W, y: ((e.clientY - r.top) / r.height) * H };
  };
  const moved = (k: SpeedKeyframe[], i: number, at: number, speed: number): SpeedKeyframe[] => {
    const next = k.map((kf) => ({ ...kf }));
    const lo = i === 0 ? 0 : next[i - 1]!.at + MIN_GAP;
    const hi = i === next.length - 1 ? 1 : next[i + 1]!.at - MIN_GAP;
    next[i]!.at = i === 0 ? 0 : i === next.length - 1 ? 1 : round3(Math.min(hi, Math.max(lo, at)));
    next[i]!.speed = round3(clampSpeed(speed));
    return next;
  };

  const onPointerDown = (e: PointerEvent<SVGCircleElement>, i: number) => {
    e.preventDefault();
    e.stopPropagation();
    (e.target as Element).setPointerCapture(e.pointerId);
    onSelect(i);
    setDragging(keyframes);
  };
  const onPointerMove = (e: PointerEvent<SVGCircleElement>, i: number) => {
    if (!dragging) return;
    const p = local(e);
    const next = moved(dragging, i, atOf(p.x), speedOf(p.y));
    setDragging(next);
    onChange(next);
  };
  const onPointerUp = () => {
    if (!dragging) return;
    const done = dragging;
    setDragging(null);
    onChange(null);
    if (JSON.stringify(done) !== JSON.stringify(keyframes)) onCommit(done);
  };

  const onDoubleClick = (e: MouseEvent<SVGSVGElement>) => {
    const p = local(e);
    const at = round3(atOf(p.x));
    if (keyframes.some((k) => Math.abs(k.at - at) < MIN_GAP)) return;
    const i = keyframes.findIndex((k) => k.at > at);
    const next = [...keyframes.slice(0, i), { at, speed: round3(speedOf(p.y)), ease: 'linear' as const }, ...keyframes.slice(i)];
    onCommit(next);
    onSelect(i);
  };

  const onKey = (e: KeyboardEvent<SVGCircleElement>, i: number) => {
    const k = keyframes[i]!;
    const f = e.shiftKey ? 1.25 : 1.05;
    let next: SpeedKeyframe[] | null = null;
    if (e.key === 'ArrowUp') next = moved(keyframes, i, k.at, k.speed * f);
    else if (e.key === 'ArrowDown') next = moved(keyframes, i, k.at, k.speed / f);
    else if (e.key === 'ArrowRight') next = moved(keyframes, i, k.at + (e.shiftKey ? 0.05 : 0.01), k.speed);
    else if (e.key === 'ArrowLeft') next = moved(keyframes, i, k.at - (e.shiftKey ? 0.05 : 0.01), k.speed);
    else if ((e.key === 'e' || e.key === 'E') && i < keyframes.length - 1) next = keyframes.map((kf, j) => (j === i ? { ...kf, ease: kf.ease === 'ease' ? 'linear' : 'ease' } : kf));
    else if ((e.key === 'Delete' || e.key === 'Backspace') && i > 0 && i < keyframes.length - 1) {
      next = keyframes.filter((_, j) => j !== i);
      onSelect(i - 1);
    }
    if (!next) return;
    e.preventDefault();
    e.stopPropagation();
    onCommit(next);
  };

  const path: string[] = [];
  for (let j = 0; j <= 120; j++) {
    const at = j / 120;
    path.push(`${j ? 'L' : 'M'}${xOf(at).toFixed(1)},${yOf(speedAt(curve, at)).toFixed(1)}`);
  }

  return (
    <svg
      ref={svg}
      className="speed-curve"
      viewBox={`0 0 ${W} ${H}`}
      role="group"
      aria-label="Speed curve: position across, speed up. Double-click to add a keyframe."
      onDoubleClick={onDoubleClick}
      data-testid="speed-curve"
    >
      {GRID.map((g) => (
        <g key={g}>
          <line x1={PAD.l} x2={W - PAD.r} y1={yOf(g)} y2={yOf(g)} className={g === 1 ? 'speed-curve__one' : 'speed-curve__grid'} />
          <text x={PAD.l - 4} y={yOf(g) + 3} className="speed-curve__label" textAnchor="end">
            {g}×
          </text>
        </g>
      ))}
      <text x={PAD.l} y={H - 3} className="speed-curve__label">
        start
      </text>
      <text x={W - PAD.r} y={H - 3} className="speed-curve__label" textAnchor="end">
        end
      </text>
      <path d={path.join(' ')} className="speed-curve__line" data-testid="speed-curve-path" />
      {shown.map((k, i) => (
        <circle
          key={i}
          cx={xOf(k.at)}
          cy={yOf(k.speed)}
          r={selected === i ? 6.5 : 5}
          className={`speed-curve__key${selected === i ? ' is-selected' : ''}${k.ease === 'ease' ? ' is-ease' : ''}`}
          tabIndex={0}
          role="slider"
          aria-label={`Keyframe ${i + 1} at ${Math.round(k.at * 100)}%`}
          aria-valuemin={SPEED_MIN}
          aria-valuemax={SPEED_MAX}
          aria-valuenow={k.speed}
          aria-valuetext={`${k.speed}× at ${Math.round(k.at * 100)}%${k.ease === 'ease' ? ', eases out' : ''}`}
          onFocus={() => onSelect(i)}
          onPointerDown={(e) => onPointerDown(e, i)}
          onPointerMove={(e) => onPointerMove(e, i)}
          onPointerUp={onPointerUp}
          onPointerCancel={() => {
            setDragging(null);
            onChange(null);
          }}
          onKeyDown={(e) => onKey(e, i)}
          data-testid="speed-keyframe"
        />
      ))}
    </svg>
  );
}
