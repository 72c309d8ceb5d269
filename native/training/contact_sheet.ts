/**
 * Contact sheet of a pack, made the way the app makes clips (TypeScript runner, onnxruntime-node):
 * one row per prompt, one column per frame, each frame scaled up by --scale (nearest neighbour).
 * The prompts and seeds are fixed here (the README's example and four held-out prompts), not chosen
 * after looking at the results.
 *
 *   npx tsx native/training/contact_sheet.ts resources/models/shotline-shapes-tiny docs/images/model-pack-contact-sheet.png
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { analyzeClip } from '../analysis/adherence.js';
import { OnnxRunner } from '../runner/client.js';

export const SHEET_PROMPTS: { prompt: string; seed: number }[] = [
  { prompt: 'a red circle moves to the left on a dark background', seed: 7 }, // README example
  { prompt: 'a blue triangle moves to the right on a gray background', seed: 1 }, // held out
  { prompt: 'a yellow cross moves to the left on a dark background', seed: 2 }, // held out
  { prompt: 'a cyan square moves down on a gradient background', seed: 3 }, // held out
  { prompt: 'a green square grows on a dark background', seed: 4 }, // held out
];

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function png(rgb: Uint8Array, w: number, h: number): Buffer {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) Buffer.from(rgb.buffer, rgb.byteOffset + y * w * 3, w * 3).copy(raw, y * (w * 3 + 1) + 1);
  const chunk = (tag: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(tag, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const [packDir, out] = process.argv.slice(2);
if (!packDir || !out) throw new Error('usage: contact_sheet.ts PACK_DIR OUT.png [--scale 3]');
const scaleArg = process.argv.indexOf('--scale');
const scale = scaleArg > 0 ? Number(process.argv[scaleArg + 1]) : 3;
const manifest = JSON.parse(fs.readFileSync(`${packDir}/manifest.json`, 'utf8'));
const { frames: F, height: H, width: W } = manifest;
const gap = 1;
const cw = F * (W * scale + gap);
const ch = SHEET_PROMPTS.length * (H * scale + gap);
const sheet = new Uint8Array(cw * ch * 3);
const runner = new OnnxRunner({ threads: 2 });
try {
  for (const [row, { prompt, seed }] of SHEET_PROMPTS.entries()) {
    const r = await runner.generate(packDir, { prompt, seed, steps: manifest.scheduler.default_steps, guidance: manifest.guidance.default });
    const a = analyzeClip(r.frames, F, H, W);
    console.log(`row ${row + 1}: "${prompt}" seed ${seed} -> colour ${a.color}, direction ${a.direction}, shape ${a.shape}, size ${a.size}`);
    for (let f = 0; f < F; f++)
      for (let y = 0; y < H * scale; y++)
        for (let x = 0; x < W * scale; x++) {
          const src = ((f * H + Math.floor(y / scale)) * W + Math.floor(x / scale)) * 3;
          const dst = ((row * (H * scale + gap) + y) * cw + f * (W * scale + gap) + x) * 3;
          sheet.set(r.frames.subarray(src, src + 3), dst);
        }
  }
} finally {
  await runner.dispose();
}
fs.writeFileSync(out, png(sheet, cw, ch));
console.log(`wrote ${out} (${cw}x${ch})`);
