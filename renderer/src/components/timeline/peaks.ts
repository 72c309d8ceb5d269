/** Waveform peaks files ({peaksPerSecond, length, data: [min, max, ...]}), fetched once each. */
import { mediaUrl } from '../../client';

export interface PeaksFile {
  peaksPerSecond: number;
  length: number;
  data: number[];
}

const cache = new Map<string, Promise<PeaksFile>>();

export function loadPeaks(path: string): Promise<PeaksFile> {
  let p = cache.get(path);
  if (!p) {
    p = fetch(mediaUrl(path), { credentials: 'same-origin' }).then(async (r) => {
      if (!r.ok) throw new Error(`peaks ${r.status}`);
      return (await r.json()) as PeaksFile;
    });
    p.catch(() => cache.delete(path));
    cache.set(path, p);
  }
  return p;
}

/** Amplitude to drawn height on a log (dB) scale, as editors show levels: -54 dB and below is flat. */
export function displayLevel(v: number): number {
  if (v <= 0.002) return 0;
  return Math.min(1, Math.max(0, 1 + (20 * Math.log10(v)) / 54));
}

/** Mono peaks for source seconds [from, to), scaled for display (see displayLevel). */
export function slicePeaks(file: PeaksFile, from: number, to: number): number[] {
  const pairs = Math.min(file.length || file.data.length / 2, Math.floor(file.data.length / 2));
  const a = Math.max(0, Math.floor(from * file.peaksPerSecond));
  const b = Math.min(pairs, Math.ceil(to * file.peaksPerSecond));
  const out: number[] = [];
  for (let i = a; i < b; i++) out.push(displayLevel(Math.max(Math.abs(file.data[2 * i] ?? 0), Math.abs(file.data[2 * i + 1] ?? 0))));
  return out.length ? out : [0];
}
