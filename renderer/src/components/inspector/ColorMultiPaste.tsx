/** With several clips selected: paste the copied grade onto all of them, or apply a preset (one edit). */
import { pasteGrade } from '../../actions/color';
import { useColor } from '../../state/color';
import { ColorPresets } from './ColorPresets';

export function ColorMultiPaste({ clipIds }: { clipIds: string[] }) {
  const clipboard = useColor((s) => s.clipboard);
  const has = useColor((s) => s.clipboardSet);
  return (
    <section className="color-group" aria-label="Color" data-testid="color-multi">
      <h3 className="section-title">Color</h3>
      <button type="button" className="btn btn--sm" disabled={!has} onClick={() => void pasteGrade(clipIds, clipboard)} data-testid="color-paste-many">
        Paste grade to {clipIds.length} clips
      </button>
      <ColorPresets grade={null} clipIds={clipIds} />
    </section>
  );
}
