/**
 * Content credentials through the services (the path the app and CLI take): importing a signed
 * file records its credentials on the asset (the media bin badge), and the export job signs its
 * MP4 with that file as an ingredient carrying its own manifest.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import type { Job } from '../../../app/jobs/types.js';
import { secondsToFlicks as s } from '../../../app/time/flicks.js';
import { tracksOfKind } from '../../../app/timeline/query.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { installationRoot, loadCredentials } from '../../../main/provenance/credentials.js';
import { signFile } from '../../../main/provenance/sign.js';
import { readCredentials } from '../../../main/provenance/verify.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { makeTestVideo } from '../../helpers/media-fixtures.js';

let tmp: string;
let services: ShotlineServices;
let api: ShotlineClient;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-c2pa-svc-'));
  process.env.SHOTLINE_NO_KEYCHAIN = '1';
  services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home') });
  api = inProcessClient(services);
  await makeTestVideo({ path: path.join(tmp, 'signed.mp4'), seconds: 1, width: 320, height: 240, withAudio: true });
  const other = await loadCredentials({ userDataDir: path.join(tmp, 'other'), noKeychain: true });
  await signFile(path.join(tmp, 'signed.mp4'), { definition: { claim_generator_info: [{ name: 'Elsewhere', version: '2' }], title: 'signed.mp4', format: 'video/mp4', assertions: [{ label: 'c2pa.actions.v2', data: { actions: [{ action: 'c2pa.created', digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture' }] } }] }, ingredients: [] }, other);
}, 60_000);

afterAll(async () => {
  await services.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function waitJob(id: string): Promise<Job> {
  for (;;) {
    const j = (await api.call('jobs.list', {})).find((x) => x.id === id)!;
    if (['succeeded', 'failed', 'canceled'].includes(j.state)) return j;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('content credentials through the services', () => {
  it('badges a signed import and carries it as an ingredient of the next export', async () => {
    const snap = await api.call('project.create', { dir: path.join(tmp, 'film'), name: 'Film' });
    const { imported } = await api.call('assets.import', { files: [{ path: path.join(tmp, 'signed.mp4') }] });
    const asset = imported[0]!;
    expect(asset.provenance).toMatchObject({ source: 'import', contentCredentials: { state: 'Valid', claimGenerator: 'Elsewhere 2' } });
    const v1 = tracksOfKind(snap.state, 'video')[0]!.id;
    await api.call('edit.apply', { command: 'clip.add', args: { trackId: v1, assetId: asset.id, startFlicks: 0, inFlicks: 0, outFlicks: s(1) } });
    const outPath = path.join(tmp, 'film', 'exports', 'film.mp4');
    const job = await waitJob((await api.call('export.start', { preset: '720p-draft', outPath })).id);
    expect(job.state).toBe('succeeded');
    expect((job.result as { signedMs?: number }).signedMs).toBeGreaterThan(0);
    const r = await readCredentials(outPath, [installationRoot(path.join(tmp, 'home'))!]);
    expect(r.state).toBe('Trusted');
    const ing = r.manifests[0]!.ingredients;
    expect(ing).toHaveLength(1);
    expect(ing[0]!.activeManifest).toBeTruthy();
    expect(r.manifests.find((m) => m.label === ing[0]!.activeManifest)?.claimGenerator).toBe('Elsewhere 2');
    expect(r.manifests[0]!.actions[0]).toMatchObject({ action: 'c2pa.created', digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/composite' });
  }, 120_000);
});
