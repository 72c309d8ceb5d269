/**
 * The protocol wants `input_reference` at exactly the requested `size`. The user chooses how
 * a reference of another shape gets there (the endpoint's `imageFit`): `crop` fills the frame
 * and cuts the overflow from the centre, `pad` fits it whole with black bars. The choice is
 * recorded on the take's provenance, so it never happens silently.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FfmpegEngine } from '../../media/engine.js';

export type ImageFit = 'crop' | 'pad';

export function fitFilter(w: number, h: number, fit: ImageFit): string {
  return fit === 'crop'
    ? `scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h},setsar=1`
    : `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:black,setsar=1`;
}

/** A PNG of the reference (or a clip's last frame) at `size`, written into `dir`. */
export async function referencePng(
  engine: FfmpegEngine,
  src: { path: string; lastFrameOfVideo?: boolean },
  size: { width: number; height: number },
  fit: ImageFit,
  dir: string,
  signal?: AbortSignal,
): Promise<{ data: Uint8Array; name: string; type: string }> {
  const out = path.join(dir, 'input_reference.png');
  const input = src.lastFrameOfVideo ? ['-sseof', '-0.5', '-i', src.path] : ['-i', src.path];
  // -update 1 keeps overwriting one picture: for a clip's tail that leaves its last frame.
  await engine.run({ args: ['-y', ...input, '-vf', fitFilter(size.width, size.height, fit), '-update', '1', '-f', 'image2', '-c:v', 'png', out], signal });
  return { data: await fs.promises.readFile(out), name: 'input_reference.png', type: 'image/png' };
}
