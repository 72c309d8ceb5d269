/**
 * The compiled LUT a clip's picture is previewed through: its committed grade, or the
 * grade being dragged on a control, compiled by app/color/compile (the export's function).
 */
import { useEffect, useMemo } from 'react';
import { compiledSize, compileGrade, DEFAULT_LUT_SIZE } from '@app/color/compile';
import { gradeKey } from '@app/color/hash';
import { isNeutralGrade, type ColorGrade, type Lut3D } from '@app/model/color';
import type { Clip } from '@app/model/types';
import { loadLut } from '../actions/color';
import { useColor } from '../state/color';

export interface GradeLut {
  grade: ColorGrade | null;
  /** null: nothing to apply (no grade, or it changes nothing). */
  lut: Lut3D | null;
  /** gradeKey of what `lut` was compiled from: the export's cache key ('' when none, or a reduced draft). */
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
  // While a control is dragged (or its edit is on the way) a 65³ compile would lag the
  // slider: the draft compiles at 33³ at most; the committed grade at the export's size.
  const isDraft = useColor((s) => !!clip && s.draft?.clipId === clip.id);
  const ref = grade?.lut && grade.lutStrength > 0 ? grade.lut : null;
  const load = useColor((s) => (ref ? s.luts[ref.sha256] : undefined));
  useEffect(() => {
    if (ref) void loadLut(ref);
  }, [ref]);
  return useMemo(() => {
    if (!grade || isNeutralGrade(grade)) return { grade, lut: null, key: '', waiting: false, error: null };
    if (ref && load?.state !== 'ready') return { grade, lut: null, key: '', waiting: true, error: load?.state === 'failed' ? load.message : null };
    const imported = ref && load?.state === 'ready' ? load.lut : null;
    const size = compiledSize(grade, imported);
    const lut = compileGrade(grade, imported, { size: isDraft ? Math.min(size, DEFAULT_LUT_SIZE) : size });
    return { grade, lut, key: isDraft && size > DEFAULT_LUT_SIZE ? '' : gradeKey(grade), waiting: false, error: null };
  }, [grade, ref, load, isDraft]);
}
