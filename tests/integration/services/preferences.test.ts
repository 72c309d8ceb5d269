/**
 * App preferences through the real services: an ffmpeg is tried before it is saved and then
 * really runs the app's media work; a models folder is scanned for packs; a forced execution
 * provider is what generation reports (or a clear error when it cannot load); everything
 * survives a restart, and a refused value changes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import type { ShotlineError } from '../../../app/errors.js';
import type { Job } from '../../../app/jobs/types.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { shippedModelsDir } from '../../../main/backends/registry.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { makeTestVideo } from '../../helpers/media-fixtures.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-prefs-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function refused(p: Promise<unknown>): Promise<ShotlineError> {
  return p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: ShotlineError) => e,
  );
}

async function waitJobs(api: ShotlineClient): Promise<Job[]> {
  for (;;) {
    const jobs = await api.call('jobs.list', {});
    if (jobs.every((j) => ['succeeded', 'failed', 'canceled'].includes(j.state))) return jobs;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const hasPack = fs.existsSync(path.join(shippedModelsDir(), 'shotline-shapes-tiny', 'manifest.json'));

describe('preferences', () => {
  it('ffmpeg: tried before saving, then used for the media work; clearing goes back to the one found', async () => {
    const home = path.join(tmp, 'home-ffmpeg');
    const services = await ShotlineServices.create({ transport: 'in-process', userDataDir: home });
    const api = inProcessClient(services);
    try {
      const first = await api.call('prefs.get', {});
      expect(first.preferences).toEqual({ ffmpegPath: null, userModelsDir: null, executionProvider: 'auto' });
      const found = first.engine.path;
      expect(first.engine.kind).toBe('native');

      // Not an ffmpeg: refused, nothing saved.
      const notes = path.join(tmp, 'notes.txt');
      fs.writeFileSync(notes, 'hello');
      const e1 = await refused(api.call('prefs.set', { ffmpegPath: notes, confirmFfmpegPath: notes }));
      expect(e1.code).toBe('invalid_input');
      expect(e1.message).toBe(`"${notes}" is not a working ffmpeg (it did not run and print an ffmpeg version).`);
      const e2 = await refused(api.call('prefs.set', { ffmpegPath: path.join(tmp, 'nope', 'ffmpeg'), confirmFfmpegPath: path.join(tmp, 'nope', 'ffmpeg') }));
      expect(e2.message).toMatch(/^There is no file at /);
      expect((await api.call('prefs.get', {})).preferences.ffmpegPath).toBeNull();

      // A working ffmpeg elsewhere (a wrapper that logs each run): saved, and the app's jobs run it.
      const bin = path.join(tmp, 'my-ffmpeg');
      fs.mkdirSync(bin);
      const wrapper = path.join(bin, 'ffmpeg');
      const log = path.join(tmp, 'wrapper.log');
      fs.writeFileSync(wrapper, `#!/bin/sh\necho run >> "${log}"\nexec "${found}" "$@"\n`, { mode: 0o755 });
      // Shotline would run it: without the path typed a second time it is refused, and not even tried.
      for (const confirm of [undefined, '', `${wrapper}x`, path.join(bin, 'ffmpeg2')]) {
        const e = await refused(api.call('prefs.set', { ffmpegPath: wrapper, ...(confirm === undefined ? {} : { confirmFfmpegPath: confirm }) }));
        expect(e.code).toBe('confirmation_required');
        expect(e.message).toMatch(/Type the path a second time/);
      }
      expect(fs.existsSync(log)).toBe(false);
      const set = await api.call('prefs.set', { ffmpegPath: wrapper, confirmFfmpegPath: ` ${wrapper} ` });
      expect(set.preferences.ffmpegPath).toBe(wrapper);
      expect(set.engine.path).toBe(wrapper);
      expect((await api.call('app.info', {})).engine.path).toBe(wrapper);
      const runsBefore = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0;
      await api.call('project.create', { dir: path.join(tmp, 'film'), name: 'Prefs' });
      const clip = await makeTestVideo({ path: path.join(tmp, 'clip.mp4'), seconds: 1, width: 160, height: 90, withAudio: true });
      await api.call('assets.import', { files: [{ path: clip }] });
      const jobs = await waitJobs(api);
      expect(jobs.filter((j) => j.state === 'succeeded').length).toBeGreaterThanOrEqual(2); // filmstrip + peaks
      const runsAfter = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
      expect(runsAfter).toBeGreaterThan(runsBefore);

      const cleared = await api.call('prefs.set', { ffmpegPath: null });
      expect(cleared.preferences.ffmpegPath).toBeNull();
      expect(cleared.engine.path).toBe(found);
    } finally {
      await services.shutdown();
    }
  }, 120_000);

  it('rejects unknown keys and values at the bridge', async () => {
    const services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home-schema') });
    const api = inProcessClient(services);
    try {
      expect((await refused(api.call('prefs.set', { colour: 'red' } as never))).code).toBe('invalid_input');
      expect((await refused(api.call('prefs.set', { executionProvider: 'tpu' } as never))).code).toBe('invalid_input');
    } finally {
      await services.shutdown();
    }
  });

  it.skipIf(!hasPack)('models folder and execution provider: scanned, forced, and kept across a restart', async () => {
    const home = path.join(tmp, 'home-models');
    let services = await ShotlineServices.create({ transport: 'in-process', userDataDir: home });
    let api = inProcessClient(services);
    try {
      const e = await refused(api.call('prefs.set', { userModelsDir: path.join(tmp, 'no-such-models') }));
      expect(e.message).toBe(`The models folder "${path.join(tmp, 'no-such-models')}" does not exist.`);

      // A user folder with a working pack (the shipped one under another name) and a broken one.
      const models = path.join(tmp, 'my-models');
      fs.cpSync(path.join(shippedModelsDir(), 'shotline-shapes-tiny'), path.join(models, 'my-shapes'), { recursive: true });
      const mf = path.join(models, 'my-shapes', 'manifest.json');
      fs.writeFileSync(mf, JSON.stringify({ ...JSON.parse(fs.readFileSync(mf, 'utf8')), name: 'my-shapes', display_name: 'My shapes' }));
      fs.mkdirSync(path.join(models, 'half-copied'));
      fs.writeFileSync(path.join(models, 'half-copied', 'manifest.json'), '{"format": "shotline-model-pack", ');
      const set = await api.call('prefs.set', { userModelsDir: models, executionProvider: 'cpu' });
      expect(set.modelDirs).toContain(models);
      let backends = await api.call('generation.backends', {});
      const mine = backends.find((b) => b.model.name === 'my-shapes')!;
      expect(mine).toMatchObject({ status: 'ready', executionProvider: 'cpu', location: path.join(models, 'my-shapes') });
      const broken = backends.find((b) => b.location === path.join(models, 'half-copied'))!;
      expect(broken.status).toBe('error');

      // CUDA cannot load on this machine: forced, it is an error that says so; auto falls back to the CPU.
      await api.call('prefs.set', { executionProvider: 'cuda' });
      backends = await api.call('generation.backends', {});
      const cuda = backends.find((b) => b.model.name === 'shotline-shapes-tiny')!;
      expect(cuda.status).toBe('error');
      expect(cuda.error?.message).toMatch(/CUDA/);
      await api.call('prefs.set', { executionProvider: 'cpu' });

      await services.shutdown();
      services = await ShotlineServices.create({ transport: 'in-process', userDataDir: home });
      api = inProcessClient(services);
      expect((await api.call('prefs.get', {})).preferences).toEqual({ ffmpegPath: null, userModelsDir: models, executionProvider: 'cpu' });
      backends = await api.call('generation.backends', {});
      expect(backends.find((b) => b.model.name === 'my-shapes')).toMatchObject({ status: 'ready', executionProvider: 'cpu' });
    } finally {
      await services.shutdown();
    }
  }, 180_000);
});
