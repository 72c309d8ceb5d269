/**
 * Errors a user can act on, table-driven: each bad input gets its error code and a message
 * that names the file or field and what to do, and the open project is byte-identical after.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShotlineClient } from '../../../app/api/client.js';
import type { ShotlineError } from '../../../app/errors.js';
import { inProcessClient } from '../../../main/bridge/in-process.js';
import { ShotlineServices } from '../../../main/services/shotline.js';
import { makeTestVideo } from '../../helpers/media-fixtures.js';
import { ROOT } from '../../helpers/studio-process.js';
import { writeKeyLikeFile } from '../../helpers/key-like-file.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-errors-'));
const project = path.join(tmp, 'film');
let services: ShotlineServices;
let api: ShotlineClient;

function folderHash(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

async function outcome(p: Promise<unknown>): Promise<ShotlineError | null> {
  try {
    await p;
    return null;
  } catch (e) {
    return e as ShotlineError;
  }
}

function cli(...args: string[]) {
  return spawnSync(process.execPath, [path.join(ROOT, 'bin/shotline.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, SHOTLINE_HOME: path.join(tmp, 'home') }, timeout: 60_000 });
}

beforeAll(async () => {
  services = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home') });
  api = inProcessClient(services);
  await api.call('project.create', { dir: project, name: 'Errors' });
  const clip = await makeTestVideo({ path: path.join(tmp, 'clip.mp4'), seconds: 1, width: 160, height: 90, withAudio: true });
  await api.call('assets.import', { files: [{ path: clip }] });
  await api.call('edit.apply', { command: 'shot.add', args: { fields: { title: 'Kept' } } });
  for (;;) {
    if ((await api.call('jobs.list', {})).every((j) => ['succeeded', 'failed', 'canceled'].includes(j.state))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 1500)); // past the idle WAL checkpoint
  fs.writeFileSync(path.join(tmp, 'notes.txt'), 'my notes');
  fs.writeFileSync(path.join(tmp, 'thesis.mp4'), 'three years of work');
  writeKeyLikeFile(path.join(tmp, 'id_ed25519'));
  execFileSync('mkfifo', [path.join(tmp, 'pipe')]);
  fs.mkdirSync(path.join(tmp, 'media-is-a-file'));
  fs.writeFileSync(path.join(tmp, 'media-is-a-file', 'media'), 'x');
  let deep = '1';
  for (let i = 0; i < 20_000; i++) deep = `{"a":${deep}}`;
  fs.writeFileSync(path.join(tmp, 'deep.json'), `[{"method":"edit.apply","input":${deep}}]`);
}, 120_000);

afterAll(async () => {
  await services.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const apiCases: [string, () => Promise<unknown>, string, RegExp][] = [
  ['open /dev/zero', () => api.call('project.open', { dir: '/dev/zero' }), 'invalid_input', /\/dev\/zero is a device, not a project folder/],
  ['open a FIFO', () => api.call('project.open', { dir: path.join(tmp, 'pipe') }), 'invalid_input', /pipe is a pipe \(FIFO\), not a project folder/],
  ['create with a relative path', () => api.call('project.create', { dir: 'films/new', name: 'x' }), 'invalid_input', /"films\/new" is a relative path/],
  ['create under /proc', () => api.call('project.create', { dir: '/proc/self/task/new', name: 'x' }), 'invalid_input', /inside \/proc/],
  ['create under a file', () => api.call('project.create', { dir: path.join(tmp, 'notes.txt', 'new'), name: 'x' }), 'invalid_input', /notes\.txt is a file, not a folder/],
  ['create where media/ is a file', () => api.call('project.create', { dir: path.join(tmp, 'media-is-a-file'), name: 'x' }), 'project_unreadable', /media is a file, not a folder/],
  ['LUT that is a key file', () => api.call('color.importLut', { file: { path: path.join(tmp, 'id_ed25519') } }), 'invalid_input', /^"id_ed25519" is not a usable \.cube LUT: line 1: (?!.*(BEGIN|secret))/],
  ['export over a foreign file', () => api.call('export.start', { preset: '720p-draft', outPath: path.join(tmp, 'thesis.mp4'), overwrite: true }), 'confirmation_required', /thesis\.mp4 already exists and is not a Shotline export/],
  ['ffmpeg without confirmation', () => api.call('prefs.set', { ffmpegPath: path.join(tmp, 'notes.txt') }), 'confirmation_required', /Type the path a second time/],
  // Ids every plain object answers to: refused by name, never SQL constraint text.
  ['a shot id "constructor"', () => api.call('edit.apply', { command: 'shot.update', args: { shotId: 'constructor', fields: { title: 'x' } } }), 'invalid_input', /args\.shotId: "constructor" is not a valid id(?!.*constraint)/],
  ['a shot id "__proto__"', () => api.call('edit.apply', { command: 'shot.remove', args: { shotId: '__proto__' } }), 'invalid_input', /args\.shotId: "__proto__" is not a valid id/],
  ['a job id "__proto__"', () => api.call('jobs.cancel', { jobId: '__proto__' }), 'invalid_input', /jobId: "__proto__" is not a valid id/],
  ['a clip id "toString"', () => api.call('stabilize.analyze', { clipId: 'toString' }), 'invalid_input', /clipId: "toString" is not a valid id/],
  // A full disk under the project database (SQLite reaches its page limit: SQLITE_FULL, as on ENOSPC).
  [
    'an edit on a full disk',
    () => withFullDatabase(() => api.call('edit.apply', { command: 'shot.add', args: { fields: { title: 'Big', prompt: { subject: 'x'.repeat(1900), action: 'y'.repeat(1900), setting: 'z'.repeat(1900) } } } })),
    'disk_full',
    /^The disk is full: this change could not be saved to .*project\.shotline\. Nothing was lost/,
  ],
];

/** Runs `call` with the project database unable to grow by a page, then lifts the limit. */
async function withFullDatabase(call: () => Promise<unknown>): Promise<unknown> {
  const db = services.current.store.db;
  const limit = db.pragma('max_page_count', { simple: true }) as number;
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  try {
    return await call();
  } finally {
    db.pragma(`max_page_count = ${limit}`);
  }
}

describe('errors a user can act on', () => {
  for (const [what, call, code, message] of apiCases) {
    it(`${what}: ${code}, and the project is untouched`, async () => {
      const before = folderHash(project);
      const e = await outcome(call());
      expect(e?.code, what).toBe(code);
      expect(e?.message, what).toMatch(message);
      expect(e?.hint, what).toBeTruthy();
      expect(folderHash(project)).toEqual(before);
      expect(services.openProjectDir).toBe(project);
    });
  }

  it('a failed browser upload is reported by its file name, never by its internal upload id', async () => {
    const uploadId = crypto.randomUUID();
    const staged = path.join(tmp, 'uploads', uploadId);
    fs.mkdirSync(path.dirname(staged), { recursive: true });
    fs.writeFileSync(staged, 'not a video at all');
    const other = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(tmp, 'home-upload'), resolveUpload: (id) => (id === uploadId ? staged : null) });
    try {
      const client = inProcessClient(other);
      const dir = path.join(tmp, 'upload-film');
      await client.call('project.create', { dir, name: 'Uploads' });
      const before = folderHash(dir);
      const r = await client.call('assets.import', { files: [{ uploadId, name: 'Holiday clip.mp4' }] });
      expect(r.imported).toEqual([]);
      expect(r.failed[0]!.name).toBe('Holiday clip.mp4');
      expect(r.failed[0]!.error.message).toMatch(/^"Holiday clip\.mp4" cannot be used/);
      expect(JSON.stringify(r.failed)).not.toContain(uploadId);
      expect(folderHash(dir)).toEqual(before);
    } finally {
      await other.shutdown();
    }
  }, 60_000);

  it('CLI: generate --out into a missing folder is refused before anything is generated', () => {
    const t0 = Date.now();
    const r = cli('generate', '--prompt', 'a red ball', '--seed', '1', '--out', path.join(tmp, 'missing', 'x.mp4'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/The output folder "[^"]*missing" does not exist/);
    expect(r.stderr).not.toMatch(/Generating/);
    expect(fs.existsSync(path.join(tmp, 'missing'))).toBe(false);
    expect(Date.now() - t0).toBeLessThan(60_000);
  }, 120_000);

  it('CLI: --port abc and a runaway-nested script are refused with exit 2 and a pointed message', () => {
    const port = cli('studio', '--port', 'abc');
    expect(port.status).toBe(2);
    expect(port.stderr).toMatch(/--port must be a number from 0 to 65535 \(got "abc"\)/);
    const other = path.join(tmp, 'other');
    const deep = cli('run', other, path.join(tmp, 'deep.json'));
    expect(deep.status).toBe(2);
    expect(deep.stderr).toMatch(/deep\.json nests deeper than 64 levels/);
    expect(deep.stderr).not.toMatch(/Maximum call stack/);
    expect(fs.existsSync(other)).toBe(false);
  }, 120_000);
});
