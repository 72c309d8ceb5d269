/**
 * Content credentials on real exports, read back with the same library (c2pa-rs in wasm):
 * the manifest says what happened (created / placed / edited / resized / transcoded, the
 * generated take's backend, model, seed and prompt hash but not its prompt), the signature and
 * hashes validate, one flipped byte in the media data invalidates it, and an imported file
 * that carries its own manifest becomes an ingredient with that manifest inside ours.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Asset, ProjectState } from '../../../app/model/types.js';
import { DST, buildExportManifest } from '../../../app/provenance/manifest.js';
import { sha256Hex } from '../../../app/util/sha256.js';
import { runExport } from '../../../main/export/run-export.js';
import { installationRoot, loadCredentials } from '../../../main/provenance/credentials.js';
import { detectContentCredentials } from '../../../main/provenance/detect.js';
import { contentCredentialsStep } from '../../../main/provenance/export-step.js';
import { signFile } from '../../../main/provenance/sign.js';
import { formatReport, readCredentials, type CredentialsReport } from '../../../main/provenance/verify.js';
import { makeTempDir, makeTestVideo } from '../../helpers/media-fixtures.js';
import { assetFor, clip, native, project } from '../export/helpers.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let out: string;
let home: string;
let report: CredentialsReport;
let signedMs: number | undefined;

beforeAll(async () => {
  tmp = await makeTempDir('shotline-c2pa-');
  home = path.join(tmp.dir, 'home');
  const media = path.join(tmp.dir, 'media');
  fs.mkdirSync(media);
  await Promise.all([
    makeTestVideo({ path: path.join(media, 'gen.mp4'), seconds: 1.5, width: 320, height: 240, withAudio: true, toneHz: 440 }),
    makeTestVideo({ path: path.join(media, 'shot.mp4'), seconds: 1.5, width: 320, height: 240, withAudio: true, toneHz: 660 }),
    makeTestVideo({ path: path.join(tmp.dir, 'camera.mp4'), seconds: 1.5, width: 320, height: 240, withAudio: true, toneHz: 880 }),
  ]);
  // A file signed elsewhere (another installation: another key and root), as a camera or
  // another tool would deliver it; then "imported" (copied into media/ and detected).
  const other = await loadCredentials({ userDataDir: path.join(tmp.dir, 'other-home'), noKeychain: true });
  await signFile(path.join(tmp.dir, 'camera.mp4'), { definition: { claim_generator_info: [{ name: 'Camera app', version: '1' }], title: 'camera.mp4', format: 'video/mp4', assertions: [{ label: 'c2pa.actions.v2', data: { actions: [{ action: 'c2pa.created', digitalSourceType: DST.digitalCapture }] } }] }, ingredients: [] }, other);
  fs.copyFileSync(path.join(tmp.dir, 'camera.mp4'), path.join(media, 'camera.mp4'));
  const [gen, shot, cam] = await Promise.all([assetFor(tmp.dir, 'gen', 'media/gen.mp4'), assetFor(tmp.dir, 'shot', 'media/shot.mp4'), assetFor(tmp.dir, 'cam', 'media/camera.mp4')]);
  const generated: Asset = { ...gen, provenance: { source: 'generated', backend: 'local-onnx', model: 'shotline-tiny-v1', prompt: 'a lighthouse at dusk, secret', seed: 1234, parameters: {}, inputAssetIds: [], createdAt: '2026-11-26T10:00:00Z' } };
  const credentials = await detectContentCredentials(path.join(media, 'camera.mp4'), 'camera.mp4');
  const camera: Asset = { ...cam, provenance: { source: 'import', originalName: 'camera.mp4', importedAt: '2026-11-26T10:00:00Z', ...(credentials ? { contentCredentials: credentials } : {}) } };
  const state: ProjectState = project('Credentials', [generated, shot, camera], [
    clip('c1', 'v1', 'gen', 0, 0, 1),
    clip('c2', 'v1', 'shot', 1, 0.5, 1.5),
    clip('c3', 'v1', 'cam', 2, 0, 1),
  ]);
  out = path.join(tmp.dir, 'out.mp4');
  const result = await runExport({
    state,
    projectDir: tmp.dir,
    engine: await native(),
    presetId: '720p-draft',
    fit: 'fit',
    outPath: out,
    overwrite: false,
    afterEncode: contentCredentialsStep({ state, projectDir: tmp.dir, userDataDir: home, noKeychain: true, facts: { title: 'out.mp4', width: 1280, height: 720, fit: 'fit', presetId: '720p-draft', watermark: 'none', appVersion: 'test', includePrompts: false } }),
  });
  expect(result.warnings ?? []).toEqual([]);
  signedMs = result.signedMs;
  report = await readCredentials(out, [installationRoot(home)!]);
}, 180_000);

afterAll(async () => {
  await tmp?.cleanup();
});

describe('C2PA-signed export', () => {
  it('validates, and is trusted by the installation that signed it', () => {
    expect(signedMs).toBeGreaterThan(0);
    expect(report.state).toBe('Trusted');
    expect(report.failures).toEqual([]);
    expect(report.manifests[0]!.signer).toMatch(/Shotline installation/);
  });

  it('says what happened in the standard vocabulary', () => {
    const actions = report.manifests[0]!.actions;
    expect(actions[0]).toMatchObject({ action: 'c2pa.created', digitalSourceType: DST.compositeTrained });
    expect(actions.map((a) => a.action)).toEqual(['c2pa.created', 'c2pa.placed', 'c2pa.placed', 'c2pa.placed', 'c2pa.edited', 'c2pa.trimmed', 'c2pa.resized', 'c2pa.transcoded']);
    const genPlaced = actions.find((a) => a.digitalSourceType === DST.trained)!;
    expect(genPlaced.parameters!['com.shotline.generation']).toEqual({ backend: 'local-onnx', model: 'shotline-tiny-v1', seed: 1234, promptSha256: sha256Hex('a lighthouse at dusk, secret'), createdAt: '2026-11-26T10:00:00Z' });
    expect(JSON.stringify(report)).not.toContain('lighthouse');
  });

  it('lists every used file as an ingredient; the signed import keeps its own manifest', () => {
    const ings = report.manifests[0]!.ingredients;
    expect(ings.map((i) => [i.title, i.relationship])).toEqual([['gen.mp4', 'componentOf'], ['shot.mp4', 'componentOf'], ['camera.mp4', 'componentOf']]);
    const cam = ings.find((i) => i.title === 'camera.mp4')!;
    expect(cam.activeManifest).toBeTruthy();
    const inner = report.manifests.find((m) => m.label === cam.activeManifest)!;
    expect(inner.claimGenerator).toBe('Camera app 1');
    expect(inner.actions[0]).toMatchObject({ action: 'c2pa.created', digitalSourceType: DST.digitalCapture });
    expect(formatReport(out, report)).toMatch(/ingredient "camera.mp4" \(componentOf\) with its own manifest/);
  });

  it('reads as valid but untrusted where the installation root is not known', async () => {
    const elsewhere = await readCredentials(out);
    expect(elsewhere.state).toBe('Valid');
    expect(elsewhere.failures.map((f) => f.code)).toEqual(['signingCredential.untrusted']);
  });

  it('is invalid after one byte of the media data changes', async () => {
    const bytes = fs.readFileSync(out);
    const mdat = bytes.indexOf(Buffer.from('mdat'));
    expect(mdat).toBeGreaterThan(0);
    const at = mdat + 4 + 1000;
    bytes[at] = bytes[at]! ^ 0x01;
    const tampered = path.join(tmp.dir, 'tampered.mp4');
    fs.writeFileSync(tampered, bytes);
    const r = await readCredentials(tampered, [installationRoot(home)!]);
    expect(r.state).toBe('Invalid');
    expect(r.failures.map((f) => f.code)).toContain('assertion.bmffHash.mismatch');
  });

  it('`shotline verify` prints the chain and sets the exit status', () => {
    // One process per expected exit status (each start compiles the CLI through tsx: slow on a busy machine).
    const cli = (...files: string[]) => spawnSync(process.execPath, [path.resolve('bin/shotline.mjs'), 'verify', ...files], { env: { ...process.env, SHOTLINE_HOME: home }, encoding: 'utf8' });
    const good = cli(out);
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(/content credentials valid, signer trusted/);
    expect(good.stdout).toMatch(/action c2pa.created \[compositeWithTrainedAlgorithmicMedia\]/);
    expect(good.stdout).toMatch(/Ingredient manifest .*\n.*generator: Camera app 1/);
    const bad = cli(path.join(tmp.dir, 'tampered.mp4'), path.join(tmp.dir, 'media', 'shot.mp4'));
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/tampered\.mp4: content credentials INVALID[\s\S]*assertion\.bmffHash\.mismatch/);
    expect(bad.stdout).toMatch(/shot\.mp4: no content credentials/);
  }, 240_000);

  it('detects imported files with and without a manifest (the media bin badge)', async () => {
    expect(await detectContentCredentials(path.join(tmp.dir, 'camera.mp4'), 'camera.mp4')).toMatchObject({ state: 'Valid', claimGenerator: 'Camera app 1' });
    expect(await detectContentCredentials(path.join(tmp.dir, 'media', 'shot.mp4'), 'shot.mp4')).toBeUndefined();
  });

  it('keeps the installation key out of the project and readable only by its owner', () => {
    const keyFile = path.join(home, 'provenance', 'signing-key.pem');
    expect(fs.statSync(keyFile).mode & 0o077).toBe(0);
    expect(fs.readdirSync(tmp.dir).some((f) => f.endsWith('.pem'))).toBe(false);
    expect(buildExportManifest).toBeTypeOf('function');
  });
});
