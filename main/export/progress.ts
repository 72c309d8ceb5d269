/**
 * Export progress as the user sees it: monotonic, encoding capped below 1 (the file is
 * not in place until the rename), an ETA from ffmpeg's speed or, failing that, from the
 * elapsed time.
 */
export interface ExportProgress {
  fraction: number;
  etaSeconds: number | null;
  message: string;
}

/** Encoding fills 0..ENCODE_SHARE; flushing and the rename take the rest. */
const ENCODE_SHARE = 0.99;

export class ProgressReporter {
  last = 0;
  private readonly started = Date.now();

  constructor(private readonly sink?: (p: ExportProgress) => void) {}

  report(fraction: number, etaSeconds: number | null, message: string): void {
    this.last = Math.max(this.last, clamp01(fraction));
    this.sink?.({ fraction: this.last, etaSeconds, message });
  }

  encoding(rawFraction: number, etaSeconds: number | null): void {
    const f = clamp01(Number.isFinite(rawFraction) ? rawFraction : 0);
    let eta = etaSeconds;
    if (eta === null && f > 0.02) {
      const elapsed = (Date.now() - this.started) / 1000;
      eta = (elapsed * (1 - f)) / f;
    }
    const shown = Math.max(this.last, f * ENCODE_SHARE);
    this.report(shown, eta === null ? null : Math.max(0, Math.round(eta * 10) / 10), `Encoding ${Math.floor((shown / ENCODE_SHARE) * 100)}%`);
  }
}

function clamp01(n: number): number {
  return Math.min(1, Math.max(0, n));
}
