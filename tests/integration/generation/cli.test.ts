/**
 * `shotline generate` as a user runs it (a child process): one clip to an MP4 that ffprobe
 * accepts, whose pictures are the runner's frames (colour order, orientation, scale), byte-for-
 * byte reproducible; image-to-video from a PNG; and every bad input answered in words with
 * the right exit code.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxRunner } from '../../../native/runner/client.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { ffmpeg, ffprobeJson, makeTestImage } from '../../helpers/media-fixtures.js';
import { NO_PACK, PACK_DIR, REPO_ROOT, SHIPPED_MODELS } from './find-pack.js';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

describe.skipIf(!PACK_DIR)('shotline generate (CLI)', () => {
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  const run = (args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'shotline.mjs'), 'generate', ...args], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
      child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-gen-cli-'));
    env = { ...process.env, SHOTLINE_HOME: path.join(tmp, 'home'), SHOTLINE_ORT_THREADS: '1' };
    if (!PACK_DIR!.startsWith(SHIPPED_MODELS)) env.SHOTLINE_MODELS_DIR = path.dirname(PACK_DIR!);
    delete env.SHOTLINE_EP;
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('writes one clip: an MP4 ffprobe accepts, holding the runner frames, reproducible to the byte', async () => {
    const out = path.join(tmp, 'clip.mp4');
    const prompt = 'a yellow square moves to the right on a dark background';
    const r = await run(['--prompt', prompt, '--seed', '42', '--out', out]);
    expect(r.stderr).toMatch(/Generating \d+%/);
    expect(r.status).toBe(0);
    // Steps and guidance default to the pack's manifest.
    const manifest = JSON.parse(fs.readFileSync(path.join(PACK_DIR!, 'manifest.json'), 'utf8'));
    const g = manifest.guidance.default as number;
    expect(r.stdout).toContain(`; seed 42, ${manifest.scheduler.default_steps} steps, guidance ${g};`);
    expect(r.stdout).toMatch(/256x256, 2 s at 8 fps; local-onnx .* on cpu; seed 42, /);
    const probe = await ffprobeJson(out);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 256, height: 256, r_frame_rate: '8/1', nb_frames: '16' });
    expect(probe.streams.some((s) => s.codec_type === 'audio')).toBe(false);

    // Decode back to the model's 32×32 and compare with the frames the runner makes in-process.
    const rgbFile = path.join(tmp, 'back.rgb');
    await ffmpeg(['-i', out, '-vf', `scale=${manifest.width}:${manifest.height}:flags=area,format=rgb24`, '-f', 'rawvideo', rgbFile]);
    const back = fs.readFileSync(rgbFile);
    const runner = new OnnxRunner({ threads: 1 });
    const direct = await runner.generate(PACK_DIR!, { prompt, seed: 42, steps: manifest.scheduler.default_steps, guidance: g });
    await runner.dispose();
    expect(back.length).toBe(direct.frames.length);
    // Per-pixel noise does not survive 4:2:0 chroma and an 8x scale round trip, so compare what
    // must survive: 8×8-pixel block means per channel (a swapped channel order or a flip shows up
    // as tens of levels) and each channel's mean.
    const { frames: F, width: W, height: H } = manifest as { frames: number; width: number; height: number };
    const blocks = (u8: Uint8Array) => {
      const out: number[] = [];
      for (let f = 0; f < F; f++)
        for (let by = 0; by < H; by += 8)
          for (let bx = 0; bx < W; bx += 8)
            for (let c = 0; c < 3; c++) {
              let t = 0;
              for (let y = by; y < by + 8; y++) for (let x = bx; x < bx + 8; x++) t += u8[((f * H + y) * W + x) * 3 + c]!;
              out.push(t / 64);
            }
      return out;
    };
    const a = blocks(back);
    const b = blocks(direct.frames);
    const blockDiff = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
    const chMean = (u8: Uint8Array, c: number) => {
      let t = 0;
      for (let i = c; i < u8.length; i += 3) t += u8[i]!;
      return t / (u8.length / 3);
    };
    const chDiff = [0, 1, 2].map((c) => Math.abs(chMean(back, c) - chMean(direct.frames, c)));
    console.log(`MP4 decoded back to ${W}x${H} vs runner frames: 8x8 block means differ by at most ${blockDiff.toFixed(2)}, channel means by ${chDiff.map((d) => d.toFixed(2)).join('/')} (uint8)`);
    expect(blockDiff).toBeLessThan(6);
    // Dark, noisy frames lose a little to clipping at black after 4:2:0 chroma averaging.
    for (const d of chDiff) expect(d).toBeLessThan(3);

    const again = path.join(tmp, 'again.mp4');
    expect((await run(['--prompt', prompt, '--seed', '42', '--out', again])).status).toBe(0);
    expect(fs.readFileSync(again).equals(fs.readFileSync(out))).toBe(true);
  }, 120_000);

  it('image-to-video from a still', async () => {
    const png = await makeTestImage({ path: path.join(tmp, 'ref.png'), width: 320, height: 240 } as never);
    const out = path.join(tmp, 'i2v.mp4');
    const r = await run(['--prompt', '', '--image', png, '--seed', '7', '--steps', '4', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/seed 7, 4 steps/);
    expect((await ffprobeJson(out)).streams[0]).toMatchObject({ width: 256, height: 256 });
  });

  it('answers bad input in words, with exit code 2 for what the user typed', async () => {
    const out = path.join(tmp, 'never.mp4');
    const text = path.join(tmp, 'notes.png');
    fs.writeFileSync(text, 'this is not a picture\n');
    const cases: [string[], NodeJS.ProcessEnv, number, RegExp][] = [
      [['--prompt', '   ', '--out', out], {}, 2, /The prompt is empty: describe the shot/],
      [['--prompt', 'x'.repeat(100_000), '--out', out], {}, 2, /The prompt is 100,000 characters long; the limit is 4,000\. Shorten it\./],
      [['--prompt', 'a red circle', '--duration', '4', '--out', out], {}, 2, /This backend makes 2-second clips; choose 2 s\./],
      [['--prompt', 'a red circle', '--steps', 'many', '--out', out], {}, 2, /--steps must be a whole number/],
      [['--prompt', 'a red circle', '--model', 'no-such-pack', '--out', out], {}, 1, /No local model pack named "no-such-pack" is installed\.\n\s+Installed: /],
      [['--prompt', 'a red circle', '--image', text, '--out', out], {}, 2, /The reference "notes\.png" is not an image Shotline can read/],
      [['--prompt', 'a red circle', '--out', out], { SHOTLINE_EP: 'cuda' }, 1, /The CUDA execution provider was asked for \(SHOTLINE_EP or --provider\) but onnxruntime-node could not use it/],
    ];
    for (const [args, e, code, re] of cases) {
      const r = await run(args, e);
      expect(r.stderr, args.join(' ').slice(0, 80)).toMatch(re);
      expect(r.status, r.stderr).toBe(code);
    }
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(tmp).filter((f) => f.includes('partial'))).toEqual([]);
  }, 180_000);
});

describe.skipIf(!PACK_DIR)('shotline generate PROJECT --shot', () => {
  it('queues takes on the project queue, waits, and lists them', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-gen-cli-proj-'));
    const env: NodeJS.ProcessEnv = { ...process.env, SHOTLINE_HOME: path.join(tmp, 'home'), SHOTLINE_ORT_THREADS: '1' };
    if (!PACK_DIR!.startsWith(SHIPPED_MODELS)) env.SHOTLINE_MODELS_DIR = path.dirname(PACK_DIR!);
    try {
      const services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home') });
      const api = inProcessClient(services);
      const dir = path.join(tmp, 'film');
      await api.call('project.create', { dir, name: 'Film' });
      const r = await api.call('edit.apply', { command: 'shot.add', args: { fields: { title: 'One', prompt: { subject: 'a purple cross', action: 'moves down' } } } });
      const shotId = Object.keys(r.patch.shots ?? {})[0]!;
      await services.shutdown();
      const out = await new Promise<Run>((resolve) => {
        const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'shotline.mjs'), 'generate', dir, '--shot', shotId, '--takes', '2', '--seed', '5', '--steps', '3'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
        child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
      expect(out.status, out.stderr).toBe(0);
      expect(out.stderr).toMatch(/2 of 2 takes generated/);
      expect(out.stdout).toMatch(/^Take 1: seed 5 -> .*media\/[a-f0-9]{64}\.mp4\nTake 2: seed 6 -> .*\.mp4\n$/);
      const again = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home') });
      const snap = await inProcessClient(again).call('project.open', { dir });
      expect(Object.values(snap.state.takes).map((t) => t.label).sort()).toEqual(['Take 1', 'Take 2']);
      await again.shutdown();
      const bad = await new Promise<number | null>((resolve) => spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'shotline.mjs'), 'generate', dir, '--shot', 'shot_nope'], { env, stdio: 'ignore' }).on('close', resolve));
      expect(bad).toBe(1);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 180_000);
});

describe.skipIf(!!PACK_DIR)('shotline generate (no pack)', () => {
  it('is skipped', () => console.warn(NO_PACK));
});
