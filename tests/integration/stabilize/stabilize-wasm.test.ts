/**
 * Stabilize where ffmpeg has no vid.stab (the wasm engine): nothing to analyse, deshake
 * does the work, and the user is told — by `stabilize.engine`, on the job and on the
 * export's result. Measured like the vid.stab path, on a small 1 s clip (wasm is slow).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import type { Job } from '../../../app/jobs/types.js';
import { STAB_DIR } from '../../../app/stabilize/keys.js';
import { stabilizeStatus } from '../../../app/stabilize/status.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { createWasmEngine } from '../../../main/media/wasm-engine.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { DESHAKE_WARNING } from '../../../main/stabilize/analyze.js';
import type { StabilizeJobResult } from '../../../main/stabilize/job.js';
import { ffprobeJson } from '../../helpers/media-fixtures.js';
import { makeShakyVideo, type ShakyVideo } from '../../helpers/shaky-video.js';
import { measureMotion } from './motion.js';

let tmp: string;
let services: ShotlineServices;
let api: ShotlineClient;
let projectDir: string;
let shaky: ShakyVideo;
const runs: string[][] = [];

async function waitJob(id: string): Promise<Job> {
  for (;;) {
    const j = (await api.call('jobs.list', {})).find((x) => x.id === id)!;
    if (['succeeded', 'failed', 'canceled'].includes(j.state)) return j;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-stab-wasm-'));
  const wasm = await createWasmEngine();
  services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home'), engine: { ...wasm, run: (o) => (runs.push(o.args), wasm.run(o)) } });
  api = inProcessClient(services);
  projectDir = path.join(tmp, 'film');
  shaky = await makeShakyVideo({ path: path.join(tmp, 'shaky.mp4'), width: 320, height: 180, seconds: 1, amplitude: 10, seed: 5, withAudio: true });
  await api.call('project.create', { dir: projectDir, name: 'Wasm' });
}, 120_000);

afterAll(async () => {
  await services?.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('stabilize without vid.stab (wasm engine)', () => {
  it('falls back to deshake, warns on the engine, the job and the export, and still steadies the picture', async () => {
    expect(await api.call('stabilize.engine', {})).toEqual({ method: 'deshake', warning: DESHAKE_WARNING });
    const asset = (await api.call('assets.import', { files: [{ path: shaky.path }] })).imported[0]!;
    const snap = await api.call('project.snapshot', {});
    const v1 = Object.values(snap.state.tracks).find((t) => t.kind === 'video')!;
    const added = await api.call('edit.apply', { command: 'clip.add', args: { trackId: v1.id, assetId: asset.id, startFlicks: 0 } });
    const clipId = Object.keys(added.patch.clips!)[0]!;
    await api.call('edit.apply', { command: 'clip.setStabilize', args: { clipId, stabilize: {} } });
    for (const j of await api.call('jobs.list', {})) await waitJob(j.id);

    const job = await waitJob((await api.call('stabilize.analyze', { clipId })).id);
    expect(job.state, job.error?.message).toBe('succeeded');
    expect(job.title).toContain('deshake');
    const result = job.result as StabilizeJobResult;
    expect(result).toMatchObject({ method: 'deshake', transformsPath: null, warning: DESHAKE_WARNING });
    expect(runs.some((a) => a.some((x) => x.includes('vidstab')))).toBe(false);
    expect(fs.readdirSync(path.join(projectDir, STAB_DIR)).filter((f) => f.endsWith('.trf'))).toEqual([]);
    const after = await api.call('project.snapshot', {});
    const status = stabilizeStatus(after.state.clips[clipId]!, after.state.assets[asset.id], 'deshake');
    expect(status).toMatchObject({ state: 'analysed', method: 'deshake', previewPath: result.previewPath });

    const outPath = path.join(tmp, 'wasm.mp4');
    const exp = await waitJob((await api.call('export.start', { preset: '720p-draft', outPath, fit: 'fit', overwrite: false })).id);
    expect(exp.state, exp.error?.message).toBe('succeeded');
    expect((exp.result as { warnings?: string[] }).warnings).toEqual([DESHAKE_WARNING]);
    const v = (await ffprobeJson(outPath)).streams.find((x) => x.codec_type === 'video')!;
    expect(v).toMatchObject({ codec_name: 'h264', width: 1280, height: 720 });
    expect(Number(v.nb_frames)).toBe(30);

    const input = await measureMotion(shaky.path);
    // The export is the 16:9 picture scaled up: bring it back to the source size.
    const out = await measureMotion(outPath, { filter: 'scale=320:180' });
    const prev = await measureMotion(path.join(projectDir, result.previewPath));
    console.log(`[stabilize/deshake] mean motion px: input ${input.mean.toFixed(2)}, preview ${prev.mean.toFixed(2)} (${((100 * prev.mean) / input.mean).toFixed(1)}%), export ${out.mean.toFixed(2)} (${((100 * out.mean) / input.mean).toFixed(1)}%)`);
    expect(out.mean).toBeLessThanOrEqual(0.5 * input.mean);
    expect(prev.mean).toBeLessThanOrEqual(0.5 * input.mean);
  }, 240_000);
});
