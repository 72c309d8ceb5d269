/**
 * Just enough of RIFF/WAVE to read what speech backends write: 16-bit PCM, any rate, mono or
 * stereo. Chunks other than `fmt ` and `data` are skipped; a streaming header (sizes
 * 0xFFFFFFFF or 0, as espeak-ng writes to a pipe) reads to the end of the buffer.
 */
import { ShotlineError } from '../../app/errors.js';

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Interleaved 16-bit samples. */
  samples: Int16Array;
  durationSeconds: number;
}

export function readWav(buf: Uint8Array, what = 'The audio'): WavInfo {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const tag = (o: number) => String.fromCharCode(buf[o]!, buf[o + 1]!, buf[o + 2]!, buf[o + 3]!);
  if (buf.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new ShotlineError('invalid_input', `${what} is not a WAV file.`);
  let off = 12;
  let fmt: { format: number; channels: number; sampleRate: number; bits: number } | null = null;
  while (off + 8 <= buf.length) {
    const id = tag(off);
    let size = dv.getUint32(off + 4, true);
    const body = off + 8;
    if (id === 'fmt ') {
      fmt = { format: dv.getUint16(body, true), channels: dv.getUint16(body + 2, true), sampleRate: dv.getUint32(body + 4, true), bits: dv.getUint16(body + 14, true) };
    } else if (id === 'data') {
      if (!fmt) throw new ShotlineError('invalid_input', `${what} has its samples before its format.`);
      // 1 = PCM; 0xFFFE = WAVE_FORMAT_EXTENSIBLE (PCM in practice for 16-bit).
      if ((fmt.format !== 1 && fmt.format !== 0xfffe) || fmt.bits !== 16)
        throw new ShotlineError('invalid_input', `${what} is a WAV of ${fmt.bits}-bit format ${fmt.format}; 16-bit PCM was expected.`);
      if (size === 0 || size === 0xffffffff || body + size > buf.length) size = buf.length - body;
      size -= size % (2 * fmt.channels);
      const samples = new Int16Array(size / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = dv.getInt16(body + i * 2, true);
      return { sampleRate: fmt.sampleRate, channels: fmt.channels, bitsPerSample: 16, samples, durationSeconds: samples.length / fmt.channels / fmt.sampleRate };
    }
    off = body + size + (size % 2);
  }
  throw new ShotlineError('invalid_input', `${what} has no samples (no data chunk).`);
}

/** A 16-bit PCM WAV of interleaved samples. */
export function writeWav(samples: Int16Array, sampleRate: number, channels: number): Buffer {
  const data = samples.length * 2;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVE', 8);
  b.write('fmt ', 12);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(channels, 22);
  b.writeUInt32LE(sampleRate, 24);
  b.writeUInt32LE(sampleRate * channels * 2, 28);
  b.writeUInt16LE(channels * 2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(data, 40);
  for (let i = 0; i < samples.length; i++) b.writeInt16LE(samples[i]!, 44 + i * 2);
  return b;
}

/** The WAV with a LIST/INFO comment (ICMT) appended: same samples, different bytes. */
export function withWavComment(wav: Buffer, comment: string): Buffer {
  if (wav.length < 12 || wav.toString('latin1', 0, 4) !== 'RIFF') throw new ShotlineError('invalid_input', 'Not a WAV file.');
  const text = Buffer.from(`${comment}\0`, 'utf8');
  const pad = text.length % 2;
  const sub = Buffer.alloc(8 + text.length + pad);
  sub.write('ICMT', 0, 'latin1');
  sub.writeUInt32LE(text.length, 4);
  text.copy(sub, 8);
  const list = Buffer.alloc(12);
  list.write('LIST', 0, 'latin1');
  list.writeUInt32LE(4 + sub.length, 4);
  list.write('INFO', 8, 'latin1');
  // The body must end on an even byte before another chunk follows.
  const body = wav.length % 2 ? Buffer.concat([wav, Buffer.alloc(1)]) : wav;
  const out = Buffer.concat([body, list, sub]);
  out.writeUInt32LE(out.length - 8, 4);
  return out;
}
