import { useUi } from '../../state/ui';
import { toPx } from './geometry';

/**
 * The playhead: a handle in the ruler (data-testid="playhead") and a line segment in each
 * lane, so sticky track headers cover it naturally. Only these re-render as time moves.
 */
export function Playhead({ variant }: { variant: 'ruler' | 'lane' }) {
  const playhead = useUi((s) => s.playhead);
  const zoom = useUi((s) => s.zoom);
  const style = { transform: `translateX(${toPx(playhead, zoom)}px)` };
  if (variant === 'lane') return <div className="playhead-line" style={style} aria-hidden="true" />;
  return (
    <div className="playhead" style={style} data-testid="playhead" data-flicks={playhead} aria-hidden="true">
      <div className="playhead__head" />
    </div>
  );
}
