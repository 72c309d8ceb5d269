/**
 * The compiled LUT a clip's picture is previewed through: its committed grade, or the
 * grade being dragged on a control, compiled by app/color/compile (the export's function).
 */
import { useEffect, useMemo } from 'react';
import { compileGrade } from '../../../app/color/compile';
import { gradeKey } from '../../../app/color/hash';
import { isNeutralGrade, type ColorGrade, type Lut3D } from '../../../app/color/types';
import type { Clip } from '../../../app/model/types';
import { loadLut } from '../actions/color';
import { useColor } from '../state/color';

export interface GradeLut {
  grade: ColorGrade | null;
  /** null: nothing to apply (no grade, or it changes nothing). */
  lut: Lut3D | null;
  /** gradeKey of what `lut` was compiled from ('' when none): the export's cache key too. */
  key: string;
  /** The grade names a LUT that is still loading (or failed): not shown yet. */
  waiting: boolean;
  error: string | null;
}

/** The grade the clip shows right now (a drag's draft wins over the committed grade). */
export function useShownGrade(clip: Clip | null | undefined): ColorGrade | null {
  const draft = useColor((s) => (clip && s.draft?.clipId === clip.id ? s.draft.grade : null));
  return draft ?? clip?.effects.color ?? null;
}

export function useGradeLut(clip: Clip | null | undefined): GradeLut {
  const grade = useShownGrade(clip);
  const ref = grade?.lut && grade.lutStrength > 0 ? grade.lut : null;
  const load = useColor((s) => (ref ? s.luts[ref.sha256] : undefined));
  useEffect(() => {
    if (ref) void loadLut(ref);
  }, [ref]);
  return useMemo(() => {
    if (!grade || isNeutralGrade(grade)) return { grade, lut: null, key: '', waiting: false, error: null };
    if (ref && load?.state !== 'ready') return { grade, lut: null, key: '', waiting: true, error: load?.state === 'failed' ? load.message : null };
    const imported = ref && load?.state === 'ready' ? load.lut : null;
    return { grade, lut: compileGrade(grade, imported), key: gradeKey(grade), waiting: false, error: null };
  }, [grade, ref, load]);
}
