/**
 * This installation's signing credentials for content credentials (C2PA), made at first use:
 * a root certificate (the installation's own CA, self-signed) and an end-entity certificate
 * it issues, with an ES256 (ECDSA P-256) key. C2PA refuses self-signed end-entity certificates,
 * hence the two levels. Neither is on a public trust list: readers elsewhere say "valid, signer
 * not trusted"; Shotline itself trusts its own root.
 *
 * Storage: the certificates are public and live in `<userData>/provenance/`. The private key
 * goes to the OS keychain (@napi-rs/keyring, service "Shotline"); where there is none (a
 * headless Linux without a Secret Service), it is written to `<userData>/provenance/signing-key.pem`
 * with mode 0600 in a 0700 folder — the ssh-key convention — and `keyStorage` says so. It is
 * never written to SQLite, a log or the renderer.
 *
 * A user may use their own certificate and key instead (`useOwnCredentials`): a PEM chain
 * (end-entity first) and a PEM PKCS#8 EC key on P-256.
 */
import './reflect-metadata.js';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as X509 from '@peculiar/x509';
import { ShotlineError } from '../../app/errors.js';

let x509Loaded: Promise<typeof X509> | null = null;
/**
 * @peculiar/x509, loaded on first use and only after the Reflect polyfill above has run. A static
 * import would not do: in the CLI's ESM bundle (build/build-cli.mjs) imports of packages are
 * hoisted above our inlined modules, so tsyringe would load before its polyfill and throw.
 */
function x509Lib(): Promise<typeof X509> {
  return (x509Loaded ??= import('@peculiar/x509').then((x509) => {
    x509.cryptoProvider.set(crypto.webcrypto as unknown as Crypto);
    return x509;
  }));
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const KEYCHAIN_SERVICE = 'Shotline';
/** EKU C2PA accepts for claim signing: id-kp-emailProtection (the one c2patool's test certs use). */
const EKU_EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';

export interface SigningCredentials {
  /** End-entity certificate first, then any intermediates (DER). */
  chainDer: Uint8Array[];
  /** Root to trust when Shotline reads its own files (PEM); null for user credentials without one. */
  rootPem: string | null;
  privateKey: crypto.KeyObject;
  source: 'installation' | 'user';
  keyStorage: 'keychain' | 'file' | 'user-file';
  /** Subject of the end-entity certificate, for the UI ("Signed by …"). */
  subject: string;
}

interface KeyStore {
  kind: 'keychain' | 'file';
  get(): Promise<string | null>;
  set(pem: string): Promise<void>;
}

function keychainStore(account: string): KeyStore | null {
  try {
    // Loaded lazily: the native module is optional at run time (absent on some platforms).
    const { AsyncEntry } = createRequire(import.meta.url)('@napi-rs/keyring') as typeof import('@napi-rs/keyring');
    const entry = new AsyncEntry(KEYCHAIN_SERVICE, account);
    return { kind: 'keychain', get: () => entry.getPassword().then((v) => v ?? null), set: (pem) => entry.setPassword(pem) };
  } catch {
    return null;
  }
}

function fileStore(file: string): KeyStore {
  return {
    kind: 'file',
    get: async () => (fs.existsSync(file) ? fs.promises.readFile(file, 'utf8') : null),
    set: async (pem) => {
      await fs.promises.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.tmp-${process.pid}`;
      await fs.promises.writeFile(tmp, pem, { mode: 0o600 });
      await fs.promises.rename(tmp, file);
    },
  };
}

function pemOf(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.trim()}\n-----END ${label}-----\n`;
}

async function makeInstallationCertificates(): Promise<{ rootPem: string; leafPem: string; keyPem: string }> {
  const x509 = await x509Lib();
  const subtle = crypto.webcrypto.subtle;
  const rootKeys = (await subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const leafKeys = (await subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const id = crypto.randomBytes(4).toString('hex');
  const notBefore = new Date(Date.now() - 5 * 60_000);
  const notAfter = new Date(Date.now() + 10 * 365 * 86_400_000);
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: crypto.randomBytes(8).toString('hex'),
    name: `CN=Shotline installation ${id} root, O=Shotline (self-issued; not on a public trust list)`,
    notBefore,
    notAfter,
    signingAlgorithm: ALG,
    keys: rootKeys,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true), await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey)],
  });
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: crypto.randomBytes(8).toString('hex'),
    subject: `CN=Shotline installation ${id}, O=Shotline (self-issued; not on a public trust list)`,
    issuer: root.subject,
    notBefore,
    notAfter,
    signingAlgorithm: ALG,
    publicKey: leafKeys.publicKey,
    signingKey: rootKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([EKU_EMAIL_PROTECTION], false),
      await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  // The root's private key is not kept: the installation never issues a second certificate.
  const keyPem = pemOf(await subtle.exportKey('pkcs8', leafKeys.privateKey), 'PRIVATE KEY');
  return { rootPem: root.toString('pem'), leafPem: leaf.toString('pem'), keyPem };
}

export interface CredentialOptions {
  userDataDir: string;
  /** Tests and headless hosts: skip the keychain and use the 0600 file. */
  noKeychain?: boolean;
}

function paths(userDataDir: string) {
  const dir = path.join(userDataDir, 'provenance');
  return { dir, root: path.join(dir, 'root.pem'), leaf: path.join(dir, 'certificate.pem'), keyFile: path.join(dir, 'signing-key.pem'), user: path.join(dir, 'user-signer.json') };
}

interface ParsedCert {
  der: Uint8Array;
  /** "CN=…, O=…" for display. */
  subject: string;
  spkiDer: Buffer;
}

/**
 * The certificates of a PEM file, parsed by Node's own X.509 reader: every export reads the
 * installation's certificate, and loading @peculiar/x509 for that cost ~0.5 s of CPU per export
 * (docs/benchmarks.md); @peculiar/x509 is only needed to make certificates.
 */
function chainFromPem(pem: string): ParsedCert[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => {
    const c = new crypto.X509Certificate(b);
    return { der: new Uint8Array(c.raw), subject: c.subject.split('\n').join(', '), spkiDer: c.publicKey.export({ type: 'spki', format: 'der' }) };
  });
}

/** The signer to use: the user's own if configured, else this installation's (made now if missing). */
export async function loadCredentials(opts: CredentialOptions): Promise<SigningCredentials> {
  const p = paths(opts.userDataDir);
  if (fs.existsSync(p.user)) {
    const cfg = JSON.parse(await fs.promises.readFile(p.user, 'utf8')) as { certPath: string; keyPath: string };
    return readUserCredentials(cfg.certPath, cfg.keyPath);
  }
  const account = `c2pa-signing-key:${path.resolve(opts.userDataDir)}`;
  const keychain = opts.noKeychain || process.env.SHOTLINE_NO_KEYCHAIN === '1' ? null : keychainStore(account);
  const file = fileStore(p.keyFile);
  let keyPem: string | null = null;
  let storage: KeyStore = file;
  if (keychain) {
    try {
      keyPem = await keychain.get();
      storage = keychain;
    } catch {
      storage = file; // "Couldn't access platform storage": no keychain on this host
    }
  }
  keyPem ??= await file.get();
  if (keyPem && fs.existsSync(p.leaf) && fs.existsSync(p.root)) {
    const leaf = chainFromPem(await fs.promises.readFile(p.leaf, 'utf8'));
    return { chainDer: leaf.map((c) => c.der), rootPem: await fs.promises.readFile(p.root, 'utf8'), privateKey: crypto.createPrivateKey(keyPem), source: 'installation', keyStorage: storage.kind, subject: leaf[0]!.subject };
  }
  const made = await makeInstallationCertificates();
  await fs.promises.mkdir(p.dir, { recursive: true, mode: 0o700 });
  try {
    await storage.set(made.keyPem);
  } catch {
    storage = file;
    await file.set(made.keyPem);
  }
  await fs.promises.writeFile(p.root, made.rootPem);
  await fs.promises.writeFile(p.leaf, made.leafPem);
  const [leaf] = chainFromPem(made.leafPem);
  return { chainDer: [leaf!.der], rootPem: made.rootPem, privateKey: crypto.createPrivateKey(made.keyPem), source: 'installation', keyStorage: storage.kind, subject: leaf!.subject };
}

/** Checks a user's certificate chain and key (P-256 EC key matching the end-entity certificate). */
export async function readUserCredentials(certPath: string, keyPath: string): Promise<SigningCredentials> {
  const chain = chainFromPem(await fs.promises.readFile(certPath, 'utf8').catch(() => ''));
  if (!chain.length) throw new ShotlineError('invalid_input', `No PEM certificate found in ${certPath}.`, 'Point Shotline at a PEM file with your signing certificate first, then its intermediates.');
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey(await fs.promises.readFile(keyPath, 'utf8'));
  } catch (e) {
    throw new ShotlineError('invalid_input', `Cannot read the private key in ${keyPath}: ${(e as Error).message}`, 'Use an unencrypted PEM (PKCS#8) EC key on P-256.');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new ShotlineError('unsupported', 'Only ES256 keys (ECDSA on P-256) are supported for signing.', 'Make a P-256 key: openssl ecparam -name prime256v1 -genkey.');
  const pub = crypto.createPublicKey(key).export({ type: 'spki', format: 'der' });
  if (!chain[0]!.spkiDer.equals(pub)) throw new ShotlineError('invalid_input', 'The private key does not belong to the first certificate of the chain.', 'Put the end-entity certificate first in the PEM file.');
  return { chainDer: chain.map((c) => c.der), rootPem: null, privateKey: key, source: 'user', keyStorage: 'user-file', subject: chain[0]!.subject };
}

/** Use the user's own certificate and key from now on (paths are kept; the key stays in its file). */
export async function useOwnCredentials(userDataDir: string, certPath: string, keyPath: string): Promise<SigningCredentials> {
  const creds = await readUserCredentials(path.resolve(certPath), path.resolve(keyPath));
  const p = paths(userDataDir);
  await fs.promises.mkdir(p.dir, { recursive: true, mode: 0o700 });
  await fs.promises.writeFile(p.user, JSON.stringify({ certPath: path.resolve(certPath), keyPath: path.resolve(keyPath) }));
  return creds;
}

/** Go back to this installation's own certificate (forgets the user's paths; their files are untouched). */
export async function useInstallationCredentials(userDataDir: string): Promise<void> {
  await fs.promises.rm(paths(userDataDir).user, { force: true });
}

/** The installation's root (PEM) if one was made: Shotline trusts it when reading files. */
export function installationRoot(userDataDir: string): string | null {
  const f = paths(userDataDir).root;
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : null;
}
