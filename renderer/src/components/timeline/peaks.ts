/** Waveform peaks files ({peaksPerSecond, length, data: [min, max, ...]}), fetched once each. */
import { mediaUrl } from '../../client';

export interface PeaksFile {
  peaksPerSecond: number;
  length: number;
  data: number[];
}

const cache = new Map<string, Promise<PeaksFile>>();
const loaded = new Map<string, PeaksFile>();

export function loadPeaks(path: string): Promise<PeaksFile> {
  let p = cache.get(path);
  if (!p) {
    p = fetch(mediaUrl(path), { credentials: 'same-origin' }).then(async (r) => {
      if (!r.ok) throw new Error(`peaks ${r.status}`);
      const file = (await r.json()) as PeaksFile;
      loaded.set(path, file);
      return file;
    });
    p.catch(() => cache.delete(path));
    cache.set(path, p);
  }
  return p;
}

/** The file if it has loaded (a strip draws in one pass, without waiting on each clip's promise). */
export function peaksNow(path: string): PeaksFile | undefined {
  return loaded.get(path);
}

/** Amplitude to drawn height on a log (dB) scale, as editors show levels: -54 dB and below is flat. */
export function displayLevel(v: number): number {
  if (v <= 0.002) return 0;
  return Math.min(1, Math.max(0, 1 + (20 * Math.log10(v)) / 54));
}

const levelsCache = new WeakMap<PeaksFile, Float32Array>();

/** The whole file as mono display levels, one per peak pair (computed once per file). */
export function displayLevels(file: PeaksFile): Float32Array {
  let out = levelsCache.get(file);
  if (!out) {
    const pairs = Math.min(file.length || file.data.length / 2, Math.floor(file.data.length / 2));
    out = new Float32Array(pairs);
    for (let i = 0; i < pairs; i++) out[i] = displayLevel(Math.max(Math.abs(file.data[2 * i] ?? 0), Math.abs(file.data[2 * i + 1] ?? 0)));
    levelsCache.set(file, out);
  }
  return out;
}
