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

/** Mono max-amplitude peaks for source seconds [from, to). */
export function slicePeaks(file: PeaksFile, from: number, to: number): number[] {
  const pairs = Math.min(file.length || file.data.length / 2, Math.floor(file.data.length / 2));
  const a = Math.max(0, Math.floor(from * file.peaksPerSecond));
  const b = Math.min(pairs, Math.ceil(to * file.peaksPerSecond));
  const out: number[] = [];
  for (let i = a; i < b; i++) out.push(Math.max(Math.abs(file.data[2 * i] ?? 0), Math.abs(file.data[2 * i + 1] ?? 0)));
  return out.length ? out : [0];
}
