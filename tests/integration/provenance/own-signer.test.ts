/**
 * A user can sign exports with their own certificate (`shotline signer --cert --key`): the
 * CLI checks the pair before keeping it, later signing uses it (a reader that trusts the
 * user's CA says Trusted, one that does not says Valid with an untrusted signer), a key that
 * does not belong to the certificate is refused without changing the choice, and
 * `--installation` goes back to this installation's own certificate.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DST } from '../../../app/provenance/manifest.js';
import { loadCredentials, useInstallationCredentials } from '../../../main/provenance/credentials.js';
import { signFile } from '../../../main/provenance/sign.js';
import { readCredentials } from '../../../main/provenance/verify.js';
import { makeTempDir, makeTestVideo } from '../../helpers/media-fixtures.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let home: string;
const f = (name: string) => path.join(tmp.dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: tmp.dir, stdio: 'pipe' });

/** A CA and a signing certificate it issues, as a studio's own PKI would (P-256, emailProtection EKU). */
function makeUserPki(): void {
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key');
  openssl('req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=Harbour Films CA/O=Harbour Films', '-days', '30', '-sha256', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', 'ca.pem');
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'signer.key');
  openssl('req', '-new', '-key', 'signer.key', '-subj', '/CN=Harbour Films signer/O=Harbour Films', '-out', 'signer.csr');
  fs.writeFileSync(f('ext.cnf'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=emailProtection\n');
  openssl('x509', '-req', '-in', 'signer.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '30', '-sha256', '-extfile', 'ext.cnf', '-out', 'signer.pem');
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'stranger.key');
}

const cli = (...args: string[]) => spawnSync(process.execPath, [path.resolve('bin/shotline.mjs'), 'signer', ...args], { env: { ...process.env, SHOTLINE_HOME: home, SHOTLINE_NO_KEYCHAIN: '1' }, encoding: 'utf8' });

beforeAll(async () => {
  tmp = await makeTempDir('shotline-signer-');
  home = f('home');
  makeUserPki();
  await makeTestVideo({ path: f('clip.mp4'), seconds: 1, width: 160, height: 120 });
});
afterAll(() => tmp.cleanup());

describe('shotline signer', () => {
  it('uses the user\'s certificate once the CLI has checked it, and refuses a key that is not its own', async () => {
    const set = cli('--cert', f('signer.pem'), '--key', f('signer.key'));
    expect(set.status, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/your own certificate/);
    expect(set.stdout).toMatch(/Harbour Films signer/);

    const creds = await loadCredentials({ userDataDir: home, noKeychain: true });
    expect(creds.source).toBe('user');
    await signFile(f('clip.mp4'), { definition: { claim_generator_info: [{ name: 'Shotline', version: 'test' }], title: 'clip.mp4', format: 'video/mp4', assertions: [{ label: 'c2pa.actions.v2', data: { actions: [{ action: 'c2pa.created', digitalSourceType: DST.digitalCapture }] } }] }, ingredients: [] }, creds);
    const trusted = await readCredentials(f('clip.mp4'), [fs.readFileSync(f('ca.pem'), 'utf8')]);
    expect(trusted.state).toBe('Trusted');
    const stranger = await readCredentials(f('clip.mp4'));
    expect(stranger.state).toBe('Valid');
    expect(stranger.failures.map((x) => x.code)).toEqual(['signingCredential.untrusted']);

    const wrong = cli('--cert', f('signer.pem'), '--key', f('stranger.key'));
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/does not belong to the first certificate/);
    expect((await loadCredentials({ userDataDir: home, noKeychain: true })).subject).toMatch(/Harbour Films signer/);
  }, 240_000);

  it('goes back to the installation\'s own certificate', async () => {
    await useInstallationCredentials(home);
    const creds = await loadCredentials({ userDataDir: home, noKeychain: true });
    expect(creds.source).toBe('installation');
    expect(creds.subject).not.toMatch(/Harbour Films/);
  });
});
