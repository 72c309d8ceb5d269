/**
 * Stabilize outside the Inspector: which picture the Viewer plays (the stabilized preview
 * proxy when the effect is on and rendered), the Viewer's label, the timeline badge, and
 * the engine's stabilizer (vid.stab, or deshake with a warning), fetched once.
 */
import { useEffect, useState } from 'react';
import type { Asset, Clip } from '@app/model/types';
import { stabilizeStatus, type StabilizeStatus } from '@app/stabilize/status';
import type { StabilizeEngineInfo } from '@app/model/stabilize';
import { flicksToSeconds } from '@app/time/flicks';
import { stabilizeEngine } from '../../actions/analysis';

/** The session's stabilizer; null until known. Fetched once per page (the engine does not change under an open window). */
export function useStabilizeEngine(): StabilizeEngineInfo | null {
  const [info, setInfo] = useState<StabilizeEngineInfo | null>(null);
  useEffect(() => {
    let live = true;
    stabilizeEngine().then(
      (i) => live && setInfo(i),
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);
  return info;
}

/**
 * Status for a clip without knowing the engine yet: whichever method has a recorded
 * analysis (a project only holds the ones its engine made), vid.stab otherwise.
 */
export function clipStabilizeStatus(clip: Clip, asset: Asset | undefined, method?: StabilizeEngineInfo['method']): StabilizeStatus {
  if (method) return stabilizeStatus(clip, asset, method);
  const vidstab = stabilizeStatus(clip, asset, 'vidstab');
  if (vidstab.state === 'analysed' || vidstab.state === 'off' || vidstab.state === 'unsupported') return vidstab;
  const deshake = stabilizeStatus(clip, asset, 'deshake');
  return deshake.state === 'analysed' ? deshake : vidstab;
}

export interface StabilizedSource {
  /** Project-relative preview proxy. */
  path: string;
  /** The proxy starts at the clip's source in point: subtract this from source time. */
  offsetSeconds: number;
}

/** What the Viewer plays for a clip: the stabilized proxy when the effect is on and rendered, else null (the source). */
export function stabilizedSource(clip: Clip | undefined, asset: Asset | undefined): StabilizedSource | null {
  if (!clip?.effects.stabilize?.enabled || !asset) return null;
  const st = clipStabilizeStatus(clip, asset);
  return st.previewPath ? { path: st.previewPath, offsetSeconds: flicksToSeconds(clip.inFlicks) } : null;
}

/** The Viewer's corner label while a stabilized clip is under the playhead. */
export function StabilizeViewerLabel({ clip, asset }: { clip: Clip | undefined; asset: Asset | undefined }) {
  if (!clip?.effects.stabilize?.enabled || !asset) return null;
  const st = clipStabilizeStatus(clip, asset);
  const ready = !!st.previewPath;
  return (
    <span
      className="chip"
      style={{ position: 'absolute', left: 8, top: 6, pointerEvents: 'none', color: ready ? '#9fe3ff' : '#ffd27a' }}
      data-testid="viewer-stabilized"
      data-ready={ready ? 'true' : 'false'}
    >
      {ready ? 'Stabilized preview' : 'Stabilize: not analyzed, showing the original'}
    </span>
  );
}

/** Timeline badge for a clip with stabilization on. */
export function StabilizeBadge({ clip }: { clip: Clip }) {
  if (!clip.effects.stabilize?.enabled) return null;
  return (
    <span className="chip" style={{ color: '#9fe3ff', flex: 'none' }} title="Stabilized" data-testid="clip-badge-stabilize">
      STAB
    </span>
  );
}
