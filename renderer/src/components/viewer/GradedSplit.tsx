/** The before/after divider over the graded picture: drag it, or focus it and use the arrow keys. */
import { useRef } from 'react';
import { useColor } from '../../state/color';

export function GradedSplit() {
  const split = useColor((s) => s.split);
  const ref = useRef<HTMLDivElement>(null);
  const moveTo = (clientX: number) => {
    const box = ref.current?.parentElement?.getBoundingClientRect();
    if (box && box.width > 0) useColor.getState().setSplit((clientX - box.left) / box.width);
  };
  return (
    <div
      ref={ref}
      className="graded__split"
      style={{ left: `${split * 100}%` }}
      role="slider"
      tabIndex={0}
      aria-label="Before/after divider"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(split * 100)}
      aria-valuetext={`${Math.round(split * 100)}% ungraded on the left`}
      data-testid="viewer-split"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        moveTo(e.clientX);
      }}
      onPointerMove={(e) => {
        if (e.currentTarget.hasPointerCapture(e.pointerId)) moveTo(e.clientX);
      }}
      onKeyDown={(e) => {
        const step = e.shiftKey ? 0.1 : 0.01;
        if (e.key === 'ArrowLeft') useColor.getState().setSplit(split - step);
        else if (e.key === 'ArrowRight') useColor.getState().setSplit(split + step);
        else if (e.key === 'Home') useColor.getState().setSplit(0);
        else if (e.key === 'End') useColor.getState().setSplit(1);
        else return;
        e.preventDefault();
        e.stopPropagation();
      }}
    >
      <span className="graded__split-label graded__split-label--before">Before</span>
      <span className="graded__split-label graded__split-label--after">After</span>
      <span className="graded__split-handle" aria-hidden="true" />
    </div>
  );
}
