/**
 * The export never leaves a half-written file where the user looks, never clobbers a file
 * it was not allowed to, and says clearly why it cannot start.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShotlineError } from '../../../app/errors.js';
import type { Asset, ProjectState } from '../../../app/model/types.js';
import { runExport, type RunExportOptions } from '../../../main/export/run-export.js';
import { ffprobeJson, makeCorruptFile, makeTempDir, makeTestImage, makeTestVideo } from '../../helpers/media-fixtures.js';
import { assetFor, clip, native, partialsIn, project } from './helpers.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
let video: Asset;
let still: Asset;
let tiny: ProjectState;
let long: ProjectState;
let outDir: string;
let n = 0;

beforeAll(async () => {
  tmp = await makeTempDir('shotline-export-safety-');
  fs.mkdirSync(path.join(tmp.dir, 'media'));
  await Promise.all([
    makeTestVideo({ path: path.join(tmp.dir, 'media/tiny.mp4'), seconds: 1, width: 320, height: 240, fps: 30, toneHz: 440, withAudio: true }),
    makeTestImage({ path: path.join(tmp.dir, 'media/still.png'), width: 320, height: 240 }),
  ]);
  [video, still] = await Promise.all([assetFor(tmp.dir, 'tiny', 'media/tiny.mp4'), assetFor(tmp.dir, 'still', 'media/still.png')]);
  tiny = project('Tiny', [video], [clip('c1', 'v1', 'tiny', 0, 0, 1)]);
  // 30 s of 1080p takes several seconds to encode here: long enough to cancel midway.
  long = project('Long', [still, video], [clip('c1', 'v1', 'still', 0, 0, 30), clip('c2', 'v1', 'tiny', 30, 0, 1)]);
  outDir = path.join(tmp.dir, 'out');
  fs.mkdirSync(outDir);
}, 60_000);

afterAll(async () => {
  await tmp?.cleanup();
});

async function opts(over: Partial<RunExportOptions> = {}): Promise<RunExportOptions> {
  return {
    state: tiny,
    projectDir: tmp.dir,
    engine: await native(),
    presetId: '720p-draft',
    fit: 'fit',
    outPath: path.join(outDir, `film-${++n}.mp4`),
    overwrite: false,
    ...over,
  };
}

async function failure(p: Promise<unknown>): Promise<ShotlineError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ShotlineError);
    return e as ShotlineError;
  }
  throw new Error('expected the export to fail');
}

describe('cancel', () => {
  it('rejects canceled mid-export and leaves neither the output nor a partial', async () => {
    const ac = new AbortController();
    const o = await opts({ state: long, presetId: '1080p', signal: ac.signal });
    let partialsWhileEncoding: string[] = [];
    const started = Date.now();
    const err = await failure(
      runExport({
        ...o,
        onProgress: (p) => {
          if (p.message.startsWith('Encoding') && p.fraction > 0 && !ac.signal.aborted) {
            partialsWhileEncoding = partialsIn(outDir);
            ac.abort();
          }
        },
      }),
    );
    expect(err.code).toBe('canceled');
    // ffmpeg was writing a hidden temp file next to the target...
    expect(partialsWhileEncoding).toHaveLength(1);
    expect(partialsWhileEncoding[0]).toMatch(new RegExp(`^\\.${path.basename(o.outPath, '.mp4')}\\.shotline-partial-`));
    // ...and stopped well before the 30 s timeline could have finished.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(fs.existsSync(o.outPath)).toBe(false);
    expect(partialsIn(outDir)).toEqual([]);
  });

  it('leaves an existing file untouched when an overwriting export is canceled', async () => {
    const ac = new AbortController();
    const o = await opts({ state: long, presetId: '1080p', signal: ac.signal, overwrite: true });
    fs.writeFileSync(o.outPath, 'the previous cut');
    const err = await failure(runExport({ ...o, onProgress: (p) => p.fraction > 0 && ac.abort() }));
    expect(err.code).toBe('canceled');
    expect(fs.readFileSync(o.outPath, 'utf8')).toBe('the previous cut');
    expect(partialsIn(outDir)).toEqual([]);
  });

  it('does nothing when already canceled', async () => {
    const ac = new AbortController();
    ac.abort();
    const o = await opts({ signal: ac.signal });
    expect((await failure(runExport(o))).code).toBe('canceled');
    expect(fs.existsSync(o.outPath)).toBe(false);
    expect(partialsIn(outDir)).toEqual([]);
  });
});

describe('existing output', () => {
  it('refuses to overwrite without permission and leaves the original untouched', async () => {
    const o = await opts();
    fs.writeFileSync(o.outPath, 'keep me');
    const err = await failure(runExport(o));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain(o.outPath);
    expect(err.message).toContain('already exists');
    expect(err.hint).toMatch(/another file name|overwrit/i);
    expect(fs.readFileSync(o.outPath, 'utf8')).toBe('keep me');
    expect(partialsIn(outDir)).toEqual([]);
  });

  it('replaces it when overwriting is allowed', async () => {
    const o = await opts({ overwrite: true });
    fs.writeFileSync(o.outPath, 'old');
    const res = await runExport(o);
    expect(res.bytes).toBeGreaterThan(1000);
    const probe = await ffprobeJson(o.outPath);
    expect(probe.streams.map((x) => x.codec_name).sort()).toEqual(['aac', 'h264']);
    expect(partialsIn(outDir)).toEqual([]);
  });

  it('leaves the original untouched when ffmpeg fails, and cleans up', async () => {
    const brokenDir = path.join(tmp.dir, 'broken');
    fs.mkdirSync(path.join(brokenDir, 'media'), { recursive: true });
    await makeCorruptFile(path.join(brokenDir, 'media/tiny.mp4'), 'random');
    const o = await opts({ projectDir: brokenDir, overwrite: true });
    fs.writeFileSync(o.outPath, 'precious');
    const err = await failure(runExport(o));
    expect(err.code).toBe('ffmpeg_failed');
    expect(fs.readFileSync(o.outPath, 'utf8')).toBe('precious');
    expect(partialsIn(outDir)).toEqual([]);
  });
});

describe('preflight', () => {
  it('names a missing output folder', async () => {
    const missing = path.join(tmp.dir, 'no', 'such', 'folder');
    const err = await failure(runExport(await opts({ outPath: path.join(missing, 'film.mp4') })));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain(`"${missing}" does not exist`);
    expect(err.hint).toBeTruthy();
  });

  it('names an output "folder" that is a file', async () => {
    const file = path.join(tmp.dir, 'not-a-folder');
    fs.writeFileSync(file, '');
    const err = await failure(runExport(await opts({ outPath: path.join(file, 'film.mp4') })));
    expect(err.message).toContain(`"${file}" is not a folder`);
  });

  it('names an output folder it cannot write to', async (ctx) => {
    let dir: string;
    if (process.getuid?.() !== 0) {
      dir = path.join(tmp.dir, 'readonly');
      fs.mkdirSync(dir);
      fs.chmodSync(dir, 0o555);
    } else {
      // Root ignores permission bits; sysfs refuses new files even to root.
      dir = '/sys';
      try {
        fs.writeFileSync(path.join(dir, 'shotline-probe'), '');
        fs.rmSync(path.join(dir, 'shotline-probe'));
        ctx.skip(true, 'running as root with no read-only folder available');
      } catch {
        // Good: the folder is not writable.
      }
    }
    const err = await failure(runExport(await opts({ outPath: path.join(dir, 'film.mp4') })));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain(`Cannot write to the output folder "${dir}"`);
    expect(err.hint).toMatch(/permission|another folder/i);
    if (dir !== '/sys') fs.chmodSync(dir, 0o755);
  });

  it('names the asset whose media file is missing', async () => {
    const emptyProject = path.join(tmp.dir, 'empty-project');
    fs.mkdirSync(emptyProject);
    const o = await opts({ projectDir: emptyProject });
    const err = await failure(runExport(o));
    expect(err.code).toBe('media_unreadable');
    expect(err.message).toContain('"tiny.mp4"');
    expect(err.message).toContain('missing');
    expect(fs.existsSync(o.outPath)).toBe(false);
  });

  it('rejects an unknown preset, listing the real ones', async () => {
    const err = await failure(runExport(await opts({ presetId: '8k-imax' })));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain('8k-imax');
    expect(err.hint).toContain('vertical-1080');
  });

  it('rejects an empty timeline', async () => {
    const err = await failure(runExport(await opts({ state: project('Empty', [video], []) })));
    expect(err).toMatchObject({ code: 'invalid_input', message: 'The timeline is empty' });
  });
});
