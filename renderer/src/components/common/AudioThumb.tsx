/** A still waveform of a whole audio asset, for bin thumbnails (SVG from the peaks file). */
import { useEffect, useState } from 'react';
import type { Asset } from '@app/model/types';
import { displayLevel, loadPeaks } from '../timeline/peaks';

const BARS = 96;

export function AudioThumb({ asset }: { asset: Asset }) {
  const path = asset.derivatives.peaks?.path;
  const [bars, setBars] = useState<number[] | null>(null);
  useEffect(() => {
    if (!path) return;
    let live = true;
    loadPeaks(path)
      .then((f) => {
        const pairs = Math.floor(f.data.length / 2);
        const out: number[] = [];
        for (let b = 0; b < BARS; b++) {
          let m = 0;
          for (let i = Math.floor((b * pairs) / BARS); i < Math.max(Math.floor(((b + 1) * pairs) / BARS), Math.floor((b * pairs) / BARS) + 1) && i < pairs; i++)
            m = Math.max(m, Math.abs(f.data[2 * i] ?? 0), Math.abs(f.data[2 * i + 1] ?? 0));
          out.push(displayLevel(m));
        }
        if (live) setBars(out);
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [path]);
  if (!bars) return null;
  return (
    <svg className="audio-thumb" viewBox={`0 0 ${BARS} 100`} preserveAspectRatio="none" data-testid="asset-waveform" aria-hidden="true">
      {bars.map((v, i) => {
        const h = Math.max(1.5, v * 80);
        return <rect key={i} x={i + 0.15} width={0.7} y={50 - h / 2} height={h} rx={0.3} />;
      })}
    </svg>
  );
}
