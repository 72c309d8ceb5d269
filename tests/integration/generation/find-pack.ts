/**
 * The model pack the generation tests run on: the shipped one under resources/models/
 * (shotline-shapes-tiny first), else SHOTLINE_TEST_PACK (a pack folder), else a pack exported
 * next to a training run (native/training/runs/<run>/ or one folder below it). With none of
 * these, pack-dependent tests skip and say why.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SHIPPED_MODELS = path.join(REPO_ROOT, 'resources', 'models');

function isPack(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'manifest.json')) && fs.existsSync(path.join(dir, 'golden.json'));
}

export function findTestPack(): string | null {
  const shipped = fs.existsSync(SHIPPED_MODELS)
    ? fs
        .readdirSync(SHIPPED_MODELS)
        .sort((a, b) => (a === 'shotline-shapes-tiny' ? -1 : b === 'shotline-shapes-tiny' ? 1 : a.localeCompare(b)))
        .map((n) => path.join(SHIPPED_MODELS, n))
        .filter(isPack)
    : [];
  if (shipped[0]) return shipped[0];
  const env = process.env.SHOTLINE_TEST_PACK;
  if (env && isPack(path.resolve(env))) return path.resolve(env);
  const runs = path.join(REPO_ROOT, 'native', 'training', 'runs');
  const sub = (d: string) => (fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(d, e.name)).sort() : []);
  // Newest first: the latest export is the one being worked on.
  const candidates = sub(runs)
    .flatMap((r) => [r, ...sub(r)])
    .filter(isPack)
    .sort((a, b) => fs.statSync(path.join(b, 'manifest.json')).mtimeMs - fs.statSync(path.join(a, 'manifest.json')).mtimeMs);
  return candidates[0] ?? null;
}

export const PACK_DIR = findTestPack();
export const NO_PACK =
  'SKIPPED: no model pack found in resources/models/ (nor SHOTLINE_TEST_PACK, nor native/training/runs/*/). Export one with ' +
  '`/usr/bin/python3 native/training/export_onnx.py --ckpt <ckpt> --pack resources/models/shotline-shapes-tiny`.';
if (!PACK_DIR) console.warn(NO_PACK);

export interface Golden {
  prompt: string;
  seed: number;
  steps: number;
  guidance: number;
  token_ids: number[];
  empty_token_ids: number[];
  text_emb_first8: number[];
  timesteps: number[];
  abar: number[];
  noise: { count: number; first8: number[]; mean: number; std: number };
  cond_frame: null | { uint8_hwc: number[] };
  output: {
    x_mean: number;
    x_std: number;
    x_first8: number[];
    channel_mean: number[];
    frames_uint8_mean: number;
    frame0_4x4_downsampled: number[][][];
    frame_last_4x4_downsampled: number[][][];
  };
}

export function readGolden(dir: string): { text_to_video: Golden; image_to_video: Golden } {
  return JSON.parse(fs.readFileSync(path.join(dir, 'golden.json'), 'utf8'));
}
