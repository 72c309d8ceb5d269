/**
 * The word-level tokenizer of a model pack (manifest.tokenizer), exactly as the training code
 * (native/training/dataset.py Tokenizer) does it: lower-case ASCII A-Z only, every run of
 * characters outside [a-z0-9] becomes one space, split; [bos] + word ids (unknown words →
 * unk_id) [+ eos]; truncate to max_length; right-pad with pad_id.
 */
import type { PackManifest, Vocab } from '../pack/manifest.js';

export type TokenizerSpec = Pick<PackManifest['tokenizer'], 'max_length' | 'pad_id' | 'unk_id' | 'bos_id' | 'eos_id'>;

export function normalizeWords(text: string): string[] {
  const lower = text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
  return lower
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((w) => w.length > 0);
}

export class WordTokenizer {
  private readonly index = new Map<string, number>();

  constructor(
    vocab: Vocab,
    readonly spec: TokenizerSpec,
  ) {
    vocab.tokens.forEach((t, i) => {
      if (!this.index.has(t)) this.index.set(t, i);
    });
  }

  /** Token ids of one text, always `max_length` long. */
  encode(text: string): number[] {
    const { max_length, pad_id, unk_id, bos_id, eos_id } = this.spec;
    const ids: number[] = [];
    if (bos_id !== null) ids.push(bos_id);
    for (const w of normalizeWords(text)) ids.push(this.index.get(w) ?? unk_id);
    if (eos_id !== null) ids.push(eos_id);
    const out = ids.slice(0, max_length);
    while (out.length < max_length) out.push(pad_id);
    return out;
  }

  /** Several texts as one int64 [B, max_length] buffer (row-major). */
  encodeBatch(texts: readonly string[]): BigInt64Array {
    const L = this.spec.max_length;
    const out = new BigInt64Array(texts.length * L);
    texts.forEach((t, r) => this.encode(t).forEach((id, k) => (out[r * L + k] = BigInt(id))));
    return out;
  }

  /** Words of `text` the vocabulary does not know (they become unk_id): worth telling the user. */
  unknownWords(text: string): string[] {
    return [...new Set(normalizeWords(text).filter((w) => !this.index.has(w)))];
  }
}
