/** A timeline clip's "graded" badge: shown when the clip has a color grade (and whether it uses a LUT). */
import type { Clip } from '@app/model/types';
import '../../styles/color.css';

export function ColorBadge({ clip }: { clip: Clip }) {
  const grade = clip.effects.color;
  if (!grade) return null;
  const title = grade.lut ? `Color graded, LUT: ${grade.lut.title || grade.lut.name}` : 'Color graded';
  return (
    <span className="chip clip__badge--color" style={{ flex: 'none' }} title={title} data-testid="clip-badge-color">
      {grade.lut ? 'LUT' : 'CLR'}
    </span>
  );
}
