/**
 * Model pack validation on a pack the test builds (tiny hand-written ONNX graphs): a good
 * pack loads and its sessions match; every way a pack can be wrong ends in a ShotlineError
 * naming the pack folder and the problem.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShotlineError } from '../../../app/errors.js';
import { discoverModelPacks } from '../../../native/pack/discover.js';
import { loadModelPack } from '../../../native/pack/load.js';
import { createSessions } from '../../../native/runner/providers.js';
import { tinyDenoiser, tinyTextEncoder, writeTinyPack } from './tiny-pack.js';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-pack-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function packFailure(dir: string, opts: { sessions?: boolean } = {}): Promise<ShotlineError> {
  try {
    const pack = await loadModelPack(dir);
    if (opts.sessions) {
      const s = await createSessions(pack, { provider: 'cpu', threads: 1 });
      await s.textEncoder.release();
      await s.denoiser.release();
    }
  } catch (e) {
    expect(e).toBeInstanceOf(ShotlineError);
    return e as ShotlineError;
  }
  throw new Error(`expected ${dir} to be refused`);
}

describe('model pack validation', () => {
  it('loads a good pack; its sessions match the manifest', async () => {
    const dir = writeTinyPack(path.join(tmp, 'good'));
    const pack = await loadModelPack(dir);
    expect(pack.manifest.name).toBe('tiny-test-pack');
    expect(pack.vocab.tokens).toContain('circle');
    const s = await createSessions(pack, { provider: 'cpu', threads: 1 });
    expect(s.provider).toBe('cpu');
    expect(s.denoiser.inputNames).toEqual(['x_t', 't', 'text_emb', 'cond_frame', 'cond_mask']);
    await s.textEncoder.release();
    await s.denoiser.release();
  });

  it('refuses a missing pack folder and a folder without manifest.json', async () => {
    const missing = await packFailure(path.join(tmp, 'nope'));
    expect(missing.code).toBe('not_found');
    expect(missing.message).toContain(path.join(tmp, 'nope'));
    fs.mkdirSync(path.join(tmp, 'empty'));
    const empty = await packFailure(path.join(tmp, 'empty'));
    expect(empty.message).toBe(`The model pack at ${path.join(tmp, 'empty')} cannot be used: manifest.json (the pack description) is missing.`);
    expect(empty.hint).toMatch(/Re-install/);
  });

  it('refuses a manifest the runner does not implement, naming the field', async () => {
    const dir = writeTinyPack(path.join(tmp, 'eps'), (m) => (m.scheduler.prediction_type = 'epsilon'));
    const e = await packFailure(dir);
    expect(e.message).toContain(dir);
    expect(e.message).toContain('field scheduler.prediction_type is "epsilon", but this Shotline only runs prediction type "v_prediction"');
    const bad = writeTinyPack(path.join(tmp, 'badjson'));
    fs.writeFileSync(path.join(bad, 'manifest.json'), '{ "format": ');
    expect((await packFailure(bad)).message).toMatch(/manifest\.json is not valid JSON/);
    const incons = writeTinyPack(path.join(tmp, 'frames'), (m) => (m.frames = 3));
    expect((await packFailure(incons)).message).toMatch(/latent\.shape \[3, 2, 4, 4\] does not agree with frames 3/);
    const rename = writeTinyPack(path.join(tmp, 'rename'), (m) => (m.graphs.denoiser.inputs[0].name = 'sample'));
    expect((await packFailure(rename)).message).toMatch(/graph denoiser \(denoiser\.onnx\): its inputs are \["sample","t","text_emb","cond_frame","cond_mask"\] in manifest\.json, expected \["x_t"/);
  });

  it('refuses a graph whose real inputs differ from the manifest (checked on the live session)', async () => {
    // The manifest is right; the graph file says "sample" instead of "x_t" (checksums updated to match).
    const dir = writeTinyPack(path.join(tmp, 'mismatch'), undefined, { dn: tinyDenoiser({ xName: 'sample' }) });
    const e = await packFailure(dir, { sessions: true });
    expect(e.code).toBe('unsupported');
    expect(e.message).toContain(dir);
    expect(e.message).toMatch(/denoiser\.onnx does not match manifest\.json: its inputs are \["sample",.*in the graph file denoiser\.onnx, expected \["x_t"/);
  });

  it('refuses a pack with a file missing', async () => {
    const dir = writeTinyPack(path.join(tmp, 'nofile'));
    fs.rmSync(path.join(dir, 'denoiser.onnx'));
    const e = await packFailure(dir);
    expect(e.code).toBe('not_found');
    expect(e.message).toBe(`The model pack at ${dir} cannot be used: denoiser.onnx is missing (manifest.json lists it).`);
    const novocab = writeTinyPack(path.join(tmp, 'novocab'));
    fs.rmSync(path.join(novocab, 'vocab.json'));
    expect((await packFailure(novocab)).message).toMatch(/vocab\.json \(the tokenizer vocabulary\) is missing/);
  });

  it('refuses a corrupted graph: by checksum, and by onnxruntime when the checksum was forged', async () => {
    const dir = writeTinyPack(path.join(tmp, 'corrupt'));
    const file = path.join(dir, 'text_encoder.onnx');
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    fs.writeFileSync(file, bytes);
    const e = await packFailure(dir);
    expect(e.message).toMatch(/text_encoder\.onnx does not match its checksum in manifest\.json \(SHA-256 [a-f0-9]{12}…, expected [a-f0-9]{12}…\): the file is damaged or was replaced/);
    const trunc = writeTinyPack(path.join(tmp, 'trunc'));
    fs.truncateSync(path.join(trunc, 'denoiser.onnx'), 40);
    expect((await packFailure(trunc)).message).toMatch(/denoiser\.onnx is 40 bytes but manifest\.json says \d+/);
    // Garbage whose size and checksum the manifest agrees with: onnxruntime itself refuses it.
    const garbage = new Uint8Array(300).map((_, i) => (i * 37) & 0xff);
    const forged = writeTinyPack(path.join(tmp, 'forged'), undefined, { te: tinyTextEncoder(), dn: garbage });
    const f = await packFailure(forged, { sessions: true });
    expect(f.message).toContain(forged);
    expect(f.message).toMatch(/onnxruntime could not load denoiser\.onnx \(/);
  });

  it('discovery lists good packs and reports broken ones instead of hiding them', async () => {
    const root = path.join(tmp, 'models');
    writeTinyPack(path.join(root, 'a-good'));
    writeTinyPack(path.join(root, 'b-broken'), (m) => (m.noise.prng = 'philox'));
    fs.mkdirSync(path.join(root, 'not-a-pack'));
    const found = await discoverModelPacks([root, path.join(tmp, 'does-not-exist')]);
    expect(found.map((f) => [path.basename(f.dir), !!f.pack])).toEqual([
      ['a-good', true],
      ['b-broken', false],
    ]);
    expect(found[1]!.error?.message).toMatch(/noise\.prng is "philox", but this Shotline only runs the noise generator "mulberry32"/);
  });
});
