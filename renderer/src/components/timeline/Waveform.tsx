/** A clip's audio peaks drawn by wavesurfer.js from the precomputed peaks file (no decoding). */
import { useEffect, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import type { Asset } from '../../../../app/model/types';
import { flicksToSeconds, type Flicks } from '../../../../app/time/flicks';
import { loadPeaks, slicePeaks, type PeaksFile } from './peaks';

export function Waveform({ asset, inFlicks, outFlicks, height, color }: { asset: Asset; inFlicks: Flicks; outFlicks: Flicks; height: number; color: string }) {
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

  useEffect(() => {
    const el = ref.current;
    if (!file || !el) return;
    const from = flicksToSeconds(inFlicks);
    const to = flicksToSeconds(outFlicks);
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
      peaks: [slicePeaks(file, from, to)],
      duration: Math.max(0.001, to - from),
    });
    return () => ws.destroy();
  }, [file, inFlicks, outFlicks, height, color]);

  if (!path) return null;
  return <div ref={ref} className="waveform" data-testid="waveform" aria-hidden="true" />;
}
