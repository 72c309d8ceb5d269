/**
 * Color through the API (in-process client, the same dispatcher and schemas as every
 * transport): .cube import by path, grade and presets as undoable edits, and both surviving a
 * reopen of the project (settings JSON and clip effects in the project file).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import { tracksOfKind } from '../../../app/timeline/query.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { randomGrade, tealOrangeCube } from '../../helpers/color.js';
import { makeTestVideo } from '../../helpers/media-fixtures.js';

let tmp: string;
let services: ShotlineServices;
let api: ShotlineClient;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-color-api-'));
  services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home') });
  api = inProcessClient(services);
});

afterAll(async () => {
  await services.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('color through the API', () => {
  it('imports a .cube, grades, saves a preset, undoes, and keeps it all across a reopen', async () => {
    const dir = path.join(tmp, 'film');
    await api.call('project.create', { dir, name: 'Film' });
    const video = await makeTestVideo({ path: path.join(tmp, 'a.mp4'), seconds: 1 });
    const imported = await api.call('assets.import', { files: [{ path: video }] });
    const asset = imported.imported[0]!;
    let snap = await api.call('project.snapshot', {});
    const v1 = tracksOfKind(snap.state, 'video')[0]!;
    await api.call('edit.apply', { command: 'clip.add', args: { trackId: v1.id, assetId: asset.id, startFlicks: 0 } });
    snap = await api.call('project.snapshot', {});
    const clipId = Object.keys(snap.state.clips)[0]!;

    const bad = path.join(tmp, 'bad.cube');
    fs.writeFileSync(bad, 'TITLE "x"\nLUT_3D_SIZE 2\nDOMAIN_MIN 0 0 0\n0 0 0\n');
    await expect(api.call('color.importLut', { file: { path: bad } })).rejects.toThrow('"bad.cube" is not a usable .cube LUT: line 4: missing values: LUT_3D_SIZE 2 needs 8 data lines, found 1.');
    expect(fs.existsSync(path.join(dir, 'media/luts'))).toBe(false);

    const cube = path.join(tmp, 'look.cube');
    fs.writeFileSync(cube, tealOrangeCube(17));
    const lut = await api.call('color.importLut', { file: { path: cube } });
    expect(fs.existsSync(path.join(dir, lut.path))).toBe(true);
    const grade = randomGrade(5, lut);
    await api.call('edit.apply', { command: 'clip.setGrade', args: { clipId, grade } });
    await api.call('edit.apply', { command: 'gradePreset.save', args: { name: 'Look', grade } });
    // A foreign LUT path is refused by the schema at the API boundary.
    await expect(api.call('edit.apply', { command: 'clip.setGrade', args: { clipId, grade: { ...grade, lut: { ...lut, path: '../../secret.cube' } } } })).rejects.toThrow(/lut\.path/);

    await api.call('edit.undo', {});
    expect((await api.call('project.snapshot', {})).state.settings.gradePresets ?? []).toEqual([]);
    await api.call('edit.redo', {});

    await api.call('project.close', {});
    snap = await api.call('project.open', { dir });
    expect(snap.state.clips[clipId]!.effects.color).toEqual(grade);
    expect(snap.state.settings.gradePresets).toEqual([{ id: expect.any(String), name: 'Look', grade }]);
    expect(snap.history.undoLabel).toBe('Save grade preset');
  });
});
