/** main/speech/wav.ts: the WAV reader speech backends go through, and the comment that makes each voicing its own file. */
import { describe, expect, it } from 'vitest';
import { readWav, withWavComment, writeWav } from '../../../main/speech/wav.js';

describe('wav', () => {
  it('round-trips 16-bit PCM, skipping chunks it does not know', () => {
    const samples = Int16Array.from([0, 1000, -1000, 32767, -32768, 5]);
    const wav = writeWav(samples, 24000, 2);
    const r = readWav(wav);
    expect(r).toMatchObject({ sampleRate: 24000, channels: 2, bitsPerSample: 16 });
    expect([...r.samples]).toEqual([...samples]);
    expect(r.durationSeconds).toBeCloseTo(3 / 24000, 12);
    const tagged = withWavComment(wav, 'Shotline dialogue s1 line 0 abc');
    expect(tagged.equals(wav)).toBe(false);
    expect(tagged.readUInt32LE(4)).toBe(tagged.length - 8);
    expect([...readWav(tagged).samples]).toEqual([...samples]);
  });

  it('reads a streaming header (sizes unknown) to the end of the data', () => {
    const wav = writeWav(Int16Array.from([1, 2, 3, 4]), 22050, 1);
    wav.writeUInt32LE(0xffffffff, 40);
    expect([...readWav(wav).samples]).toEqual([1, 2, 3, 4]);
  });

  it('refuses what is not 16-bit PCM WAV, saying what it is', () => {
    expect(() => readWav(Buffer.from('ID3 not a wav at all'))).toThrow(/not a WAV file/);
    const float = writeWav(Int16Array.from([1, 2]), 48000, 1);
    float.writeUInt16LE(3, 20);
    float.writeUInt16LE(32, 34);
    expect(() => readWav(float)).toThrow(/32-bit format 3; 16-bit PCM was expected/);
  });
});
