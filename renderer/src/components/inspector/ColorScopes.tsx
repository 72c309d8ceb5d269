/**
 * Scopes of the graded frame on screen: an RGB histogram and a luma waveform, drawn from
 * the Viewer's read-back (GradedPicture measures while this is mounted).
 */
import { useEffect, useRef } from 'react';
import type { Histogram, Waveform } from '@app/color/scopes';
import { useColor } from '../../state/color';

const W = 256;
const H = 72;

function drawHistogram(ctx: CanvasRenderingContext2D, h: Histogram): void {
  ctx.clearRect(0, 0, W, H);
  ctx.globalCompositeOperation = 'lighter';
  const peak = Math.max(1, h.peak);
  const channels: [Uint32Array, string][] = [
    [h.r, 'rgba(255, 80, 80, 0.85)'],
    [h.g, 'rgba(80, 255, 120, 0.85)'],
    [h.b, 'rgba(90, 140, 255, 0.85)'],
  ];
  for (const [bins, color] of channels) {
    ctx.fillStyle = color;
    for (let i = 0; i < 256; i++) {
      // Square-root scale so small populations stay visible next to a big peak.
      const bar = Math.sqrt(bins[i]! / peak) * H;
      ctx.fillRect(i, H - bar, 1, bar);
    }
  }
  ctx.globalCompositeOperation = 'source-over';
}

function drawWaveform(ctx: CanvasRenderingContext2D, w: Waveform): void {
  const img = ctx.createImageData(W, H);
  const peak = Math.max(1, w.peak);
  for (let c = 0; c < w.columns; c++) {
    const x0 = Math.floor((c * W) / w.columns);
    const x1 = Math.max(x0 + 1, Math.floor(((c + 1) * W) / w.columns));
    for (let v = 0; v < 256; v++) {
      const n = w.counts[c * 256 + v]!;
      if (!n) continue;
      const a = Math.min(255, 60 + Math.sqrt(n / peak) * 400);
      const y = H - 1 - Math.floor((v * (H - 1)) / 255);
      for (let x = x0; x < x1; x++) {
        const i = (y * W + x) * 4;
        img.data[i] = 170;
        img.data[i + 1] = 255;
        img.data[i + 2] = 190;
        img.data[i + 3] = Math.max(img.data[i + 3]!, a);
      }
    }
  }
  ctx.putImageData(img, 0, 0);
}

export function ColorScopes() {
  const scopes = useColor((s) => s.scopes);
  const histRef = useRef<HTMLCanvasElement>(null);
  const waveRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    useColor.getState().setScopesVisible(true);
    return () => useColor.getState().setScopesVisible(false);
  }, []);

  useEffect(() => {
    const hc = histRef.current?.getContext('2d');
    const wc = waveRef.current?.getContext('2d');
    if (!scopes) {
      hc?.clearRect(0, 0, W, H);
      wc?.clearRect(0, 0, W, H);
      return;
    }
    if (hc) drawHistogram(hc, scopes.histogram);
    if (wc) drawWaveform(wc, scopes.waveform);
  }, [scopes]);

  return (
    <div className="color-scopes" data-testid="color-scopes" data-ready={scopes ? 'true' : 'false'}>
      <figure className="color-scope">
        <canvas ref={histRef} width={W} height={H} role="img" aria-label="RGB histogram of the frame on screen" data-testid="color-histogram" />
        <figcaption>Histogram</figcaption>
      </figure>
      <figure className="color-scope">
        <canvas ref={waveRef} width={W} height={H} role="img" aria-label="Luma waveform of the frame on screen" data-testid="color-waveform" />
        <figcaption>Waveform</figcaption>
      </figure>
      {!scopes && <p className="muted color-scopes__empty">Scopes appear when a frame is on screen.</p>}
    </div>
  );
}
