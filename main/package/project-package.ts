/**
 * Project packages: one `.shotlinepkg` file (a zip, written and read with fflate's streaming
 * API so media never has to fit in memory) holding
 *   - `project.shotline`: a consistent copy of the project database (SQLite online backup, so the
 *     WAL is folded in and a running session is not disturbed),
 *   - `media/…`: the files the timeline uses (clips' media and the color LUTs), stored as-is
 *     (video does not deflate), under the same content-addressed names, so no path changes,
 *   - `shotline-package.json`: what is inside, with every file's size and SHA-256, and the assets
 *     left out (not on the timeline) so opening can say so.
 * Opening checks every entry name (no absolute paths, no `..`: a package cannot write outside
 * its folder), unpacks into a new folder, verifies sizes and hashes against the manifest, and
 * only then lets the caller open it as a project. Media paths are relative to the project
 * folder, so the unpacked project is already linked.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Unzip, UnzipInflate, UnzipPassThrough, Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { ShotlineError } from '../../app/errors.js';
import type { ProjectState } from '../../app/model/types.js';
import { MADE_WITH_SHOTLINE } from '../../app/render/metadata.js';
import { MEDIA_DIR, PROJECT_FILE } from '../store/project-store.js';

export const PACKAGE_MANIFEST = 'shotline-package.json';
export const PACKAGE_EXTENSION = '.shotlinepkg';

export interface PackageManifest {
  format: 'shotline-package';
  version: 1;
  name: string;
  createdAt: string;
  appVersion: string;
  /** "Made with Shotline": stored uncompressed, so replacing an earlier package needs no confirmation (main/export/overwrite-guard.ts). */
  generator?: string;
  files: { path: string; bytes: number; sha256: string }[];
  /** Assets in the project whose media was not packed (not used on the timeline). */
  leftOut: { assetId: string; name: string }[];
}

export interface PackResult {
  outPath: string;
  bytes: number;
  files: number;
  leftOut: PackageManifest['leftOut'];
}

/** Project-relative files a package needs: clip media and LUT files the grades use. */
export function filesToPack(state: ProjectState, projectDir: string, includeUnused = false): { files: string[]; leftOut: PackageManifest['leftOut'] } {
  const used = new Set(Object.values(state.clips).map((c) => c.assetId));
  const files = new Set<string>();
  const leftOut: PackageManifest['leftOut'] = [];
  for (const a of Object.values(state.assets)) {
    if (includeUnused || used.has(a.id)) files.add(a.path);
    else leftOut.push({ assetId: a.id, name: a.name });
  }
  const luts = path.join(projectDir, MEDIA_DIR, 'luts');
  if (fs.existsSync(luts)) for (const f of fs.readdirSync(luts)) if (f.endsWith('.cube')) files.add(`${MEDIA_DIR}/luts/${f}`);
  return { files: [...files].sort(), leftOut };
}

async function hashFile(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export interface PackOptions {
  state: ProjectState;
  projectDir: string;
  /** Writes a consistent copy of the project database to the given path. */
  backupDatabase(to: string): Promise<void>;
  outPath: string;
  appVersion: string;
  includeUnused?: boolean;
  overwrite?: boolean;
}

export async function packProject(o: PackOptions): Promise<PackResult> {
  const outPath = path.resolve(o.outPath);
  if (!o.overwrite && fs.existsSync(outPath)) throw new ShotlineError('invalid_input', `${outPath} already exists.`, 'Choose another name, or allow replacing it.');
  if (!fs.existsSync(path.dirname(outPath))) throw new ShotlineError('not_found', `The folder ${path.dirname(outPath)} does not exist.`);
  const { files, leftOut } = filesToPack(o.state, o.projectDir, o.includeUnused);
  for (const f of files) if (!fs.existsSync(path.join(o.projectDir, f))) throw new ShotlineError('not_found', `The project's media file ${f} is missing.`, 'Re-import or relink it before packaging.');
  const tmpDir = await fs.promises.mkdtemp(path.join(path.dirname(outPath), '.shotline-pack-'));
  const partial = path.join(path.dirname(outPath), `.${path.basename(outPath)}.partial-${process.pid}`);
  try {
    const db = path.join(tmpDir, PROJECT_FILE);
    await o.backupDatabase(db);
    const entries = [{ name: PROJECT_FILE, file: db, deflate: true }, ...files.map((f) => ({ name: f, file: path.join(o.projectDir, f), deflate: f.endsWith('.cube') }))];
    const manifest: PackageManifest = { format: 'shotline-package', version: 1, generator: MADE_WITH_SHOTLINE, name: o.state.settings.name, createdAt: new Date().toISOString(), appVersion: o.appVersion, files: [], leftOut };
    for (const e of entries) manifest.files.push({ path: e.name, bytes: (await fs.promises.stat(e.file)).size, sha256: await hashFile(e.file) });
    await writeZip(partial, [{ name: PACKAGE_MANIFEST, data: Buffer.from(JSON.stringify(manifest, null, 2)) }, ...entries]);
    await fs.promises.rename(partial, outPath);
    return { outPath, bytes: (await fs.promises.stat(outPath)).size, files: entries.length, leftOut };
  } finally {
    await fs.promises.rm(partial, { force: true });
    await fs.promises.rm(tmpDir, { recursive: true, force: true });
  }
}

type ZipEntry = { name: string; data: Buffer } | { name: string; file: string; deflate: boolean };

/** Streams entries into a zip file: files are read in chunks, stored (media) or deflated (text, DB). */
async function writeZip(target: string, entries: ZipEntry[]): Promise<void> {
  const out = fs.createWriteStream(target);
  let failed: Error | null = null;
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  const zip = new Zip((err, chunk, final) => {
    if (err) failed = err;
    else out.write(Buffer.from(chunk));
    if (final || err) out.end();
  });
  for (const e of entries) {
    if ('data' in e) {
      // Stored, not deflated: the manifest is small and its "Made with Shotline" stays readable.
      const f = new ZipPassThrough(e.name);
      zip.add(f);
      f.push(new Uint8Array(e.data), true);
      continue;
    }
    const f = e.deflate ? new ZipDeflate(e.name, { level: 6 }) : new ZipPassThrough(e.name);
    zip.add(f);
    let pending: Buffer | null = null;
    for await (const chunk of fs.createReadStream(e.file, { highWaterMark: 1 << 20 })) {
      if (pending) f.push(new Uint8Array(pending));
      pending = chunk as Buffer;
      // Let the write stream drain so a big file is never all in memory.
      if (out.writableNeedDrain) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    f.push(new Uint8Array(pending ?? Buffer.alloc(0)), true);
  }
  zip.end();
  await done;
  if (failed) throw failed;
}

/** A zip entry name that stays inside the folder (zip-slip defence); null when it does not. */
export function safeEntryPath(root: string, name: string): string | null {
  if (!name || name.includes('\0') || name.includes('\\') || path.posix.isAbsolute(name) || /^[A-Za-z]:/.test(name)) return null;
  const norm = path.posix.normalize(name);
  if (norm.startsWith('../') || norm === '..' || norm.split('/').includes('..')) return null;
  const full = path.resolve(root, ...norm.split('/'));
  return full.startsWith(path.resolve(root) + path.sep) ? full : null;
}

/** Unpacks a package into `dir` (which must not exist) and checks it against its manifest. */
export async function unpackPackage(file: string, dir: string): Promise<PackageManifest> {
  const target = path.resolve(dir);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) throw new ShotlineError('project_exists', `${target} is not empty.`, 'Choose a new folder to open the package into.');
  if (!fs.existsSync(file)) throw new ShotlineError('not_found', `${file} does not exist.`);
  const staging = `${target}.unpacking-${process.pid}`;
  await fs.promises.mkdir(staging, { recursive: true });
  try {
    await readZipInto(file, staging);
    const manifestPath = path.join(staging, PACKAGE_MANIFEST);
    if (!fs.existsSync(manifestPath) || !fs.existsSync(path.join(staging, PROJECT_FILE)))
      throw new ShotlineError('invalid_input', `${path.basename(file)} is not a Shotline package (no ${PACKAGE_MANIFEST} or ${PROJECT_FILE}).`, 'Choose a file made with "Package project…".');
    const manifest = JSON.parse(await fs.promises.readFile(manifestPath, 'utf8')) as PackageManifest;
    if (manifest.format !== 'shotline-package' || manifest.version !== 1) throw new ShotlineError('project_too_new', `${path.basename(file)} is a package this Shotline cannot read (format ${String(manifest.format)} v${String(manifest.version)}).`, 'Update Shotline.');
    for (const f of manifest.files) {
      const p = safeEntryPath(staging, f.path);
      if (!p || !fs.existsSync(p)) throw new ShotlineError('invalid_input', `The package is incomplete: ${f.path} is missing.`, 'Package the project again.');
      const st = await fs.promises.stat(p);
      if (st.size !== f.bytes || (await hashFile(p)) !== f.sha256) throw new ShotlineError('invalid_input', `The package is damaged: ${f.path} does not match its checksum.`, 'Copy the package again or package the project again.');
    }
    await fs.promises.rm(manifestPath);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    if (fs.existsSync(target)) await fs.promises.rmdir(target);
    await fs.promises.rename(staging, target);
    return manifest;
  } catch (e) {
    await fs.promises.rm(staging, { recursive: true, force: true });
    throw e;
  }
}

async function readZipInto(file: string, root: string): Promise<void> {
  const writes: Promise<void>[] = [];
  let bad: ShotlineError | null = null;
  const unzip = new Unzip((entry) => {
    if (entry.name.endsWith('/')) return;
    const dest = safeEntryPath(root, entry.name);
    if (!dest) {
      bad ??= new ShotlineError('invalid_input', `The package contains an unsafe file name: ${entry.name}`, 'Only open packages made by Shotline.');
      return;
    }
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    const out = fs.createWriteStream(dest);
    writes.push(
      new Promise<void>((resolve, reject) => {
        out.on('finish', resolve);
        out.on('error', reject);
        entry.ondata = (err, chunk, final) => {
          if (err) return reject(err);
          out.write(Buffer.from(chunk));
          if (final) out.end();
        };
        entry.start();
      }),
    );
  });
  unzip.register(UnzipPassThrough);
  unzip.register(UnzipInflate);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) unzip.push(new Uint8Array(chunk as Buffer));
  unzip.push(new Uint8Array(0), true);
  await Promise.all(writes);
  if (bad) throw bad;
}
