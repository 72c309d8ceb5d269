/**
 * OTIO in, through the services (same dispatcher and schemas as every transport), with real
 * media: Shotline's own OTIO round-trips into a new project with the same cuts; media moved
 * elsewhere is relinked by file name in a picked folder; missing media and a broken file are
 * reported, never half-created.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import type { ProjectState } from '../../../app/model/types.js';
import { secondsToFlicks as s } from '../../../app/time/flicks.js';
import { clipsOnTrack, tracksOfKind } from '../../../app/timeline/query.js';
import { DEFAULT_SPEED } from '../../../app/model/timing.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { makeTestAudio, makeTestVideo } from '../../helpers/media-fixtures.js';

let tmp: string;
let services: ShotlineServices;
let api: ShotlineClient;
let original: ProjectState;

/** Every clip as [track kind, track order, start, in, out, speed] with asset names, in timeline order. */
function cuts(st: ProjectState) {
  return (['video', 'audio'] as const).flatMap((kind) =>
    tracksOfKind(st, kind).flatMap((t, i) =>
      clipsOnTrack(st, t.id).map((c) => [kind, i, st.assets[c.assetId]!.name, c.startFlicks, c.inFlicks, c.outFlicks, c.effects.speed ? [c.effects.speed.rate, c.effects.speed.reverse] : null]),
    ),
  );
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-otio-in-'));
  services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home') });
  api = inProcessClient(services);
  const src = path.join(tmp, 'src');
  fs.mkdirSync(src);
  const a = await makeTestVideo({ path: path.join(src, 'alpha.mp4'), seconds: 2, width: 320, height: 240, withAudio: true, toneHz: 440 });
  const b = await makeTestVideo({ path: path.join(src, 'beta.mov'), seconds: 3, width: 320, height: 240, withAudio: true, toneHz: 880 });
  const m = await makeTestAudio({ path: path.join(src, 'music.wav'), seconds: 2 } as never);
  const snap = await api.call('project.create', { dir: path.join(tmp, 'orig'), name: 'Orig' });
  const imported = await api.call('assets.import', { files: [{ path: a }, { path: b }, { path: m }] });
  const [va, vb, am] = imported.imported;
  const v1 = tracksOfKind(snap.state, 'video')[0]!.id;
  const a1 = tracksOfKind(snap.state, 'audio')[0]!.id;
  await api.call('edit.apply', { command: 'clip.add', args: { trackId: v1, assetId: va!.id, startFlicks: 0, inFlicks: s(0.5), outFlicks: s(1.5) } });
  const added = await api.call('edit.apply', { command: 'clip.add', args: { trackId: v1, assetId: vb!.id, startFlicks: s(1.5), inFlicks: 0, outFlicks: s(2) } });
  const fastId = Object.keys(added.patch.clips!)[0]!;
  await api.call('edit.apply', { command: 'clip.setSpeed', args: { clipId: fastId, speed: { ...DEFAULT_SPEED, rate: 2 }, ripple: false } });
  await api.call('edit.apply', { command: 'clip.add', args: { trackId: v1, assetId: va!.id, startFlicks: s(2.5), inFlicks: s(1), outFlicks: s(2) } });
  const back = Object.values((await api.call('project.snapshot', {})).state.clips).find((c) => c.startFlicks === s(2.5))!;
  await api.call('edit.apply', { command: 'clip.setSpeed', args: { clipId: back.id, speed: { ...DEFAULT_SPEED, reverse: true }, ripple: false } });
  // The pictures' linked sound fills A1 where they are: the music goes on the first free audio track.
  await api.call('edit.apply', { command: 'clip.add', args: { assetId: am!.id, startFlicks: s(0.3), inFlicks: 0, outFlicks: s(1) } });
  original = (await api.call('project.snapshot', {})).state;
  fs.mkdirSync(path.join(tmp, 'out'));
  await api.call('export.interchange', { format: 'otio', outPath: path.join(tmp, 'out', 'cut.otio') });
  fs.mkdirSync(path.join(tmp, 'handoff'));
  await api.call('export.interchange', { format: 'otio', outPath: path.join(tmp, 'handoff', 'cut.otio'), copyMedia: true });
}, 120_000);

afterAll(async () => {
  await services.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('OTIO import', () => {
  it('round-trips Shotline’s own OTIO into a new project with the same cuts, speeds and media', async () => {
    const { snapshot, report } = await api.call('project.importOtio', { file: path.join(tmp, 'out', 'cut.otio'), dir: path.join(tmp, 'round') });
    // Three pictures, their three linked sounds on A1, the music on A2.
    expect(cuts(original)).toHaveLength(7);
    expect(cuts(snapshot.state)).toEqual(cuts(original));
    // OTIO carries no links: they are inferred again, so no picture is heard twice.
    const pictures = Object.values(snapshot.state.clips).filter((c) => snapshot.state.tracks[c.trackId]!.kind === 'video');
    expect(pictures.every((c) => c.audioDetached && c.linkId)).toBe(true);
    expect(snapshot.state.settings).toMatchObject({ name: 'Orig', fps: { num: 30, den: 1 } });
    expect(report.relinked).toEqual({ byPath: 3, byName: [] });
    expect(report.missing).toEqual([]);
    // The media is the same bytes, imported into the new project.
    const sha = (st: ProjectState) => Object.values(st.assets).map((x) => x.sha256).sort();
    expect(sha(snapshot.state)).toEqual(sha(original));
    expect(fs.readdirSync(path.join(tmp, 'round', 'media')).filter((f) => /^[a-f0-9]{64}\./.test(f))).toHaveLength(3);
  });

  it('relinks media moved elsewhere by file name inside the picked folder', async () => {
    const moved = path.join(tmp, 'elsewhere', 'deep', 'er');
    fs.mkdirSync(path.dirname(moved), { recursive: true });
    fs.renameSync(path.join(tmp, 'handoff', 'cut media'), moved);
    const missing = await api.call('project.importOtio', { file: path.join(tmp, 'handoff', 'cut.otio'), dir: path.join(tmp, 'nomedia') });
    expect(missing.report.missing).toHaveLength(3);
    expect(Object.keys(missing.snapshot.state.clips)).toHaveLength(0);
    expect(missing.report.dropped.join(' ')).toMatch(/7 clips left out: media not found \(3 files\)/);

    const { snapshot, report } = await api.call('project.importOtio', { file: path.join(tmp, 'handoff', 'cut.otio'), dir: path.join(tmp, 'relinked'), searchDir: path.join(tmp, 'elsewhere') });
    expect(report.relinked.byName).toHaveLength(3);
    expect(report.relinked.byName.every((l) => l.includes(moved))).toBe(true);
    expect(cuts(snapshot.state)).toEqual(cuts(original));
  });

  it('refuses a broken file before creating anything', async () => {
    const bad = path.join(tmp, 'bad.otio');
    fs.writeFileSync(bad, '{"OTIO_SCHEMA": "Timeline.1", "tracks": 3}');
    await expect(api.call('project.importOtio', { file: bad, dir: path.join(tmp, 'never') })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/bad\.otio: .*no track stack/) });
    expect(fs.existsSync(path.join(tmp, 'never'))).toBe(false);
  });
});
