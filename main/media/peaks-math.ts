/**
 * Waveform peaks, pure: mono float samples → interleaved [min, max, min, max, ...], one pair
 * per 1/peaksPerSecond of audio, rounded to 3 decimals (enough for any on-screen height and
 * keeps the JSON small). This is the shape wavesurfer.js and audiowaveform use.
 */

/** Decodes raw little-endian f32 bytes that arrive in chunks cut at arbitrary byte offsets. */
export class Float32LeDecoder {
  private carry = new Uint8Array(0);

  push(chunk: Uint8Array): Float32Array {
    const bytes = this.carry.length ? concat(this.carry, chunk) : chunk;
    const whole = bytes.length - (bytes.length % 4);
    this.carry = bytes.slice(whole);
    const view = new DataView(bytes.buffer, bytes.byteOffset, whole);
    const out = new Float32Array(whole / 4);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
    return out;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

const round3 = (v: number) => {
  if (!Number.isFinite(v)) return 0;
  const clamped = Math.max(-1, Math.min(1, v));
  // `+ 0` turns -0 into 0 so silence serialises as plain zeros.
  return Math.round(clamped * 1000) / 1000 + 0;
};

/**
 * Streaming min/max per bucket. Bucket k covers samples [floor(k·rate/pps), floor((k+1)·rate/pps)),
 * so a rate that pps does not divide still spreads samples evenly and never drifts.
 */
export class PeakAccumulator {
  private readonly out: number[] = [];
  private sampleIndex = 0;
  private bucket = 0;
  private nextBoundary: number;
  private min = Infinity;
  private max = -Infinity;

  constructor(
    private readonly sampleRate: number,
    private readonly peaksPerSecond: number,
  ) {
    if (!(sampleRate > 0) || !(peaksPerSecond > 0)) throw new RangeError('sampleRate and peaksPerSecond must be positive');
    this.nextBoundary = this.boundary(1);
  }

  private boundary(k: number): number {
    return Math.floor((k * this.sampleRate) / this.peaksPerSecond);
  }

  push(samples: Float32Array): void {
    for (let i = 0; i < samples.length; i++) {
      if (this.sampleIndex >= this.nextBoundary) this.emit();
      const v = samples[i] as number;
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
      this.sampleIndex++;
    }
  }

  private emit(): void {
    this.out.push(round3(this.min), round3(this.max));
    this.min = Infinity;
    this.max = -Infinity;
    this.bucket++;
    this.nextBoundary = this.boundary(this.bucket + 1);
  }

  /** The interleaved peaks; a final partial bucket counts. */
  finish(): number[] {
    if (this.min !== Infinity) this.emit();
    return this.out;
  }
}

export function peaksFromSamples(samples: Float32Array, sampleRate: number, peaksPerSecond: number): number[] {
  const acc = new PeakAccumulator(sampleRate, peaksPerSecond);
  acc.push(samples);
  return acc.finish();
}
