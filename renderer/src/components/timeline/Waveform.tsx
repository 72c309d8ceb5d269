/**
 * A clip's audio peaks drawn by wavesurfer.js from the precomputed peaks file (no decoding),
 * laid out in timeline time: speed, reverse and loops reshape it as they reshape the sound.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import type { Asset, Clip } from '@app/model/types';
import { flicksToSeconds } from '@app/time/flicks';
import { clipDuration } from '@app/timeline/query';
import { remapLevels } from '@app/timing/waveform';
import { displayLevels, loadPeaks, type PeaksFile } from './peaks';

export function Waveform({ asset, clip, height, color }: { asset: Asset; clip: Clip; height: number; color: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const path = asset.derivatives.peaks?.path;
  const [file, setFile] = useState<PeaksFile | null>(null);

  useEffect(() => {
    if (!path) return;
    let live = true;
    loadPeaks(path)
      .then((f) => live && setFile(f))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [path]);

  // Only what changes the sound's shape: moving the clip or grading it redraws nothing.
  const { inFlicks, outFlicks } = clip;
  const { speed, loop } = clip.effects;
  const shaped = useMemo(() => {
    if (!file) return null;
    const c = { ...clip, effects: { ...clip.effects, speed, loop } };
    return { levels: remapLevels(displayLevels(file), file.peaksPerSecond, c), seconds: flicksToSeconds(clipDuration(c)) };
  }, [file, inFlicks, outFlicks, speed, loop]);

  useEffect(() => {
    const el = ref.current;
    if (!shaped || !el) return;
    const ws = WaveSurfer.create({
      container: el,
      height,
      waveColor: color,
      progressColor: color,
      cursorWidth: 0,
      interact: false,
      hideScrollbar: true,
      fillParent: true,
      normalize: false,
      barWidth: 2,
      barGap: 1,
      barRadius: 1,
      peaks: [shaped.levels.length ? shaped.levels : [0]],
      duration: Math.max(0.001, shaped.seconds),
    });
    return () => ws.destroy();
  }, [shaped, height, color]);

  if (!path) return null;
  return <div ref={ref} className="waveform" data-testid="waveform" aria-hidden="true" />;
}
